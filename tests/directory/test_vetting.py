"""Vetting: an application that looks like an organisation already in the directory (its
name, charity or company number, email domain or postcode) warns the council staff reviewing
it, saying what matched and linking to the organisation; free-mail domains never match. Lapsed
public liability insurance is flagged to the provider (dashboard and one email) and to council
staff (a list and a count), as a lapsed DBS check is."""

import datetime

import pytest
from django.urls import reverse

from core.dates import today
from directory import services
from directory.choices import ApplicationStatus, OrganisationKind
from directory.models import Organisation, ProviderApplication
from tests.factories.directory import ShortBreakServicePageFactory
from tests.helpers import assert_denied

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def existing(org_a):
    """Tynedale Short Breaks (hello@tynedale.example), with its numbers and postcode."""
    Organisation.objects.filter(pk=org_a.pk).update(
        charity_number="1123456", company_number="07654321", postcode="NE46 3NR"
    )
    return org_a


def application(**changes):
    fields = {
        "organisation_name": "Allendale Adventures",
        "kind": OrganisationKind.CHARITY,
        "contact_name": "Sam Robson",
        "email": "sam@allendale.example",
        "postcode": "NE47 9AA",
        "what_you_offer": "Outdoor days.",
        "status": ApplicationStatus.CONFIRMED,
        **changes,
    }
    return ProviderApplication.objects.create(**fields)


def review_page(client, moderator, app) -> str:
    client.force_login(moderator)
    response = client.get(reverse("directory_admin:application_detail", args=[app.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("changes", "warning"),
    [
        (
            {"organisation_name": "The Tynedale Short-Breaks Ltd"},
            "Same name (Tynedale Short Breaks)",
        ),
        ({"charity_number": "1123456"}, "Same charity number (1123456)"),
        ({"company_number": "07654321"}, "Same company number (07654321)"),
        ({"email": "new.person@Tynedale.example"}, "Same email domain (tynedale.example)"),
        ({"postcode": "NE463NR"}, "Same postcode (NE46 3NR)"),
    ],
)
def test_staff_are_warned_of_each_kind_of_match_with_a_link_to_the_organisation(
    client, moderator, existing, changes, warning
):
    page = review_page(client, moderator, application(**changes))
    assert "This may be an organisation we already have" in page
    assert warning in page
    assert reverse("organisations:inspect", args=[existing.pk]) in page


def test_an_application_matching_nothing_carries_no_warning(client, moderator, existing):
    page = review_page(client, moderator, application())
    assert "This may be an organisation we already have" not in page


def test_a_free_mail_domain_never_counts_as_a_match(client, moderator, existing):
    Organisation.objects.filter(pk=existing.pk).update(email="tynedale.breaks@gmail.com")
    page = review_page(client, moderator, application(email="someone.else@gmail.com"))
    assert "Same email domain" not in page


def test_a_listing_venue_at_the_same_postcode_counts_as_a_match(client, moderator, org_b):
    venue = ShortBreakServicePageFactory(organisation=org_b, title="Coquet club")
    page = review_page(client, moderator, application(postcode=venue.postcode))
    assert "Same postcode" in page and "Coquet Valley Care" in page


def test_the_applicant_gives_charity_and_company_numbers_however_spaced(client, directory):
    client.post(
        reverse("directory:apply"),
        {
            "organisation_name": "Allendale Adventures",
            "kind": OrganisationKind.CHARITY,
            "contact_name": "Sam Robson",
            "email": "sam@allendale.example",
            "postcode": "NE46 3NR",
            "what_you_offer": "Outdoor days.",
            "charity_number": "112 3456",
            "company_number": "sc 123456",
        },
    )
    saved = ProviderApplication.objects.get()
    assert (saved.charity_number, saved.company_number) == ("1123456", "SC123456")


def test_a_charity_number_in_the_wrong_format_is_a_clear_error(client, directory):
    response = client.post(
        reverse("directory:apply"), {"organisation_name": "X", "charity_number": "12ab"}
    )
    assert "Enter a charity number, like 1234567" in response.content.decode()


# --- lapsed insurance ---------------------------------------------------------------------


@pytest.fixture
def lapsed(org_a):
    Organisation.objects.filter(pk=org_a.pk).update(
        insurer="Northumbria Mutual", insurance_expiry=today() - 3 * DAY
    )
    org_a.refresh_from_db()
    return org_a


def test_the_provider_sees_lapsed_insurance_on_their_dashboard(client, lapsed, provider_a):
    client.force_login(provider_a)
    dashboard = client.get("/admin/").content.decode()
    expired = today() - 3 * DAY
    assert f"Your public liability insurance ran out on {expired:%-d %B %Y}" in dashboard
    assert "What to do: renew it" in dashboard


def test_a_provider_with_current_insurance_sees_no_warning(client, org_a, provider_a):
    Organisation.objects.filter(pk=org_a.pk).update(insurance_expiry=today())
    client.force_login(provider_a)
    assert "public liability insurance ran out" not in client.get("/admin/").content.decode()


def test_the_provider_is_emailed_once_when_insurance_lapses(
    lapsed, provider_a, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send()["insurance_lapsed"] == 1
        assert services.reminders_send()["insurance_lapsed"] == 0
    (email,) = [m for m in mailoutbox if provider_a.email in m.to]
    assert email.subject == "Your public liability insurance has run out"
    assert "Tynedale Short Breaks ran out on" in email.body


def test_council_staff_see_lapsed_insurance_listed_and_counted(client, moderator, lapsed, org_b):
    client.force_login(moderator)
    listed = client.get(reverse("directory_admin:insurance_lapsed")).content.decode()
    assert "Tynedale Short Breaks" in listed and "Northumbria Mutual" in listed
    assert "Coquet Valley Care" not in listed
    dashboard = client.get("/admin/").content.decode()
    assert "1 organisation with lapsed public liability insurance" in dashboard


def test_only_council_staff_see_the_lapsed_insurance_list(
    client, lapsed, provider_a, broker, family
):
    for person in [provider_a, broker, family]:
        client.force_login(person)
        assert_denied(client.get(reverse("directory_admin:insurance_lapsed")))
        client.logout()
    assert_denied(client.get(reverse("directory_admin:insurance_lapsed")))
