"""What the public sees: the kitemark badge on a listing, the register of current awards,
'what young people said' for each, and the standards."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import ListingStatus
from kitemark import services
from kitemark.choices import AuditStatus as S
from kitemark.models import Answer, StandardSet
from tests.factories.kitemark import audit_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded(coordinator, listing, auditors):
    audit = audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    quote = Answer.objects.filter(assignment__audit=audit).exclude(comment="").first()
    services.audit_publish_quotes(user=coordinator, audit=audit, answer_ids=[quote.pk])
    Answer.objects.filter(assignment__audit=audit, standard__number=2).update(
        comment="A private remark for the panel"
    )
    return audit


BADGE = "Kitemark: checked by young people"  # the footer links the register on every page


def test_the_listing_shows_the_kitemark_with_its_dates_and_what_young_people_said(
    client, awarded, listing
):
    page = client.get(listing.get_url()).content.decode()
    assert "Kitemark: checked by young people" in page
    assert f"Awarded {awarded.awarded_on:%-d %B %Y}" in page
    assert f"until {awarded.expires_on:%-d %B %Y}" in page
    assert reverse("kitemark:award", args=[awarded.pk]) in page


def test_a_listing_without_a_current_award_shows_no_kitemark(
    client, coordinator, listing, auditors
):
    audit_to(S.NOT_YET, listing=listing, coordinator=coordinator, auditors=auditors)
    assert BADGE not in client.get(listing.get_url()).content.decode()


def test_the_badge_adds_at_most_one_query_to_the_listing_page(
    client, coordinator, listing, other_listing, auditors
):
    audit_to(S.AWARDED, listing=listing, coordinator=coordinator, auditors=auditors)
    client.get(other_listing.get_url())  # warm caches (site root paths and the like)
    with CaptureQueriesContext(connection) as without:
        client.get(other_listing.get_url())
    with CaptureQueriesContext(connection) as with_badge:
        client.get(listing.get_url())
    assert len(with_badge) <= len(without) + 1


def test_a_withdrawn_kitemark_leaves_the_listing_at_once(client, coordinator, awarded, listing):
    services.audit_withdraw(
        user=coordinator, audit=awarded, note="Complaint upheld", expected_status=S.AWARDED
    )
    assert BADGE not in client.get(listing.get_url()).content.decode()
    assert client.get(reverse("kitemark:award", args=[awarded.pk])).status_code == 404


def test_the_register_lists_current_awards_only(
    client, coordinator, awarded, other_listing, auditors
):
    audit_to(S.NOT_YET, listing=other_listing, coordinator=coordinator, auditors=auditors)
    page = client.get(reverse("kitemark:register")).content.decode()
    assert "Hexham Saturday Club" in page
    assert "Morpeth Play Scheme" not in page
    assert "1 setting with a kitemark" in page


def test_the_register_can_be_searched_by_name_or_town(client, awarded):
    assert "Hexham Saturday Club" in client.get("/kitemark/?q=hexham").content.decode()
    page = client.get("/kitemark/?q=Alnwick").content.decode()
    assert "No setting with a kitemark matches" in page
    assert client.get("/kitemark/?page=99&q=" + "x" * 500).status_code == 200


def test_a_listing_out_of_the_directory_is_not_on_the_register(client, awarded, listing):
    ListingStatus.objects.filter(listing_id=listing.pk).update(assured_date="2000-01-01")
    assert "Hexham Saturday Club" not in client.get("/kitemark/").content.decode()
    assert client.get(reverse("kitemark:award", args=[awarded.pk])).status_code == 404


def test_what_young_people_said_shows_only_the_chosen_quotes_and_no_names(client, awarded):
    page = client.get(reverse("kitemark:award", args=[awarded.pk])).content.decode()
    assert "Staff said hello and showed us round." in page
    assert "A private remark for the panel" not in page
    assert "Ruby" not in page and "Kai" not in page
    assert "Welcome" in page  # themes checked


def test_what_young_people_said_is_not_found_before_an_award(
    client, coordinator, listing, auditors
):
    audit = audit_to(S.WITH_PANEL, listing=listing, coordinator=coordinator, auditors=auditors)
    assert client.get(reverse("kitemark:award", args=[audit.pk])).status_code == 404
    assert client.get(reverse("kitemark:award", args=[999999])).status_code == 404


def test_the_standards_page_shows_the_current_version_in_easy_read(client):
    page = client.get(reverse("kitemark:standards")).content.decode()
    standard = StandardSet.objects.current().standards.first()
    assert standard.easy_read in page and standard.wording in page
