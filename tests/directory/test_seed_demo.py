"""`manage.py seed_demo`: realistic, repeatable demo data and a login for every role.

Tests load only the NE postcode area (tests/conftest.py), so these also show the command copes
without the TD (Berwick) and DH postcodes a full demo loads.
"""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import GroupPagePermission, Revision

from core.roles import (
    BROKERS,
    COUNCIL_MODERATORS,
    FAMILIES,
    KITEMARK_COORDINATORS,
    YOUNG_AUDITORS,
)
from demo.accounts import ACCOUNTS, DEMO_PASSWORD
from directory import rules
from directory.choices import DBSReview, DBSStatus, Freshness, ListingKind, OrganisationKind
from directory.models import (
    DBSCheck,
    ListingPage,
    ListingStatus,
    Organisation,
    PersonalAssistantPage,
    StaffMember,
)
from directory.permissions import organisations_of
from gazetteer.lookup import district_centre
from gazetteer.models import Postcode

pytestmark = pytest.mark.django_db

LISTINGS = 30
NORTHUMBERLAND, NEWCASTLE = "E06000057", "E08000021"
FICTIONAL_PHONE = re.compile(r"^(0191 498 0\d{3}|01632 960\d{3}|07700 900\d{3})$")
EXAMPLE_EMAIL = re.compile(r"@([a-z0-9-]+\.)?example\.(org|com)$")


def seed_demo(**options) -> str:
    out = StringIO()
    call_command("seed_demo", **{"seed": 7, "listings": LISTINGS, "stdout": out, **options})
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [
        Organisation,
        ListingPage,
        StaffMember,
        DBSCheck,
        ListingStatus,
        Group,
        GroupPagePermission,
        Revision,
        get_user_model(),
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_seed_demo_creates_listings_of_every_kind_at_real_gazetteer_postcodes():
    seed_demo()

    listings = list(ListingPage.objects.all())
    assert len(listings) == LISTINGS
    assert {listing.kind for listing in listings} == set(ListingKind.values)
    places = {
        p.postcode: p for p in Postcode.objects.filter(postcode__in=[x.postcode for x in listings])
    }
    for listing in listings:
        place = places[listing.postcode]
        # A venue is where its postcode is; a person is placed at their district's centre.
        if rules.private_position(listing.kind, listing.at_venue):
            expected = district_centre(place.outcode)
        else:
            expected = (place.latitude, place.longitude)
        assert (listing.latitude, listing.longitude) == expected
        assert listing.local_authority_code == place.local_authority_code
        assert listing.live and listing.live_revision_id is not None
    assert {x.local_authority_code for x in listings} == {NORTHUMBERLAND, NEWCASTLE}


def test_seed_demo_creates_an_account_for_every_role_that_can_log_in(client):
    output = seed_demo()

    User = get_user_model()
    for account in ACCOUNTS:
        assert client.login(username=account.username, password=DEMO_PASSWORD), account
        assert account.username in output
    assert DEMO_PASSWORD in output
    user = {account.username: User.objects.get(username=account.username) for account in ACCOUNTS}
    role_groups = {
        "demo-family": FAMILIES,
        "jamie": YOUNG_AUDITORS,
        "demo-coordinator": KITEMARK_COORDINATORS,
        "demo-broker": BROKERS,
        "demo-commissioner": COUNCIL_MODERATORS,
    }
    for username, group in role_groups.items():
        assert user[username].groups.filter(name=group).exists()
    assert user["demo-admin"].is_superuser
    for username in ("demo-family", "jamie"):
        assert not user[username].has_perm("wagtailadmin.access_admin")
    for username in ("demo-provider", "demo-pa", "demo-coordinator", "demo-broker"):
        assert user[username].has_perm("wagtailadmin.access_admin")
    assert organisations_of(user["demo-provider"]).get().listings.count() >= 2


def test_seed_demo_pa_account_is_the_self_employed_pa_on_their_listing():
    seed_demo()

    pa = get_user_model().objects.get(username="demo-pa")
    organisation = organisations_of(pa).get()
    person = StaffMember.objects.get(user=pa)
    assert organisation.kind == OrganisationKind.SELF_EMPLOYED_PA
    assert person.organisation == organisation
    assert PersonalAssistantPage.objects.filter(staff_member=person).exists()
    for listing in PersonalAssistantPage.objects.filter(
        organisation__kind=OrganisationKind.SELF_EMPLOYED_PA
    ):
        assert listing.staff_member.organisation_id == listing.organisation_id


def test_seed_demo_twice_creates_nothing_new():
    seed_demo()
    before = counts()

    output = seed_demo()

    assert counts() == before
    assert "nothing new was created" in output


def test_seed_demo_hides_listings_with_lapsed_dbs_or_expired_freshness_and_some_are_stale():
    seed_demo()

    statuses = list(ListingStatus.objects.all())
    dbs_hidden = [s.listing_id for s in statuses if s.dbs_hidden()]
    expired = [s.listing_id for s in statuses if s.freshness() == Freshness.EXPIRED]
    stale = [s.listing_id for s in statuses if s.freshness() == Freshness.STALE]
    assert dbs_hidden and expired and stale
    public = set(ListingPage.objects.in_directory().values_list("pk", flat=True))
    assert not public & set(dbs_hidden + expired)
    assert set(stale) - set(dbs_hidden) <= public  # stale listings rank lower but stay listed
    badges = {s.dbs_status for s in statuses}
    assert {DBSStatus.VERIFIED, DBSStatus.DUE_SOON, DBSStatus.SELF_DECLARED} <= badges
    queried = DBSCheck.objects.filter(review=DBSReview.QUERIED)
    assert queried.exists() and all(c.review_note for c in queried)
    assert len(public) > LISTINGS // 2


def test_seed_demo_if_empty_does_nothing_when_listings_exist():
    seed_demo()
    before = counts()

    output = seed_demo(if_empty=True, seed=99)

    assert counts() == before
    assert "already" in output and "demo-provider" in output


def test_seed_demo_if_empty_seeds_an_empty_directory():
    seed_demo(if_empty=True)

    assert ListingPage.objects.count() == LISTINGS


def test_seed_demo_sends_no_email_and_contact_details_are_fictional(
    django_capture_on_commit_callbacks,
):
    # Messages go out when the transaction commits: run those callbacks, or no email is seen.
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()

    assert mail.outbox == [], [(m.subject, m.to) for m in mail.outbox]
    for listing in ListingPage.objects.all():
        assert EXAMPLE_EMAIL.search(listing.contact_email), listing.contact_email
        assert FICTIONAL_PHONE.match(listing.contact_phone), listing.contact_phone
    for organisation in Organisation.objects.exclude(email=""):
        assert EXAMPLE_EMAIL.search(organisation.email), organisation.email
    for check in DBSCheck.objects.all():
        check.full_clean()
        assert len(check.certificate_number) == 12


def test_seed_demo_without_a_gazetteer_says_to_load_it():
    Postcode.objects.all().delete()

    with pytest.raises(CommandError, match="load_gazetteer"):
        seed_demo()
    assert not ListingPage.objects.exists()


def test_seed_demo_shows_a_paused_and_a_closed_listing_and_the_emails_already_due():
    from core.dates import today
    from core.models import SentReminder
    from directory.reminders import lapsed_insurance

    seed_demo()

    statuses = list(ListingStatus.objects.all())
    closed = [s.listing_id for s in statuses if s.closed_on]
    paused = [s.listing_id for s in statuses if s.paused()]
    assert len(closed) == 1 and len(paused) == 1
    public = set(ListingPage.objects.in_directory().values_list("pk", flat=True))
    assert closed[0] not in public and paused[0] in public
    hidden = [s for s in statuses if s.freshness() == Freshness.EXPIRED and not s.closed_on]
    recorded = set(SentReminder.objects.filter(kind="listing_hidden").values_list("key", flat=True))
    assert hidden and all(f"{s.listing_id}:{s.assured_date}" in recorded for s in hidden)
    if lapsed_insurance(today()).exists():
        assert SentReminder.objects.filter(kind="insurance_lapsed").exists()
