"""The factories build what the product builds: real postcodes, published pages, statuses."""

import pytest
from django.contrib.auth import authenticate

from core.dates import today
from directory import rules
from directory.choices import DBSStatus, Freshness, ListingKind, OrganisationKind
from directory.models import DBSCheck, ListingPage, ListingStatus
from gazetteer.lookup import district_centre
from gazetteer.models import Postcode
from tests.factories.directory import (
    TEST_PASSWORD,
    DBSCheckFactory,
    InclusiveClubPageFactory,
    OrganisationFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
    StaffMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LISTING_FACTORIES = [
    ShortBreakServicePageFactory,
    PersonalAssistantPageFactory,
    InclusiveClubPageFactory,
]


def test_organisation_factory_gives_a_provider_page_and_an_editors_group(directory):
    organisation = OrganisationFactory()

    page = organisation.provider_page
    assert page.live
    assert page.get_parent().specific == directory
    assert organisation.editors.name.endswith(organisation.slug)
    assert set(page.group_permissions.values_list("permission__codename", flat=True)) == {
        "add_page",
        "change_page",
    }


@pytest.mark.parametrize("factory", LISTING_FACTORIES)
def test_listing_factory_publishes_a_valid_listing_at_a_real_postcode(directory, factory):
    listing = factory()

    listing.full_clean()
    place = Postcode.objects.get(postcode=listing.postcode)
    # A venue is where its postcode is; a person is placed at their district's centre.
    if rules.private_position(listing.kind, listing.at_venue):
        expected = district_centre(place.outcode)
    else:
        expected = (place.latitude, place.longitude)
    assert (listing.latitude, listing.longitude) == expected
    assert listing.local_authority_code == place.local_authority_code
    assert listing.postcode_district == place.outcode
    assert listing.live and listing.live_revision_id is not None
    assert listing.get_parent().specific == listing.organisation.provider_page
    assert listing.needs.exists() and listing.funding_accepted.exists()
    status = ListingStatus.objects.get(listing=listing)
    assert status.assured_date == today()
    assert status.freshness() == Freshness.CURRENT


def test_listings_built_by_factories_are_in_the_public_directory(directory):
    listings = [factory() for factory in LISTING_FACTORIES]

    found = ListingPage.objects.in_directory()
    assert {listing.pk for listing in listings} <= set(found.values_list("pk", flat=True))
    assert set(found.values_list("kind", flat=True)) == set(ListingKind.values)


def test_draft_listing_from_factory_is_not_in_the_directory(directory):
    draft = ShortBreakServicePageFactory(live=False)

    assert not draft.live
    assert draft.revisions.count() == 1
    assert not ListingPage.objects.in_directory().filter(pk=draft.pk).exists()


def test_personal_assistant_factory_makes_a_self_employed_pa_with_a_verified_check(directory):
    listing = PersonalAssistantPageFactory(dbs=True)

    assert listing.organisation.kind == OrganisationKind.SELF_EMPLOYED_PA
    assert listing.staff_member.organisation == listing.organisation
    assert ListingStatus.objects.get(listing=listing).dbs_status == DBSStatus.VERIFIED


def test_dbs_check_factory_makes_valid_twelve_digit_certificates(directory):
    verified = DBSCheckFactory()
    declared = DBSCheckFactory(verified=False)

    for check in (verified, declared):
        check.full_clean()
        assert len(check.certificate_number) == 12 and check.certificate_number.isdigit()
    assert verified.status() == DBSStatus.VERIFIED
    assert declared.status() == DBSStatus.SELF_DECLARED
    assert DBSCheckFactory(due_soon=True).status() == DBSStatus.DUE_SOON
    assert DBSCheckFactory(lapsed=True).status() == DBSStatus.LAPSED
    assert DBSCheckFactory(lapsed_recently=True).status() == DBSStatus.LAPSED
    assert DBSCheckFactory.build(verified=False).pk is None


def test_dbs_check_factory_can_leave_the_badges_to_be_refreshed_later(directory):
    listing = ShortBreakServicePageFactory()
    person = StaffMemberFactory(organisation=listing.organisation)

    DBSCheckFactory(person=person, lapsed=True, refresh=False)

    assert ListingStatus.objects.get(listing=listing).dbs_status == DBSStatus.NONE


def test_listing_with_staff_dbs_lapsed_past_grace_leaves_the_directory(directory):
    listing = ShortBreakServicePageFactory()
    person = StaffMemberFactory(organisation=listing.organisation)

    DBSCheckFactory(person=person, lapsed=True)

    status = ListingStatus.objects.get(listing=listing)
    assert status.dbs_status == DBSStatus.LAPSED
    assert not ListingPage.objects.in_directory().filter(pk=listing.pk).exists()
    assert DBSCheck.objects.filter(person=person).count() == 1


def test_user_factory_account_can_log_in_and_joins_groups(directory):
    user = UserFactory(groups=["Families"])

    assert authenticate(username=user.username, password=TEST_PASSWORD) == user
    assert list(user.groups.values_list("name", flat=True)) == ["Families"]
