"""Capacity taken by a confirmed agreement survives the listing's page revisions: a provider's
draft written before the agreement (waiting for a moderator), or an older version brought back,
never gives the places or hours back when it is published. Places drop by one, hours by the
hours agreed, never below zero."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from brokerage import services
from core.models import AuditEvent
from directory.choices import CapacityUnit
from directory.models import ListingPage
from tests.admin_forms import edit_url, form_data, submit_change
from tests.factories.directory import ShortBreakServicePageFactory

from .conftest import accept, write_up

NEW_SUMMARY = "Saturday and Sunday club with swimming, crafts and a sensory room."


def agree(*, listing, editor, broker, family, request, hours="6"):
    """The whole brokerage journey for one listing, to the second confirmation."""
    [offer] = services.offers_send(user=broker, request=request, listings=[listing])
    accept(offer, editor, hours)
    services.offer_choose(user=family, offer=offer)
    request.refresh_from_db()
    agreement = write_up(request, broker=broker, family=family, hours=hours)
    services.agreement_confirm(user=editor, agreement=agreement)
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def club(org_a):
    return ShortBreakServicePageFactory(organisation=org_a, title="Hexham Saturday Club")


@pytest.fixture
def pa(listing):
    """Sam, a personal assistant in Hexham (the brokerage suite's `listing`)."""
    return listing


@pytest.fixture
def agree_for(assigned, broker_ready, family):
    def run(listing, editor, hours="6"):
        return agree(
            listing=listing,
            editor=editor,
            broker=broker_ready,
            family=family,
            request=assigned,
            hours=hours,
        )

    return run


def live(listing) -> ListingPage:
    return ListingPage.objects.get(pk=listing.pk)


def draft(listing, **changes):
    """A provider's draft revision, not published (as the editor's "Save draft" makes)."""
    page = live(listing).specific.get_latest_revision_as_object()
    for field, value in changes.items():
        setattr(page, field, value)
    return page.save_revision()


def approve(client, moderator, page):
    task_state = Page.objects.get(pk=page.pk).current_workflow_task_state
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    client.post(url, {"comment": ""})


def test_approving_a_change_submitted_before_an_agreement_keeps_the_place_it_took(
    client, club, provider_a, moderator, agree_for
):
    client.force_login(provider_a)
    submit_change(client, club, summary=NEW_SUMMARY)  # capacity 4 places in the change
    agreement = agree_for(club, provider_a)
    assert agreement.capacity_taken == 1 and live(club).capacity_now == 3
    approve(client, moderator, club)
    page = live(club)
    assert page.summary == NEW_SUMMARY  # the change is published
    assert page.capacity_now == 3  # and the place the agreement took stays taken
    audit = AuditEvent.objects.get(action="listing_capacity_caught_up")
    assert audit.object_id == str(club.pk) and "not the 4" in audit.summary


def test_the_editor_shows_a_draft_less_what_was_agreed_since_and_takes_nothing_twice(
    client, club, provider_a, moderator, agree_for
):
    client.force_login(provider_a)
    response = client.get(edit_url(club))
    client.post(edit_url(club), form_data(response, summary=NEW_SUMMARY))  # a draft, 4 places
    agree_for(club, provider_a)
    response = client.get(edit_url(club))  # the draft, less the place agreed since
    assert response.context["form"]["summary"].value() == NEW_SUMMARY
    assert response.context["form"]["capacity_now"].value() == 3
    submit_change(client, club, summary=NEW_SUMMARY + " Open at Easter.")
    approve(client, moderator, club)
    page = live(club)
    assert page.summary.endswith("Open at Easter.") and page.capacity_now == 3


def test_a_change_made_after_the_agreement_takes_nothing_twice(
    client, club, provider_a, moderator, agree_for
):
    agree_for(club, provider_a)
    client.force_login(provider_a)
    assert client.get(edit_url(club)).context["form"]["capacity_now"].value() == 3
    submit_change(client, club, summary=NEW_SUMMARY)
    approve(client, moderator, club)
    assert live(club).capacity_now == 3
    assert not AuditEvent.objects.filter(action="listing_capacity_caught_up").exists()


def test_a_draft_that_restated_hours_before_the_agreement_has_the_hours_agreed_taken_off(
    pa, pa_editor, agree_for
):
    revision = draft(pa, capacity_now=12)  # the PA can now offer 12 hours a week
    agree_for(pa, pa_editor, hours="6")
    assert live(pa).capacity_now == 4  # 10 live, less 6
    revision.publish()
    assert live(pa).capacity_now == 6  # 12 stated, less the 6 agreed after
    assert revision.content["capacity_now"] == 12  # the history is not rewritten


def test_capacity_never_goes_below_zero_in_a_draft_or_live(pa, pa_editor, agree_for):
    revision = draft(pa, capacity_now=3)
    agreement = agree_for(pa, pa_editor, hours="8")
    assert agreement.capacity_taken == 8 and live(pa).capacity_now == 2
    revision.publish()
    assert live(pa).capacity_now == 0


def test_places_drop_by_one_whatever_the_hours(club, provider_a, agree_for):
    revision = draft(club, capacity_now=5)
    agree_for(club, provider_a, hours="12")
    assert live(club).capacity_now == 3
    revision.publish()
    assert live(club).capacity_now == 4


def test_publishing_an_older_version_again_does_not_give_capacity_back(pa, pa_editor, agree_for):
    before = live(pa).get_latest_revision()
    agree_for(pa, pa_editor, hours="6")
    draft(pa, summary="A newer summary")
    before.publish()
    assert live(pa).capacity_now == 4


def test_a_draft_in_another_unit_is_a_new_statement_and_is_published_as_written(
    club, provider_a, agree_for
):
    revision = draft(club, capacity_now=20, capacity_unit=CapacityUnit.HOURS)
    agree_for(club, provider_a)
    revision.publish()
    page = live(club)
    assert (page.capacity_now, page.capacity_unit) == (20, CapacityUnit.HOURS)


def test_a_copy_of_the_listing_loaded_before_the_agreement_cannot_save_the_old_capacity(
    club, provider_a, agree_for
):
    stale = live(club).specific
    agree_for(club, provider_a)
    stale.summary = NEW_SUMMARY
    stale.save()
    assert live(club).capacity_now == 3


def test_unstated_capacity_stays_unstated_and_a_draft_stating_it_is_lowered(
    club, provider_a, agree_for
):
    ListingPage.objects.filter(pk=club.pk).update(capacity_now=None)
    revision = draft(club, capacity_now=5)
    agreement = agree_for(club, provider_a)
    assert agreement.capacity_taken == 0 and live(club).capacity_now is None
    revision.publish()
    assert live(club).capacity_now == 4


def test_the_audit_trail_records_the_capacity_an_agreement_took(
    pa, pa_editor, broker_ready, agree_for
):
    agreement = agree_for(pa, pa_editor, hours="6")
    audit = AuditEvent.objects.get(action="brokerage_capacity_taken")
    assert audit.object_id == str(pa.pk) and audit.actor == pa_editor
    assert audit.summary.startswith(
        f"6 hours a week agreed for request {agreement.request.reference}: capacity 10 to 4"
    )
