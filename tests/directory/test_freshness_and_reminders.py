"""Listings stay current: reminders at 10 and 12 weeks, stale at 13, hidden at 26 until
confirmed; DBS reminders before a check lapses. Reminders are sent once, however often the
command runs."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from core.dates import today
from directory import services
from directory.choices import DBSStatus, Freshness
from directory.models import ListingPage, ListingStatus
from tests.factories.directory import (
    DBSCheckFactory,
    ShortBreakServicePageFactory,
    StaffMemberFactory,
)

WEEK = datetime.timedelta(weeks=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def listing(org_a, provider_a):
    page = ShortBreakServicePageFactory(organisation=org_a, title="Prudhoe Play Scheme")
    return page


def assure(listing, day):
    ListingStatus.objects.filter(listing_id=listing.pk).update(assured_date=day)


def status_of(listing):
    return ListingStatus.objects.get(listing_id=listing.pk)


@pytest.mark.parametrize(
    ("age", "freshness", "public"),
    [
        (13 * WEEK - DAY, Freshness.CURRENT, True),
        (13 * WEEK, Freshness.STALE, True),
        (26 * WEEK - DAY, Freshness.STALE, True),
        (26 * WEEK, Freshness.EXPIRED, False),
    ],
)
def test_a_listing_is_stale_at_13_weeks_and_leaves_the_directory_at_26_weeks(
    client, listing, age, freshness, public
):
    assure(listing, today() - age)
    status = status_of(listing)
    assert status.freshness() == freshness
    assert status.in_directory() is public
    assert ListingPage.objects.in_directory().filter(pk=listing.pk).exists() is public
    response = client.get(listing.url)
    assert response.status_code == (200 if public else 404)
    if public:
        assert b"Last checked" in response.content
    if freshness == Freshness.STALE:
        assert b"has not confirmed these details recently" in response.content


@pytest.mark.parametrize(
    ("days_after_lapse", "public"), [(0, True), (13, True), (14, False), (15, False)]
)
def test_a_lapsed_dbs_check_flags_the_listing_at_once_and_hides_it_after_the_grace_period(
    client, org_a, listing, days_after_lapse, public
):
    person = StaffMemberFactory(organisation=org_a)
    lapsed_on = today() - datetime.timedelta(days=days_after_lapse)
    DBSCheckFactory(
        person=person,
        issue_date=lapsed_on - datetime.timedelta(days=3 * 365),
        next_due_date=lapsed_on,
    )
    status = status_of(listing)
    assert status.dbs_status == DBSStatus.LAPSED
    assert status.dbs_lapsed_on == lapsed_on
    assert ListingPage.objects.in_directory().filter(pk=listing.pk).exists() is public
    response = client.get(listing.url)
    assert response.status_code == (200 if public else 404)
    if public:
        assert b"DBS check has lapsed" in response.content


def sent_to(mailoutbox, user):
    return [m for m in mailoutbox if user.email in m.to]


def run_reminders(on, captured):
    with captured(execute=True):
        return services.reminders_send(on=on)


@pytest.fixture
def captured(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_freshness_reminders_go_at_10_and_12_weeks_once_each(
    listing, provider_a, captured, mailoutbox
):
    assured = today()
    assure(listing, assured)
    assert run_reminders(assured + 10 * WEEK - DAY, captured)["freshness"] == 0
    assert run_reminders(assured + 10 * WEEK, captured)["freshness"] == 1
    assert run_reminders(assured + 10 * WEEK, captured)["freshness"] == 0
    assert run_reminders(assured + 11 * WEEK, captured)["freshness"] == 0
    assert run_reminders(assured + 12 * WEEK, captured)["freshness"] == 1
    assert run_reminders(assured + 12 * WEEK + DAY, captured)["freshness"] == 0
    assert len(sent_to(mailoutbox, provider_a)) == 2


def test_a_missed_first_reminder_is_not_sent_late_alongside_the_second(
    listing, provider_a, captured, mailoutbox
):
    assure(listing, today())
    assert run_reminders(today() + 12 * WEEK, captured)["freshness"] == 1
    assert run_reminders(today() + 12 * WEEK, captured)["freshness"] == 0
    assert len(sent_to(mailoutbox, provider_a)) == 1


def test_confirming_a_listing_starts_a_new_reminder_cycle(
    listing, provider_a, captured, mailoutbox
):
    start = today() - 10 * WEEK
    assure(listing, start)
    run_reminders(today(), captured)
    services.listing_confirm_accuracy(listing=listing, user=provider_a)
    assert status_of(listing).assured_date == today()
    assert run_reminders(today() + 10 * WEEK, captured)["freshness"] == 1


def test_the_reminder_command_is_idempotent(listing, org_a, provider_a, moderator, capsys):
    assure(listing, today() - 10 * WEEK)
    DBSCheckFactory(person=StaffMemberFactory(organisation=org_a), due_soon=True)
    call_command("send_reminders")
    first = capsys.readouterr().out
    call_command("send_reminders")
    second = capsys.readouterr().out
    assert "freshness: 1" in first and "dbs due soon: 1" in first
    assert "freshness: 0" in second and "dbs due soon: 0" in second


def test_the_reminder_email_carries_a_one_click_link_that_confirms_only_on_post(
    client, listing, provider_a, captured, mailoutbox
):
    assure(listing, today() - 10 * WEEK)
    run_reminders(today(), captured)
    (email,) = sent_to(mailoutbox, provider_a)
    link = re.search(r"http://testserver(/confirm-listing/\S+)", email.body).group(1)
    response = client.get(link)  # email scanners follow links: that must not confirm
    assert response.status_code == 200
    assert status_of(listing).assured_date == today() - 10 * WEEK
    response = client.post(link)
    assert response.status_code == 200
    assert status_of(listing).assured_date == today()
    assert b"Listing confirmed" in response.content


def test_a_confirmation_link_expires_after_28_days(client, listing):
    token = services.confirmation_token(listing)
    url = reverse("directory:confirm_listing", args=[token])
    with freeze_time(datetime.datetime.now() + datetime.timedelta(days=29)):
        response = client.post(url)
    assert response.status_code == 410
    assert b"expired" in response.content.lower()


def test_a_tampered_confirmation_link_is_not_found(client, listing):
    token = services.confirmation_token(listing)
    url = reverse("directory:confirm_listing", args=[token[:-2] + "zz"])
    assert client.post(url).status_code == 404
    assert client.get(reverse("directory:confirm_listing", args=["nonsense"])).status_code == 404


def test_dbs_reminders_go_to_the_provider_and_the_council_once_before_and_once_at_lapse(
    org_a, provider_a, moderator, listing, captured, mailoutbox
):
    check = DBSCheckFactory(
        person=StaffMemberFactory(organisation=org_a),
        issue_date=today() - datetime.timedelta(days=400),
        next_due_date=today() + datetime.timedelta(days=40),
    )
    due = check.next_due_date
    assert run_reminders(due - datetime.timedelta(days=31), captured)["dbs_due_soon"] == 0
    assert run_reminders(due - datetime.timedelta(days=30), captured)["dbs_due_soon"] == 1
    assert run_reminders(due - datetime.timedelta(days=29), captured)["dbs_due_soon"] == 0
    assert run_reminders(due - DAY, captured)["dbs_lapsed"] == 0
    assert run_reminders(due, captured)["dbs_lapsed"] == 1
    assert run_reminders(due + DAY, captured)["dbs_lapsed"] == 0
    assert len(sent_to(mailoutbox, provider_a)) == 2
    assert len(sent_to(mailoutbox, moderator)) == 2
    assert all(check.certificate_number not in m.body for m in mailoutbox)


def test_badges_change_as_dates_pass_when_the_daily_run_refreshes_them(org_a, listing, captured):
    check = DBSCheckFactory(
        person=StaffMemberFactory(organisation=org_a),
        issue_date=today() - datetime.timedelta(days=400),
        next_due_date=today() + datetime.timedelta(days=5),
    )
    assert status_of(listing).dbs_status == DBSStatus.DUE_SOON
    run_reminders(check.next_due_date, captured)
    status = status_of(listing)
    assert status.dbs_status == DBSStatus.LAPSED
    assert status.dbs_lapsed_on == check.next_due_date


def test_a_provider_confirms_a_listing_from_their_dashboard(client, listing, provider_a):
    assure(listing, today() - 20 * WEEK)
    client.force_login(provider_a)
    response = client.get(reverse("wagtailadmin_home"))
    assert b"Prudhoe Play Scheme" in response.content
    response = client.post(reverse("directory_admin:listing_confirm", args=[listing.pk]))
    assert response.status_code == 302
    assert status_of(listing).assured_date == today()


def test_another_provider_cannot_confirm_a_listing(client, listing, provider_b):
    assure(listing, today() - 20 * WEEK)
    client.force_login(provider_b)
    client.post(reverse("directory_admin:listing_confirm", args=[listing.pk]))
    assert status_of(listing).assured_date == today() - 20 * WEEK


def test_one_click_links_are_emailed_but_never_stored_in_the_in_app_updates(
    listing, provider_a, captured
):
    from core.models import Notification

    assure(listing, today() - 10 * WEEK)
    run_reminders(today(), captured)
    (update,) = Notification.objects.filter(recipient=provider_a, kind="freshness_reminder")
    assert "confirm-listing" not in update.url
    assert update.url == reverse("wagtailadmin_pages:edit", args=[listing.pk])
