"""A new organisation or PA applies online, confirms their email, and is admitted (or
declined) by council staff. Nobody gets admin access any other way."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from freezegun import freeze_time
from wagtail.models import GroupPagePermission

from directory import services
from directory.choices import ApplicationStatus, OrganisationKind
from directory.models import Organisation, ProviderApplication, ProviderPage, StaffMember
from tests.helpers import assert_denied

GOOD = {
    "organisation_name": "Allendale Adventures",
    "kind": OrganisationKind.CHARITY,
    "contact_name": "Sam Robson",
    "email": "sam@allendale.example",
    "phone": "0191 498 0001",
    "postcode": "ne46 3nr",
    "what_you_offer": "Outdoor activity days for disabled young people aged 8 to 18.",
}


def apply(client, captured, **changes):
    with captured(execute=True):
        return client.post(reverse("directory:apply"), {**GOOD, **changes})


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


@pytest.fixture
def captured(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def confirmed_application(client, directory, captured, mailoutbox):
    apply(client, captured)
    with captured(execute=True):
        client.post(link_in(mailoutbox[0]))
    return ProviderApplication.objects.get()


def test_an_application_asks_the_applicant_to_confirm_their_email(
    client, directory, captured, mailoutbox, moderator
):
    response = apply(client, captured)
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:apply_sent")
    application = ProviderApplication.objects.get()
    assert application.status == ApplicationStatus.AWAITING_EMAIL
    assert application.postcode == "NE46 3NR"
    assert [m.to for m in mailoutbox] == [["sam@allendale.example"]]
    assert "/providers/apply/confirm/" in mailoutbox[0].body


def test_confirming_the_email_puts_the_application_before_the_council(
    client, directory, captured, mailoutbox, moderator
):
    apply(client, captured)
    with captured(execute=True):
        response = client.post(link_in(mailoutbox[0]))
    assert response.status_code == 200
    assert ProviderApplication.objects.get().status == ApplicationStatus.CONFIRMED
    assert mailoutbox[-1].to == [moderator.email]
    # Following the link again changes nothing and tells the council nothing more.
    with captured(execute=True):
        client.post(link_in(mailoutbox[0]))
    assert len(mailoutbox) == 2


def test_a_tampered_confirmation_link_is_not_found(client, directory, captured, mailoutbox):
    apply(client, captured)
    response = client.post(link_in(mailoutbox[0])[:-3] + "xyz/")
    assert response.status_code == 404
    assert ProviderApplication.objects.get().status == ApplicationStatus.AWAITING_EMAIL


def test_a_confirmation_link_expires_after_seven_days(client, directory, captured, mailoutbox):
    apply(client, captured)
    with freeze_time(datetime.datetime.now() + datetime.timedelta(days=8)):
        response = client.post(link_in(mailoutbox[0]))
    assert response.status_code == 410
    assert b"expired" in response.content
    assert ProviderApplication.objects.get().status == ApplicationStatus.AWAITING_EMAIL


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"organisation_name": ""}, "Enter the name of your organisation or your own name"),
        ({"kind": ""}, "Choose what kind of provider"),
        ({"kind": "spaceship"}, "Select a valid choice"),
        ({"contact_name": ""}, "Enter your full name"),
        ({"email": ""}, "Enter your email address"),
        ({"email": "sam at allendale"}, "Enter an email address in the right format"),
        ({"postcode": ""}, "Enter a postcode"),
        ({"postcode": "NOT A POSTCODE"}, "Enter a full postcode in the right format"),
        ({"postcode": "EH1 1YZ"}, "is outside England"),
        ({"postcode": "NE99 9ZZ"}, "We could not find NE99 9ZZ"),
        ({"what_you_offer": ""}, "Tell us what you offer"),
        ({"what_you_offer": "x" * 2001}, "Keep it to 2,000 characters or fewer"),
        ({"ofsted_urn": "ABC"}, "Enter an Ofsted URN"),
        ({"cqc_location_id": "12345"}, "Enter a CQC location ID"),
    ],
)
def test_bad_application_details_are_clear_errors_and_nothing_is_saved(
    client, directory, captured, mailoutbox, changes, message
):
    response = apply(client, captured, **changes)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content, message
    assert "govuk-error-summary" in content
    assert "<title>Error:" in content
    assert not ProviderApplication.objects.exists()
    assert mailoutbox == []
    # What the applicant typed is kept, so nothing is lost.
    if "contact_name" not in changes:
        assert 'value="Sam Robson"' in content


def test_council_staff_admit_an_application_and_the_provider_can_set_a_password(
    client, moderator, confirmed_application, captured, mailoutbox
):
    client.force_login(moderator)
    url = reverse("directory_admin:application_detail", args=[confirmed_application.pk])
    with captured(execute=True):
        response = client.post(url, {"action": "admit"})
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Allendale Adventures")
    page = ProviderPage.objects.get(organisation=organisation)
    account = get_user_model().objects.get(email="sam@allendale.example")
    assert not account.has_usable_password()
    assert account.groups.filter(pk=organisation.editors_id).exists()
    permission_types = set(
        GroupPagePermission.objects.filter(group=organisation.editors, page=page).values_list(
            "permission__codename", flat=True
        )
    )
    assert permission_types == {"add_page", "change_page"}  # never publish
    admitted_email = mailoutbox[-1]
    assert admitted_email.to == ["sam@allendale.example"]
    client.logout()
    response = client.get(link_in(admitted_email), follow=True)
    assert response.status_code == 200
    assert b"password" in response.content.lower()


def test_an_admitted_personal_assistant_is_a_named_person_for_their_dbs_check(
    client, directory, captured, mailoutbox, moderator
):
    apply(client, captured, kind=OrganisationKind.SELF_EMPLOYED_PA, organisation_name="Jo Bell")
    with captured(execute=True):
        client.post(link_in(mailoutbox[0]))
    services.provider_application_admit(
        user=moderator, application=ProviderApplication.objects.get()
    )
    person = StaffMember.objects.get(full_name="Sam Robson")
    assert person.user.email == "sam@allendale.example"


def test_an_application_whose_email_is_not_confirmed_cannot_be_admitted(
    client, directory, captured, mailoutbox, moderator
):
    apply(client, captured)
    client.force_login(moderator)
    application = ProviderApplication.objects.get()
    response = client.post(
        reverse("directory_admin:application_detail", args=[application.pk]),
        {"action": "admit"},
        follow=True,
    )
    assert b"Only applications with a confirmed email can be admitted" in response.content
    assert not Organisation.objects.exists()


def test_declining_needs_a_reason_which_is_emailed_to_the_applicant(
    client, moderator, confirmed_application, captured, mailoutbox
):
    client.force_login(moderator)
    url = reverse("directory_admin:application_detail", args=[confirmed_application.pk])
    response = client.post(url, {"action": "decline", "decision_note": ""})
    assert response.status_code == 200
    assert b"Say why, so the applicant knows what to do" in response.content
    with captured(execute=True):
        client.post(
            url, {"action": "decline", "decision_note": "We only list services in Tynedale."}
        )
    confirmed_application.refresh_from_db()
    assert confirmed_application.status == ApplicationStatus.DECLINED
    assert "We only list services in Tynedale." in mailoutbox[-1].body
    assert not get_user_model().objects.filter(email="sam@allendale.example").exists()


def test_a_decided_application_cannot_be_decided_again(client, moderator, confirmed_application):
    services.provider_application_decline(
        user=moderator, application=confirmed_application, note="Outside our area"
    )
    client.force_login(moderator)
    url = reverse("directory_admin:application_detail", args=[confirmed_application.pk])
    response = client.post(url, {"action": "admit"}, follow=True)
    assert b"Only applications with a confirmed email can be admitted" in response.content
    assert not Organisation.objects.exists()


def test_an_unknown_action_is_a_message_not_an_error(client, moderator, confirmed_application):
    client.force_login(moderator)
    url = reverse("directory_admin:application_detail", args=[confirmed_application.pk])
    response = client.post(url, {"action": "launch"}, follow=True)
    assert response.status_code == 200
    assert b"Choose whether to admit or decline" in response.content


@pytest.mark.parametrize("role", ["provider_a", "family", "young_auditor", "broker", "coordinator"])
def test_only_council_staff_see_or_decide_applications(
    client, request, role, confirmed_application
):
    client.force_login(request.getfixturevalue(role))
    detail = reverse("directory_admin:application_detail", args=[confirmed_application.pk])
    assert_denied(client.get(reverse("directory_admin:applications")))
    assert_denied(client.get(detail))
    assert_denied(client.post(detail, {"action": "admit"}))
    assert not Organisation.objects.filter(name="Allendale Adventures").exists()


def test_council_staff_see_applications_waiting_for_a_decision(
    client, moderator, confirmed_application
):
    client.force_login(moderator)
    response = client.get(reverse("directory_admin:applications"))
    assert b"Allendale Adventures" in response.content
    response = client.get(reverse("directory_admin:applications"), {"status": "declined"})
    assert b"Allendale Adventures" not in response.content


def test_a_postcode_in_a_border_area_that_is_not_found_is_not_called_outside_england(
    client, directory, captured
):
    response = apply(client, captured, postcode="TD15 9ZZ")  # Berwick is in Northumberland
    content = response.content.decode()
    assert "We could not find TD15 9ZZ" in content
    assert "outside England" not in content


def test_the_password_link_is_emailed_but_never_stored_in_the_in_app_updates(
    moderator, confirmed_application
):
    from core.models import Notification

    services.provider_application_admit(user=moderator, application=confirmed_application)
    account = get_user_model().objects.get(email="sam@allendale.example")
    (update,) = Notification.objects.filter(recipient=account)
    assert update.url == reverse("wagtailadmin_home")


def test_following_the_link_only_asks_the_applicant_to_press_confirm(
    client, directory, captured, mailoutbox, moderator
):
    """An email scanner that follows every link confirms nothing."""
    apply(client, captured)
    with captured(execute=True):
        page = client.get(link_in(mailoutbox[0]))
    assert page.status_code == 200
    assert "Confirm my email address" in page.content.decode()
    assert ProviderApplication.objects.get().status == ApplicationStatus.AWAITING_EMAIL
    assert len(mailoutbox) == 1  # the council has not been told
    with captured(execute=True):
        client.post(link_in(mailoutbox[0]))
    assert ProviderApplication.objects.get().status == ApplicationStatus.CONFIRMED
