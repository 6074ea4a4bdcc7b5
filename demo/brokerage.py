"""Demo brokerage data, called once from `seed_demo`: the demo broker ready to work (code of
conduct accepted, council areas granted by the demo commissioner, an affiliation declared), and
the demo family's requests in different states: one waiting in the queue, one with offers to
choose from (the demo PA has said yes; the demo provider has still to answer), and one unsent
draft. Idempotent: nothing is added if the demo family has requests already."""

import datetime
from decimal import Decimal

from brokerage import services
from brokerage.choices import Requester, SupportKind
from brokerage.models import SupportRequest
from brokerage.places import sector_place
from core.dates import today
from core.messenger import muted
from directory.models import FundingRoute, ListingPage, Need, Organisation, Weekday
from directory.permissions import organisations_of
from gazetteer.lookup import PostcodeError
from gazetteer.models import LocalAuthority, Postcode

NORTHUMBERLAND, NEWCASTLE = "E06000057", "E08000021"
HEXHAM, MORPETH = "NE46 3NR", "NE61 1QF"


def place_values(postcode: str) -> dict:
    try:
        place = sector_place(postcode)
    except PostcodeError:
        row = Postcode.objects.filter(local_authority_code=NORTHUMBERLAND).first()
        if row is None:
            return {}
        place = sector_place(row.postcode)
    return {
        "postcode_sector": place.postcode_sector,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "local_authority_code": place.local_authority_code,
        "rural": place.rural,
    }


def first_listing(user):
    return (
        ListingPage.objects.in_directory()
        .filter(organisation__in=organisations_of(user))
        .order_by("pk")
        .first()
    )


def seed_brokerage_demo(*, users: dict) -> int:
    """Seed the brokerage demo without sending anyone a message; returns how many requests it
    made."""
    with muted():
        return seed(users=users)


def seed(*, users: dict) -> int:
    family, broker = users.get("demo-family"), users.get("demo-broker")
    if family is None or broker is None or SupportRequest.objects.filter(family=family).exists():
        return 0
    services.code_of_conduct_accept(user=broker)
    commissioner = users.get("demo-commissioner")
    if commissioner is not None:  # council staff grant a broker their areas
        services.broker_areas_grant(
            user=commissioner,
            broker=broker,
            areas=LocalAuthority.objects.filter(code__in=[NORTHUMBERLAND, NEWCASTLE]),
        )
    pa_listing = first_listing(users["demo-pa"]) if "demo-pa" in users else None
    provider_listing = first_listing(users["demo-provider"]) if "demo-provider" in users else None
    involved = {x.organisation_id for x in (pa_listing, provider_listing) if x}
    other = Organisation.objects.exclude(pk__in=involved).order_by("name").first()
    if other is not None:
        services.affiliation_declare(
            user=broker, organisation=other, nature="I volunteered with them until last year"
        )

    common = {
        "requester": Requester.PARENT_CARER,
        "child_first_name": "Ellie",
        "age": 11,
        "communication": "Talks in short sentences; uses a picture timetable.",
        "care_and_health": "Needs help with toileting and medication at lunchtime.",
        "behaviour_support": "Can get anxious in busy places; a quiet space helps.",
        "time_from": None,
        "time_to": None,
        "school_holidays": True,
        "hours_per_week": Decimal("6"),
        "travel_miles": 10,
        "hourly_budget": Decimal("18.00"),
        "contact_name": f"{family.first_name} {family.last_name}".strip(),
        "contact_phone": "07700 900321",
        "consent_to_share": True,
        "needs": list(Need.objects.filter(slug__in=["autism", "learning-disability"])),
        "days": list(Weekday.objects.filter(pk=6)),
    }
    direct_payment = FundingRoute.objects.filter(slug="direct-payment").first()
    made = 0

    def request(postcode, kinds, submit=True, **extra):
        nonlocal made
        draft = services.draft_create(user=family)
        values = {
            **common,
            **place_values(postcode),
            "support_kinds": kinds,
            "funding": direct_payment,
            **extra,
        }
        draft = services.draft_save(user=family, request=draft, values=values)
        made += 1
        return services.request_submit(user=family, request=draft) if submit else draft

    # The account says who is asking (a parent), so no request asks again.
    services.family_profile_start(user=family, who="parent")
    # 1. Waiting in the queue for a broker; the family does not know yet how it will be paid.
    request(
        MORPETH,
        [SupportKind.CLUB],
        age=14,
        child_first_name="Josh",
        funding=None,
        funding_unknown=True,
    )
    # 2. Offers to choose from.
    chosen = request(HEXHAM, [SupportKind.PA, SupportKind.AT_HOME])
    services.request_assign(user=broker, request=chosen)
    services.first_contact_record(user=broker, request=chosen, note="Phoned the family")
    listings = [x for x in (pa_listing, provider_listing) if x]
    if listings:
        offers = services.offers_send(
            user=broker,
            request=chosen,
            listings=listings,
            note="Loves animals and music; a calm, patient worker suits best.",
        )
        if pa_listing is not None:
            services.offer_accept(
                user=users["demo-pa"],
                offer=offers[0],
                proposed_hours=Decimal("6"),
                rate=Decimal("16.50"),
                start_date=today() + datetime.timedelta(days=14),
                note="I am free on Saturdays and have cared for children with autism.",
            )
    # 3. A draft the family has not sent yet.
    request(HEXHAM, [SupportKind.AT_VENUE], submit=False, child_first_name="Ellie")
    return made
