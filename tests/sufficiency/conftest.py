"""A small directory and some demand, counted by hand in the tests.

Listings (published unless said), all in Northumberland but `city`:

- sb1: short break, NE46, ages 5-18, Sat 10-15, 4 places, autism and learning disability;
  kitemarked; the only rural one (when `rural_classes` is used).
- sb2: short break, NE46, ages 0-4, Mon 9-17, 0 places, physical disability; overnight, not
  in school holidays, stale (confirmed 20 weeks ago).
- pa: personal assistant, NE46, ages 5-25, Mon-Sat with no times, 10 hours a week, autism
  and complex health needs; DBS verified.
- club: inclusive club, NE61, ages 11-18, Fri 18:30-20:30, 6 places, autism and ADHD.
- city: short break, Newcastle (NE1), ages 16-25, Sun 10-16, 2 places, autism.
- a draft short break, never published: counted nowhere.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from brokerage.choices import DeclineReason, OfferStatus, Outcome, ReviewFeeling, Status
from brokerage.models import (
    Agreement,
    Offer,
    RequestEvent,
    RequestOutcome,
    Review,
    SupportRequest,
)
from core.dates import today
from directory.models import FundingRoute, ListingStatus, Need, ServiceType
from gazetteer.models import Postcode, RuralUrbanClass
from search.models import UnmetDemand
from tests.factories.directory import (
    NEWCASTLE,
    NORTHUMBERLAND,
    InclusiveClubPageFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
    gazetteer_postcode,
    taxonomy,
    weekdays,
)
from tests.helpers import make_user

DURHAM = "E06000047"


@pytest.fixture
def listings(directory):
    sb1 = ShortBreakServicePageFactory(title="Saturday club", postcode=gazetteer_postcode(0))
    sb2 = ShortBreakServicePageFactory(
        title="Little ones' overnight",
        postcode=gazetteer_postcode(1),
        age_min=0,
        age_max=4,
        days=weekdays(1),
        time_from=datetime.time(9, 0),
        time_to=datetime.time(17, 0),
        capacity_now=0,
        needs=taxonomy(Need, "physical-disability"),
        overnight=True,
        school_holidays=False,
    )
    pa = PersonalAssistantPageFactory(dbs=True, postcode=gazetteer_postcode(2))
    club = InclusiveClubPageFactory()
    city = ShortBreakServicePageFactory(
        title="City Sunday breaks",
        postcode=gazetteer_postcode(0, "NE1"),
        age_min=16,
        age_max=25,
        days=weekdays(7),
        time_from=datetime.time(10, 0),
        time_to=datetime.time(16, 0),
        capacity_now=2,
        needs=taxonomy(Need, "autism"),
    )
    ShortBreakServicePageFactory(title="Not yet published", live=False)
    ListingStatus.objects.filter(listing=sb1).update(
        kitemark_awarded_on=today(), kitemark_expires_on=today() + datetime.timedelta(days=300)
    )
    ListingStatus.objects.filter(listing=sb2).update(
        assured_date=today() - datetime.timedelta(weeks=20)
    )
    return {"sb1": sb1, "sb2": sb2, "pa": pa, "club": club, "city": city}


@pytest.fixture
def rural_classes(listings):
    """The ONS classes sb1's postcode rural (D1); every other listing's urban (A1)."""
    codes = {}
    for name, listing in listings.items():
        lsoa = Postcode.objects.get(postcode=listing.postcode).lsoa11
        codes[lsoa] = "D1" if name == "sb1" else codes.get(lsoa, "A1")
    assert len(codes) >= 2, "sb1 needs an LSOA of its own for this fixture"
    for lsoa, code in codes.items():
        RuralUrbanClass.objects.create(lsoa11=lsoa, code=code, name=code)
    return codes


def demand_row(**fields):
    values = {
        "searched_on": today(),
        "outcode": "NE46",
        "local_authority_code": NORTHUMBERLAND,
        "rural": True,
        "classified_by": "test",
        "mode": "any",
        "kinds": "short_break",
        "needs": "autism",
        "age_band": "5-10",
        "days": "sat",
        "results": 0,
    }
    return UnmetDemand.objects.create(**{**values, **fields})


@pytest.fixture
def demand(listings):
    """Seven unmet searches in the period, one before it:
    Northumberland 4 (3 searches, 1 brokerage), Newcastle 2, Durham 1 (out of area)."""
    for _ in range(3):
        demand_row()
    demand_row(source="brokerage", needs="autism,adhd", age_band="11-15", days="sat,sun", kinds="")
    for _ in range(2):
        demand_row(
            local_authority_code=NEWCASTLE,
            outcode="NE1",
            rural=False,
            needs="",
            age_band="",
            days="",
            kinds="personal_assistant",
        )
    demand_row(
        local_authority_code=DURHAM,
        outcode="DH1",
        rural=False,
        needs="learning-disability",
        age_band="",
        days="",
    )
    demand_row(searched_on=today() - datetime.timedelta(days=800))


def at(days_ago: float, plus_days: float = 0) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days_ago) + datetime.timedelta(days=plus_days)


@pytest.fixture
def brokerage(listings):
    """Three requests sent and one draft:

    - r1, Northumberland, age 12: first offer 2 days after sending, matched 6 days after;
      a review since, "going well".
    - r2, Northumberland, age 7: first offer 1 day after; two offers declined (no capacity,
      times); closed unmatched (no capacity, every provider declined).
    - r3, Newcastle, age 17: still waiting for a broker.
    """
    family = make_user("a-family")
    funding = FundingRoute.objects.get(slug="direct-payment")
    pa, sb1 = listings["pa"], listings["sb1"]

    def request(age, council, status, sent):
        return SupportRequest.objects.create(
            family=family,
            age=age,
            local_authority_code=council,
            status=status,
            submitted_at=sent,
            funding=funding,
        )

    def offer(req, listing, sent, status, reason=""):
        return Offer.objects.create(
            request=req,
            listing=listing,
            organisation=listing.organisation,
            status=status,
            sent_at=sent,
            expires_at=sent + datetime.timedelta(days=5),
            decline_reason=reason,
        )

    r1 = request(12, NORTHUMBERLAND, Status.MATCHED, at(10))
    r1.needs.set(taxonomy(Need, "autism"))
    chosen = offer(r1, pa, at(10, 2), OfferStatus.CHOSEN)
    RequestEvent.objects.create(
        request=r1, at=at(10, 6), role="system", from_status="agreeing", to_status="matched"
    )
    agreement = Agreement.objects.create(
        request=r1,
        offer=chosen,
        hours_per_week=Decimal("6"),
        rate=Decimal("15"),
        funding=funding,
        start_date=today(),
        review_date=today(),
    )
    Review.objects.create(
        agreement=agreement,
        held_on=today(),
        feeling=ReviewFeeling.WELL,
        family_words="Good",
        next_review_date=today() + datetime.timedelta(days=90),
    )
    RequestOutcome.objects.create(
        request=r1,
        outcome=Outcome.MATCHED,
        closed_on=today(),
        days_to_close=6,
        local_authority_code=NORTHUMBERLAND,
        age_band="11-15",
    )

    r2 = request(7, NORTHUMBERLAND, Status.UNMATCHED, at(8))
    offer(r2, pa, at(8, 1), OfferStatus.DECLINED, DeclineReason.NO_CAPACITY)
    offer(r2, sb1, at(8, 3), OfferStatus.DECLINED, DeclineReason.TIMES)
    RequestOutcome.objects.create(
        request=r2,
        outcome=Outcome.UNMATCHED,
        reasons="no_capacity,all_declined",
        closed_on=today(),
        days_to_close=5,
        local_authority_code=NORTHUMBERLAND,
        age_band="5-10",
    )

    request(17, NEWCASTLE, Status.SUBMITTED, at(3))
    SupportRequest.objects.create(family=family, age=9, status=Status.DRAFT)
    return {"r1": r1, "r2": r2}


@pytest.fixture
def everything(listings, demand, brokerage):
    return listings


def service_type(slug):
    return ServiceType.objects.get(slug=slug).name
