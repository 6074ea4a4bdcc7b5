"""A report about a child's safety is a safeguarding concern, never a typo: it goes at once to
the designated safeguarding inbox and the LADO, tops council staff's queue, moves only through
its own steps (each with who, when and a note), and what was reported can never be changed.
Ordinary reports get notes and are dealt with, saying what was done."""

import importlib
import logging

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.audit import trail_of
from core.models import Notification
from core.workflow import TransitionRefused
from directory import reports
from directory.admin_views import council_attention_counts
from directory.models import ListingReport, ReportEvent
from tests.factories.directory import InclusiveClubPageFactory
from tests.helpers import assert_denied

WORDS = "A worker shouted at my son and grabbed his arm at the Friday session."
NOTE = "Called the reporter back at 10:15; she confirmed what happened. Morag"


@pytest.fixture
def inboxes(settings):
    settings.SAFEGUARDING_EMAIL = "front-door@council.example"
    settings.LADO_EMAIL = "lado@council.example"
    return settings


@pytest.fixture
def club(org_b):
    return InclusiveClubPageFactory(organisation=org_b, title="Morpeth Friday Youth Club")


def send(client, club, capture, **data):
    fields = {"safety": "yes", "details": WORDS, "reply_email": "parent@example.net", **data}
    with capture(execute=True):
        return client.post(reverse("directory:report_problem", args=[club.pk]), fields)


@pytest.fixture
def concern(club, inboxes):
    return reports.listing_report_create(
        listing=club, safety=True, reason="", details=WORDS, reply_email="parent@example.net"
    )


def step(client, concern, to, note=NOTE, **extra):
    url = reverse("directory_admin:report", args=[concern.pk])
    return client.post(url, {"action": "step", "step-to": to, "step-note": note, **extra})


# --- The public form ---------------------------------------------------------------------------


def test_the_form_asks_first_whether_it_is_about_a_childs_safety_and_says_to_call_999(client, club):
    content = client.get(reverse("directory:report_problem", args=[club.pk])).content.decode()
    assert "Is this about a child&#x27;s safety?" in content
    assert "straight to the people at the council whose job is to keep children safe" in content
    assert "If a child is in danger now, call 999." in content
    assert content.index("child&#x27;s safety?") < content.index("What is the problem?")
    assert "I am worried about a child&#x27;s safety" not in content  # not one typo among many


def test_a_report_about_a_childs_safety_is_received_as_a_safeguarding_concern(
    client, club, inboxes, django_capture_on_commit_callbacks
):
    response = send(client, club, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:concern_sent", args=[club.pk])
    report = ListingReport.objects.get()
    assert (report.safeguarding, report.status, report.reason) == (True, "received", "safeguarding")
    assert report.listing_title == "Morpeth Friday Youth Club"
    assert [(e.from_status, e.to_status) for e in report.events.all()] == [("", "received")]
    sent = client.get(response["Location"]).content.decode()
    assert "What happens next" in sent
    assert "If a child is in danger now, call 999." in sent


def test_saying_yes_makes_it_a_concern_whatever_problem_was_also_chosen(
    client, club, inboxes, django_capture_on_commit_callbacks
):
    send(client, club, django_capture_on_commit_callbacks, reason="wrong_details")
    assert ListingReport.objects.get().safeguarding is True


def test_a_concern_is_emailed_at_once_to_the_safeguarding_inbox_and_the_lado_with_the_report(
    client, club, inboxes, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    send(client, club, django_capture_on_commit_callbacks)

    for inbox in ["front-door@council.example", "lado@council.example"]:
        (designated,) = [m for m in mailoutbox if inbox in m.to]
        assert designated.to == [inbox]
        assert designated.subject == (
            "Safeguarding concern reported about Morpeth Friday Youth Club"
        )
        assert WORDS in designated.body
        assert "parent@example.net" in designated.body
        assert "designated safeguarding recipient" in designated.body


def test_council_staff_hear_a_concern_is_waiting_but_their_email_does_not_carry_it(
    client, club, inboxes, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    send(client, club, django_capture_on_commit_callbacks)

    (to_staff,) = [m for m in mailoutbox if moderator.email in m.to]
    assert to_staff.to == [moderator.email]
    assert "Safeguarding concern waiting" in to_staff.subject
    assert WORDS not in to_staff.body
    assert Notification.objects.filter(recipient=moderator, kind="concern_to_staff").exists()


def test_the_person_who_reported_is_acknowledged_without_their_words_being_repeated(
    client, club, inboxes, mailoutbox, django_capture_on_commit_callbacks
):
    send(client, club, django_capture_on_commit_callbacks)

    (ack,) = [m for m in mailoutbox if "parent@example.net" in m.to]
    assert ack.to == ["parent@example.net"]
    assert ack.subject == "We have your report about a child's safety"
    assert "If a child is in danger now, call 999." in ack.body
    assert "shouted" not in ack.body and "grabbed" not in ack.body


def test_without_an_email_address_the_concern_still_reaches_the_designated_inboxes(
    client, club, inboxes, mailoutbox, django_capture_on_commit_callbacks
):
    send(client, club, django_capture_on_commit_callbacks, reply_email="")

    recipients = {address for m in mailoutbox for address in m.to}
    assert {"front-door@council.example", "lado@council.example"} <= recipients
    assert "parent@example.net" not in recipients


def test_an_ordinary_report_does_not_go_to_the_safeguarding_inbox(
    client, club, inboxes, mailoutbox, django_capture_on_commit_callbacks
):
    send(client, club, django_capture_on_commit_callbacks, safety="no", reason="cannot_contact")

    report = ListingReport.objects.get()
    assert (report.safeguarding, report.status) == (False, "open")
    recipients = {address for m in mailoutbox for address in m.to}
    assert not recipients & {"front-door@council.example", "lado@council.example"}


def test_what_a_concern_says_never_reaches_the_logs(
    client, club, inboxes, moderator, caplog, django_capture_on_commit_callbacks
):
    request_logger = logging.getLogger("django.request")
    request_logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.DEBUG):
            send(client, club, django_capture_on_commit_callbacks)
            client.force_login(moderator)
            concern = ListingReport.objects.get()
            client.get(reverse("directory_admin:report", args=[concern.pk]))
            step(client, concern, "acknowledged")
            step(client, concern, "referred", note="x" * 2001)  # refused, logged as 200
    finally:
        request_logger.removeHandler(caplog.handler)

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "grabbed his arm" not in logged
    assert "confirmed what happened" not in logged
    assert "parent@example.net" not in logged
    summaries = " ".join(e.summary for e in trail_of(concern))
    assert "grabbed" not in summaries and "confirmed" not in summaries


# --- The staff queue ---------------------------------------------------------------------------


def test_the_staff_queue_shows_concerns_first_with_a_clear_tag(client, club, concern, moderator):
    ListingReport.objects.create(listing=club, reason="wrong_details", details="Wrong phone")
    client.force_login(moderator)

    content = client.get(reverse("directory_admin:reports")).content.decode()

    assert "Safeguarding concern" in content
    assert content.index(WORDS) < content.index("Wrong phone")
    assert "Mark as dealt with" not in content


def test_the_council_dashboard_counts_open_concerns_apart_from_other_reports(club, concern):
    ListingReport.objects.create(listing=club, reason="wrong_details", details="Wrong phone")
    counts = council_attention_counts()
    assert (counts["concerns"], counts["reports"]) == (1, 1)


# --- The concern's steps -----------------------------------------------------------------------


def test_a_concern_is_acknowledged_referred_and_closed_each_step_with_who_when_and_a_note(
    client, concern, moderator
):
    client.force_login(moderator)
    for to in ["acknowledged", "referred", "closed"]:
        response = step(client, concern, to, note=f"{to}: {NOTE}")
        assert response.status_code == 302, to

    concern.refresh_from_db()
    assert concern.status == "closed"
    assert concern.resolved_by == moderator
    events = list(concern.events.all())
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", "received"),
        ("received", "acknowledged"),
        ("acknowledged", "referred"),
        ("referred", "closed"),
    ]
    assert all(e.actor == moderator and e.actor_name == "Morag" for e in events[1:])
    assert events[2].note == f"referred: {NOTE}"
    assert all(e.at is not None for e in events)
    page = client.get(reverse("directory_admin:report", args=[concern.pk])).content.decode()
    assert "Acknowledged to Referred" in page
    assert "referred: Called the reporter back" in page


def test_a_concern_can_need_no_further_action_and_then_be_closed(client, concern, moderator):
    client.force_login(moderator)
    step(client, concern, "acknowledged")
    step(client, concern, "no_further_action", note="Checked with the LADO: no concern met.")
    step(client, concern, "closed")
    concern.refresh_from_db()
    assert concern.status == "closed"


def test_every_step_of_a_concern_needs_a_note(client, concern, moderator):
    client.force_login(moderator)
    response = step(client, concern, "acknowledged", note="   ")
    assert response.status_code == 200
    assert "Say how the concern was acknowledged" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == "received"


def test_a_concern_cannot_skip_acknowledgement(client, concern, moderator):
    client.force_login(moderator)
    response = step(client, concern, "referred")
    assert response.status_code == 200
    assert "That step is not one this concern can take now" in response.content.decode()
    with pytest.raises(TransitionRefused) as refused:
        reports.concern_move(user=moderator, report=concern, to="referred", note=NOTE)
    assert refused.value.code == "illegal"
    concern.refresh_from_db()
    assert concern.status == "received"


def test_a_concern_cannot_be_marked_dealt_with_like_a_typo(client, concern, moderator):
    with pytest.raises(TransitionRefused):
        reports.listing_report_deal_with(user=moderator, report=concern, note="Sorted")
    client.force_login(moderator)
    url = reverse("directory_admin:report", args=[concern.pk])
    assert "Mark as dealt with" not in client.get(url).content.decode()
    response = client.post(url, {"action": "deal_with", "deal_with-note": "Sorted"})
    assert response.status_code == 200
    assert "cannot be marked as dealt with" in response.content.decode()
    concern.refresh_from_db()
    assert (concern.status, concern.resolved_at) == ("received", None)


def test_a_step_taken_meanwhile_by_someone_else_is_refused_saying_where_it_is_now(
    client, concern, moderator
):
    reports.concern_move(user=moderator, report=concern, to="acknowledged", note=NOTE)
    client.force_login(moderator)
    response = step(client, concern, "acknowledged", **{"step-expected_status": "received"})
    # the form no longer offers "acknowledged", so the person is told to choose again
    assert response.status_code == 200
    concern.refresh_from_db()
    assert concern.events.filter(to_status="acknowledged").count() == 1
    with pytest.raises(TransitionRefused) as refused:
        reports.concern_move(
            user=moderator, report=concern, to="referred", note=NOTE, expected_status="received"
        )
    assert refused.value.code == "stale"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "banana"},
        {"action": "step", "step-to": "banana", "step-note": NOTE},
        {"action": "step", "step-to": "acknowledged", "step-note": "x" * 2001},
        {"action": "note", "note-note": ""},
        {"action": "note", "note-note": "x" * 2001},
    ],
)
def test_nonsense_posted_to_a_concern_is_a_clear_message_never_an_error_page(
    client, concern, moderator, data
):
    client.force_login(moderator)
    response = client.post(reverse("directory_admin:report", args=[concern.pk]), data)
    assert response.status_code in (200, 302)
    concern.refresh_from_db()
    assert concern.status == "received"
    assert concern.events.count() == 1


def test_opening_a_concern_is_recorded_in_the_audit_trail(client, concern, moderator):
    client.force_login(moderator)
    client.get(reverse("directory_admin:report", args=[concern.pk]))
    assert trail_of(concern).filter(action="safeguarding_concern_viewed", actor=moderator).exists()


# --- A record that cannot be changed -----------------------------------------------------------


def test_what_was_reported_in_a_concern_cannot_be_changed_or_deleted(concern, moderator):
    concern.details = "Nothing happened really."
    with pytest.raises(ValueError, match="cannot be changed"):
        concern.save()
    concern.refresh_from_db()
    with pytest.raises(ValueError, match="cannot be deleted"):
        concern.delete()
    event = concern.events.get()
    event.note = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert ListingReport.objects.get().details == WORDS


def test_a_concern_outlives_its_listing(club, concern):
    club.delete()
    concern.refresh_from_db()
    assert concern.listing_id is None
    assert concern.listing_title == "Morpeth Friday Youth Club"


# --- Who may act -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [None, "family", "young_auditor", "provider_b", "broker", "coordinator"]
)
def test_only_council_staff_see_or_act_on_concerns(client, request, role, concern):
    if role:
        client.force_login(request.getfixturevalue(role))
    url = reverse("directory_admin:report", args=[concern.pk])

    assert_denied(client.get(reverse("directory_admin:reports")))
    assert_denied(client.get(url))
    assert_denied(step(client, concern, "acknowledged"))
    assert_denied(client.post(url, {"action": "note", "note-note": "Seen"}))
    assert concern.events.count() == 1
    if role:
        user = request.getfixturevalue(role)
        with pytest.raises(PermissionDenied):
            reports.concern_move(user=user, report=concern, to="acknowledged", note=NOTE)
        with pytest.raises(PermissionDenied):
            reports.listing_report_note(user=user, report=concern, note="Seen")


def test_council_staff_see_and_act_on_concerns(client, concern, moderator):
    client.force_login(moderator)
    assert client.get(reverse("directory_admin:reports")).status_code == 200
    content = client.get(reverse("directory_admin:report", args=[concern.pk])).content.decode()
    assert "front-door@council.example" in content
    assert step(client, concern, "acknowledged").status_code == 302


# --- Ordinary reports ------------------------------------------------------------------------


def test_council_staff_add_notes_to_an_ordinary_report(client, club, moderator):
    report = ListingReport.objects.create(listing=club, reason="wrong_details", details="Phone")
    client.force_login(moderator)
    url = reverse("directory_admin:report", args=[report.pk])
    client.post(url, {"action": "note", "note-note": "Asked the provider for the new number"})
    (event,) = ReportEvent.objects.filter(report=report)
    assert (event.from_status, event.to_status, event.actor) == ("open", "open", moderator)
    assert "Asked the provider for the new number" in client.get(url).content.decode()


def test_an_ordinary_report_can_still_be_corrected(club):
    report = ListingReport.objects.create(listing=club, reason="other", details="x")
    report.reason = "wrong_details"
    report.save()  # only a safeguarding concern is fixed once received


# --- Reports sent before concerns had their own steps ------------------------------------------


def test_safety_reports_sent_before_come_back_to_the_queue_as_received_concerns(club, moderator):
    migration = importlib.import_module("directory.migrations.0014_safeguarding_concerns")
    old = ListingReport.objects.create(listing=club, reason="safeguarding", details=WORDS)
    ListingReport.objects.filter(pk=old.pk).update(
        listing_title="", resolved_at="2026-01-05T10:00:00Z", resolved_by=moderator
    )
    typo = ListingReport.objects.create(listing=club, reason="closed", details="Closed")

    migration.bring_reports_up_to_date(apps, None)

    old.refresh_from_db()
    typo.refresh_from_db()
    assert (old.safeguarding, old.status, old.resolved_at) == (True, "received", None)
    assert old.listing_title == "Morpeth Friday Youth Club"
    assert "marked dealt with on 05 January 2026" in old.events.get().note
    assert (typo.safeguarding, typo.status) == (False, "open")


# --- An ordinary report that is really about a child's safety --------------------------------


def test_council_staff_can_treat_an_ordinary_report_as_a_safeguarding_concern(
    client, club, inboxes, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    report = reports.listing_report_create(
        listing=club, safety=False, reason="other", details=WORDS, reply_email="p@example.net"
    )
    client.force_login(moderator)
    url = reverse("directory_admin:report", args=[report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"action": "make_concern", "make_concern-note": "Describes a worker grabbing"}
        )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.safeguarding, report.status) == (True, "received")
    assert report.events.last().note == "Describes a worker grabbing"
    recipients = {address for m in mailoutbox for address in m.to}
    assert {"front-door@council.example", "lado@council.example"} <= recipients
    assert "p@example.net" not in {a for m in mailoutbox if "child" in m.subject for a in m.to}
    report.details = "changed"
    with pytest.raises(ValueError):
        report.save()


def test_treating_a_report_as_a_concern_needs_a_reason(client, club, moderator):
    report = ListingReport.objects.create(listing=club, reason="other", details="x")
    client.force_login(moderator)
    url = reverse("directory_admin:report", args=[report.pk])
    response = client.post(url, {"action": "make_concern", "make_concern-note": ""})
    assert response.status_code == 200
    assert "Say why this report is about a child" in response.content.decode()
    report.refresh_from_db()
    assert (report.safeguarding, report.status) == (False, "open")


@pytest.mark.parametrize(
    "role", [None, "family", "young_auditor", "provider_b", "broker", "coordinator"]
)
def test_only_council_staff_can_treat_a_report_as_a_concern(client, request, role, club):
    report = ListingReport.objects.create(listing=club, reason="other", details="x")
    if role:
        client.force_login(request.getfixturevalue(role))
    url = reverse("directory_admin:report", args=[report.pk])
    assert_denied(client.post(url, {"action": "make_concern", "make_concern-note": "Harm"}))
    report.refresh_from_db()
    assert report.safeguarding is False
