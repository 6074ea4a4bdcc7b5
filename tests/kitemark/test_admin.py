"""The coordinator's and providers' kitemark screens in the Wagtail admin: who may open each,
the panel's decision with answers side by side, and bad input."""

import datetime

import pytest
from django.urls import reverse

from core.dates import today
from kitemark.choices import AuditStatus as S
from kitemark.choices import Rating
from kitemark.models import Answer, Audit, AuditorProfile, StandardSet
from tests.factories.kitemark import audit_to
from tests.helpers import assert_denied

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_panel(coordinator, listing, auditors):
    return audit_to(
        S.WITH_PANEL,
        listing=listing,
        coordinator=coordinator,
        auditors=auditors,
        ratings=(Rating.YES, Rating.NOT_YET),
    )


def coordinator_urls(audit):
    return [
        reverse("kitemark_admin:audits"),
        reverse("kitemark_admin:overview"),
        reverse("kitemark_admin:audit_detail", args=[audit.pk]),
        reverse("kitemark_admin:audit_schedule", args=[audit.pk]),
        reverse("kitemark_admin:audit_panel", args=[audit.pk]),
        reverse("kitemark_admin:auditor_add"),
        reverse("kitemark_admin:auditor_password", args=[audit.assignments.first().auditor_id]),
        reverse("kitemark_standards:index"),
        reverse("kitemark_standards:inspect", args=[audit.standard_set_id]),
        reverse("kitemark_auditors:index"),
    ]


def test_the_coordinator_can_open_every_kitemark_screen(client, coordinator, with_panel):
    client.force_login(coordinator)
    for url in coordinator_urls(with_panel):
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("who", ["provider_a", "moderator", "broker"])
def test_other_staff_cannot_open_the_coordinators_screens(client, request, who, with_panel):
    client.force_login(request.getfixturevalue(who))
    for url in coordinator_urls(with_panel):
        assert_denied(client.get(url))


@pytest.mark.parametrize("who", ["family", "ruby"])
def test_families_and_young_auditors_never_get_into_the_admin(client, request, who, with_panel):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    for url in [*coordinator_urls(with_panel), reverse("kitemark_admin:provider")]:
        assert_denied(client.get(url))


def test_the_dashboard_shows_the_coordinator_what_needs_doing(client, coordinator, with_panel):
    client.force_login(coordinator)
    page = client.get("/admin/").content.decode()
    assert "1 audit with the panel, waiting for its decision" in page


def test_the_coordinator_can_read_a_published_version_of_the_standards(
    client, coordinator, with_panel
):
    client.force_login(coordinator)
    url = reverse("kitemark_standards:inspect", args=[with_panel.standard_set_id])
    page = client.get(url).content.decode()
    assert with_panel.standard_set.standards.get(number=1).easy_read in page


def test_audits_can_be_listed_by_state(client, coordinator, with_panel, other_listing, auditors):
    audit_to(S.REQUESTED, listing=other_listing, coordinator=coordinator, auditors=auditors)
    client.force_login(coordinator)
    page = client.get(reverse("kitemark_admin:audits") + "?status=requested").content.decode()
    assert "Morpeth Play Scheme" in page and "Hexham Saturday Club" not in page
    assert client.get(reverse("kitemark_admin:audits") + "?status=nonsense").status_code == 200


def test_the_panel_sees_every_answer_side_by_side_with_disagreements_marked(
    client, coordinator, with_panel
):
    client.force_login(coordinator)
    response = client.get(reverse("kitemark_admin:audit_panel", args=[with_panel.pk]))
    page = response.content.decode()
    assert "Ruby" in page and "Kai" in page
    assert "14 standards where the auditors disagree" in page
    assert page.count("kitemark-disagree") == 14


def test_recording_an_award_publishes_the_chosen_quotes(client, coordinator, with_panel):
    quote = Answer.objects.filter(assignment__audit=with_panel).exclude(comment="").first()
    client.force_login(coordinator)
    response = client.post(
        reverse("kitemark_admin:audit_panel", args=[with_panel.pk]),
        {
            "expected_status": "with_panel",
            "outcome": "award",
            "reasons": "Everyone was made welcome",
            "award_months": "24",
            "public_summary": "Friendly staff and a quiet room.",
            "published_answers": [str(quote.pk)],
        },
    )
    assert response.status_code == 302
    with_panel.refresh_from_db()
    assert with_panel.status == S.AWARDED
    assert list(Answer.objects.filter(quote_published=True)) == [quote]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "award", "reasons": ""}, "Write down the panel"),
        ({"outcome": "not_yet", "reasons": "Steps"}, "Give the setting advice"),
        ({"outcome": "not_yet", "reasons": "Steps", "advice": "Ramp"}, "re-audit date"),
        ({"outcome": "award", "reasons": "Yes", "award_months": "0"}, "greater than or equal"),
        ({"reasons": "x"}, "Choose the panel"),
        ({"outcome": "award", "reasons": "Yes", "published_answers": ["999999"]}, "valid choice"),
    ],
)
def test_a_bad_decision_is_refused_with_a_clear_message(
    client, coordinator, with_panel, data, message
):
    client.force_login(coordinator)
    response = client.post(
        reverse("kitemark_admin:audit_panel", args=[with_panel.pk]),
        {"expected_status": "with_panel", **data},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    with_panel.refresh_from_db()
    assert with_panel.status == S.WITH_PANEL


def test_a_decision_on_a_page_someone_else_already_decided_is_refused(
    client, coordinator, with_panel
):
    client.force_login(coordinator)
    data = {"expected_status": "with_panel", "outcome": "award", "reasons": "Yes"}
    url = reverse("kitemark_admin:audit_panel", args=[with_panel.pk])
    client.post(url, data)
    Audit.objects.filter(pk=with_panel.pk).update(status=S.WITH_PANEL)  # as it was on screen
    with_panel.refresh_from_db()
    stale = {**data, "expected_status": "submitted"}
    response = client.post(url, stale)
    assert "Someone else has changed this audit" in response.content.decode()


def test_a_move_button_with_a_stale_status_changes_nothing(client, coordinator, listing, auditors):
    audit = audit_to(S.SUBMITTED, listing=listing, coordinator=coordinator, auditors=auditors)
    client.force_login(coordinator)
    url = reverse("kitemark_admin:audit_transition", args=[audit.pk])
    response = client.post(url, {"expected_status": "in_progress", "to": "with_panel"}, follow=True)
    assert "Someone else has changed this audit" in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == S.SUBMITTED
    client.post(url, {"expected_status": "submitted", "to": "not-a-state"})
    client.post(url, {"expected_status": "submitted", "to": "awarded"})
    audit.refresh_from_db()
    assert audit.status == S.SUBMITTED
    client.post(url, {"expected_status": "submitted", "to": "with_panel"})
    audit.refresh_from_db()
    assert audit.status == S.WITH_PANEL


def test_booking_a_visit_with_bad_input_says_what_is_wrong(client, coordinator, listing, ruby, kai):
    audit = audit_to(S.REQUESTED, listing=listing, coordinator=coordinator, auditors=[])
    client.force_login(coordinator)
    url = reverse("kitemark_admin:audit_schedule", args=[audit.pk])
    response = client.post(
        url,
        {
            "expected_status": "requested",
            "visit_date": "2001-01-01",
            "visit_time": "10:00",
            "auditors": [ruby.pk],
            "supporting_adult": "Mel",
        },
    )
    page = response.content.decode()
    assert "today or in the future" in page and "at least 2" in page
    response = client.post(url, {"expected_status": "requested", "visit_date": "not a date"})
    assert response.status_code == 200
    response = client.post(
        url,
        {
            "expected_status": "requested",
            "visit_date": today().isoformat(),
            "visit_time": "10:00",
            "auditors": [ruby.pk, kai.pk],
            "supporting_adult": "Mel",
        },
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.status == S.SCHEDULED and audit.assignments.count() == 2


def test_the_coordinator_adds_a_young_auditor_with_a_simple_account(client, coordinator):
    client.force_login(coordinator)
    url = reverse("kitemark_admin:auditor_add")
    data = {
        "first_name": "Ava",
        "age_band": "14-15",
        "username": "ava",
        "password": "a long password",
        "training_completed_on": today().isoformat(),
    }
    response = client.post(url, data)
    assert "under 16" in response.content.decode()  # no parental consent recorded
    response = client.post(url, {**data, "parental_consent_on": today().isoformat()})
    assert response.status_code == 302
    profile = AuditorProfile.objects.get(first_name="Ava")
    assert profile.user.groups.filter(name="Young auditors").exists()
    assert profile.user.check_password("a long password")
    response = client.post(url, {**data, "parental_consent_on": today().isoformat()})
    assert "username is taken" in response.content.decode()


def test_a_published_standards_version_cannot_be_edited_but_a_new_one_can(client, coordinator):
    client.force_login(coordinator)
    current = StandardSet.objects.current()
    response = client.get(reverse("kitemark_standards:edit", args=[current.pk]))
    assert response.status_code == 302
    response = client.post(
        reverse("kitemark_admin:standard_set_action", args=[current.pk, "new-version"])
    )
    draft = StandardSet.objects.get(published_on__isnull=True)
    assert draft.standards.count() == current.standards.count()
    assert client.get(reverse("kitemark_standards:edit", args=[draft.pk])).status_code == 200
    client.post(reverse("kitemark_admin:standard_set_action", args=[draft.pk, "publish"]))
    assert StandardSet.objects.current() == draft
    assert (
        client.post(
            reverse("kitemark_admin:standard_set_action", args=[draft.pk, "nonsense"])
        ).status_code
        == 404
    )


def test_the_overview_shows_states_overdue_reaudits_and_training_due(
    client, coordinator, listing, auditors
):
    audit = audit_to(S.NOT_YET, listing=listing, coordinator=coordinator, auditors=auditors)
    Audit.objects.filter(pk=audit.pk).update(reaudit_due_on=today() - datetime.timedelta(days=1))
    AuditorProfile.objects.filter(pk=auditors[0].pk).update(
        training_completed_on=today() - datetime.timedelta(days=400)
    )
    client.force_login(coordinator)
    page = client.get(reverse("kitemark_admin:overview")).content.decode()
    assert "Hexham Saturday Club</a>: re-audit was due" in page
    assert "Overdue" in page
    assert "Not yet: advice given" in page


# --- Providers -----------------------------------------------------------------------------


def test_a_provider_requests_an_audit_of_their_own_listing_only(
    client, provider_a, listing, other_listing
):
    client.force_login(provider_a)
    url = reverse("kitemark_admin:request")
    page = client.get(url).content.decode()
    assert "Hexham Saturday Club" in page and "Morpeth Play Scheme" not in page
    response = client.post(url, {"listing": other_listing.pk})
    assert response.status_code == 200 and not Audit.objects.exists()
    response = client.post(url, {"listing": listing.pk, "note": "New ramp"})
    assert response.status_code == 302
    assert Audit.objects.get().listing_id == listing.pk


def test_a_provider_cannot_see_reviews_before_the_decision(client, provider_a, with_panel):
    client.force_login(provider_a)
    page = client.get(reverse("kitemark_admin:provider")).content.decode()
    assert "Hexham Saturday Club" in page
    assert "Staff said hello" not in page
    assert "feedback shows here once the panel has decided" in page


def test_a_provider_sees_feedback_and_advice_after_the_decision_without_names(
    client, provider_a, coordinator, listing, auditors
):
    audit_to(S.NOT_YET, listing=listing, coordinator=coordinator, auditors=auditors)
    client.force_login(provider_a)
    page = client.get(reverse("kitemark_admin:provider")).content.decode()
    assert "Put in a ramp" in page and "Staff said hello" in page
    assert "Auditor 1" in page and "Ruby" not in page


def test_a_provider_never_sees_another_providers_audits(
    client, provider_b, coordinator, listing, auditors
):
    audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    client.force_login(provider_b)
    assert (
        "Hexham Saturday Club"
        not in client.get(reverse("kitemark_admin:provider")).content.decode()
    )


def test_the_coordinator_gives_a_young_auditor_a_new_password(client, coordinator, ruby):
    client.force_login(coordinator)
    url = reverse("kitemark_admin:auditor_password", args=[ruby.pk])
    assert "at least 10" in client.post(url, {"password": "short"}).content.decode()
    assert client.post(url, {"password": "a brand new password"}).status_code == 302
    ruby.user.refresh_from_db()
    assert ruby.user.check_password("a brand new password")


def test_the_council_asks_for_an_audit_of_any_listing(client, moderator, listing, other_listing):
    client.force_login(moderator)
    url = reverse("kitemark_admin:request")
    page = client.get(url).content.decode()
    assert "Hexham Saturday Club" not in page  # staff search first: never every listing
    page = client.get(url + "?q=morpeth").content.decode()
    assert "Morpeth Play Scheme" in page and "Hexham Saturday Club" not in page
    assert "No listing" in client.get(url + "?q=nowhere").content.decode()
    page = client.get(url + f"?listing={listing.pk}").content.decode()
    assert "Hexham Saturday Club" in page  # the re-audit link from the overview
    assert client.post(url, {"listing": other_listing.pk}).status_code == 302
    assert Audit.objects.get().requested_as == "council"


@pytest.mark.parametrize("who", ["family", "broker", "ruby"])
def test_families_brokers_and_auditors_cannot_ask_for_an_audit(client, request, who, listing):
    user = request.getfixturevalue(who)
    client.force_login(getattr(user, "user", user))
    assert_denied(client.get(reverse("kitemark_admin:request")))
    assert_denied(client.post(reverse("kitemark_admin:request"), {"listing": listing.pk}))
    assert not Audit.objects.exists()


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("1111111111", "too common"),
        ("1234567890", "too common"),
        ("98765432109", "entirely numeric"),
        ("ava-ava-ava", "too similar"),
    ],
)
def test_a_young_auditors_password_passes_the_same_rules_as_everyones(
    client, coordinator, ruby, password, why
):
    client.force_login(coordinator)
    data = {
        "first_name": "Ava",
        "age_band": "16-17",
        "username": "ava-ava-ava",
        "password": password,
        "training_completed_on": today().isoformat(),
    }
    response = client.post(reverse("kitemark_admin:auditor_add"), data)
    assert why in response.content.decode()
    assert not AuditorProfile.objects.filter(first_name="Ava").exists()
    url = reverse("kitemark_admin:auditor_password", args=[ruby.pk])
    if why != "too similar":
        assert why in client.post(url, {"password": password}).content.decode()
        ruby.user.refresh_from_db()
        assert not ruby.user.check_password(password)
