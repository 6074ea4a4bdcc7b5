"""Issue 15: a young auditor's visit email says when and where, and who is going with them,
in plain text; and the coordinator's booking form has only the fields it asks for."""

import datetime

import pytest
from django.urls import reverse

from core.dates import today
from kitemark import services
from kitemark.choices import AuditStatus as S
from kitemark.models import Audit
from tests.factories.kitemark import make_auditor
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def priya(db):
    from core.roles import KITEMARK_COORDINATORS

    return make_user("priya", KITEMARK_COORDINATORS, first_name="Priya")


@pytest.fixture
def team(db):
    return [
        make_auditor("ruby", "Ruby"),
        make_auditor("kai", "Kai"),
        make_auditor("siobhan", "Siobhán"),
    ]


def book(priya, listing, team, visit_date):
    audit = services.audit_request(user=priya, listing=listing)
    services.audit_schedule(
        user=priya,
        audit=audit,
        visit_date=visit_date,
        visit_time=datetime.time(10, 30),
        auditors=team,
        supporting_adult="Mel O'Brien from the kitemark team",
        expected_status=S.REQUESTED,
    )
    return audit


def email_to(mailoutbox, address):
    found = [m for m in mailoutbox if address in m.to]
    assert len(found) == 1, [m.to for m in mailoutbox]
    return found[0]


def test_the_visit_email_says_when_where_and_who_is_going_in_plain_text(
    priya, listing, team, mailoutbox, django_capture_on_commit_callbacks
):
    listing.title = "St Mary's Saturday Club"
    listing.address_line_1 = "St Mary's Hall"
    listing.address_line_2 = "Battle Hill"
    listing.save()
    visit_date = datetime.date(2027, 3, 13)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        audit = book(priya, listing, team, visit_date)
    body = email_to(mailoutbox, "ruby@example.org").body
    assert body.startswith("Hello Ruby.")
    assert "When: Saturday 13 March 2027 at 10:30am" in body
    assert f"Where: St Mary's Hall, Battle Hill, Hexham, {listing.postcode}" in body
    assert "- Kai, from the kitemark panel" in body
    assert "- Siobhán, from the kitemark panel" in body
    assert "- Mel O'Brien from the kitemark team, the adult who supports you" in body
    assert "Priya booked this visit. Ask Priya if you have a question." in body
    assert "- Ruby" not in body  # not going with herself
    assert "&#x27;" not in body and "&amp;" not in body
    kai_body = email_to(mailoutbox, "kai@example.org").body
    assert "- Ruby, from the kitemark panel" in kai_body and "- Kai," not in kai_body
    assert audit.visit_time == datetime.time(10, 30)


def test_the_reminder_before_a_visit_says_when_where_and_who_too(
    priya, listing, team, mailoutbox, django_capture_on_commit_callbacks, settings
):
    visit_date = today() + datetime.timedelta(days=settings.KITEMARK_VISIT_REMINDER_DAYS)
    book(priya, listing, team, visit_date)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()
    body = email_to(mailoutbox, "kai@example.org").body
    assert f"When: {visit_date:%A} {visit_date.day} {visit_date:%B %Y} at 10:30am" in body
    assert "Where: Community Centre, Hexham" in body
    assert "- Ruby, from the kitemark panel" in body


def test_the_auditors_visits_page_shows_the_time_and_address(client, priya, listing, team):
    book(priya, listing, team, today())
    client.force_login(team[0].user)
    page = client.get(reverse("kitemark:auditor_home")).content.decode()
    assert "at 10:30am" in page
    assert f"Where: Community Centre, Hexham, {listing.postcode}" in page


def test_the_booking_form_has_no_label_without_a_field(client, priya, listing, team):
    audit = services.audit_request(user=priya, listing=listing)
    client.force_login(priya)
    page = client.get(reverse("kitemark_admin:audit_schedule", args=[audit.pk])).content.decode()
    assert "Expected status" not in page
    assert 'type="hidden" name="expected_status" value="requested"' in page
    assert "Start time" in page and 'type="time"' in page


def test_booking_a_visit_with_a_bad_or_missing_time_says_what_is_wrong(
    client, priya, listing, team
):
    audit = services.audit_request(user=priya, listing=listing)
    client.force_login(priya)
    url = reverse("kitemark_admin:audit_schedule", args=[audit.pk])
    data = {
        "expected_status": "requested",
        "visit_date": today().isoformat(),
        "auditors": [a.pk for a in team],
        "supporting_adult": "Mel",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Enter the time the visit starts, e.g. 10:30" in response.content.decode()
    response = client.post(url, {**data, "visit_time": "25:99"})
    assert "Enter a real time, e.g. 10:30" in response.content.decode()
    assert Audit.objects.get(pk=audit.pk).status == S.REQUESTED
    response = client.post(url, {**data, "visit_time": "14:00"})
    assert response.status_code == 302
    assert Audit.objects.get(pk=audit.pk).visit_time == datetime.time(14, 0)
