"""Realistic demo data: providers and listings in Northumberland (rural) and Newcastle (urban).

manage.py seed_demo --seed 1              # about 320 listings, and a login for every role
manage.py seed_demo --if-empty --seed 1   # only when there are no listings yet (`make run`)
manage.py seed_demo --listings 5000       # a bigger county (benchmarks), more organisations

Every postcode and coordinate is real, taken from the offline gazetteer (`load_gazetteer
--areas NE TD DH`; without TD and DH it uses what is loaded). Everything else is invented:
organisations, people, addresses, DBS certificate numbers (12 digits starting 99), Ofsted URNs
(EY99/SC99...), emails (example.org and example.com) and phone numbers (Ofcom's drama ranges:
0191 498 0xxx, 01632 960xxx, 07700 900xxx, which are never given to real people).

The same seed gives the same data. Idempotent: organisations are keyed by their slug, accounts
by username, so running it again creates nothing new. Nothing is emailed: DBS checks are
written as data, as a council officer would have verified them, and every listing is
published once. The search and reference indexes are updated once per page at the end.
"""

import datetime
import random
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends
from wagtail.search.index import get_indexed_models
from wagtail.search.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update

from brokerage.demo import seed_brokerage_demo
from core import roles
from core.dates import add_months, today
from directory import services
from directory.choices import (
    CapacityUnit,
    CostUnit,
    CouncilRelationship,
    DBSLevel,
    Freshness,
    Gender,
    ListingKind,
    OrganisationKind,
    PAEmployment,
)
from directory.models import (
    LISTING_MODELS,
    AccessFeature,
    DBSCheck,
    FundingRoute,
    Language,
    ListingPage,
    ListingStatus,
    Need,
    Organisation,
    ProviderPage,
    ServiceType,
    Skill,
    StaffMember,
    Weekday,
)
from directory.site_setup import ensure_site
from kitemark.demo import seed_kitemark_demo
from search.models import LocalAuthority, Postcode

DEMO_PASSWORD = "demo-short-breaks-2026"
DEFAULT_LISTINGS = 320
MIN_LISTINGS = 12
NORTHUMBERLAND = "E06000057"
NEWCASTLE = "E08000021"
COUNCIL_NAMES = {
    NORTHUMBERLAND: "Northumberland County Council",
    NEWCASTLE: "Newcastle City Council",
}
LOAD_HINT = "run: manage.py load_gazetteer --areas NE TD DH"


# --- Accounts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    first_name: str
    last_name: str
    group: str = ""  # a role group; provider and PA accounts join their organisation's group
    where: str = "admin"  # "admin" (Wagtail admin) or "site" (the public site)


ACCOUNTS = [
    Account("demo-family", "Family (parent carer)", "Claire", "Armstrong", roles.FAMILIES, "site"),
    Account("demo-provider", "Provider (organisation staff)", "David", "Charlton"),
    Account("demo-pa", "Personal assistant (self-employed)", "", ""),  # named after their PA
    Account("demo-auditor", "Young auditor", "Jamie", "Ridley", roles.YOUNG_AUDITORS, where="site"),
    Account(
        "demo-coordinator", "Kitemark coordinator", "Priya", "Shah", roles.KITEMARK_COORDINATORS
    ),
    Account("demo-broker", "Broker", "Mark", "Dodd", roles.BROKERS),
    Account(
        "demo-commissioner",
        "Commissioner (council officer)",
        "Helen",
        "Fenwick",
        roles.COUNCIL_MODERATORS,
    ),
    Account("demo-admin", "Administrator (superuser)", "Sam", "Errington"),
]


# --- Geography: real towns, the postcode districts and sectors that cover them --------------------


@dataclass(frozen=True)
class Town:
    name: str  # the listing's town
    la: str  # ONS local authority district code
    codes: tuple[str, ...]  # postcode districts ("NE46") or sectors ("NE65 7")
    weight: int  # roughly, population
    area: str = ""  # a neighbourhood, shown as the second address line (Newcastle)


TOWNS = [
    Town("Ashington", NORTHUMBERLAND, ("NE63",), 10),
    Town("Blyth", NORTHUMBERLAND, ("NE24",), 10),
    Town("Cramlington", NORTHUMBERLAND, ("NE23",), 9),
    Town("Morpeth", NORTHUMBERLAND, ("NE61",), 8),
    Town("Hexham", NORTHUMBERLAND, ("NE46",), 7),
    Town("Bedlington", NORTHUMBERLAND, ("NE22",), 6),
    Town("Alnwick", NORTHUMBERLAND, ("NE66",), 6),
    Town("Berwick-upon-Tweed", NORTHUMBERLAND, ("TD15",), 5),
    Town("Prudhoe", NORTHUMBERLAND, ("NE42",), 4),
    Town("Ponteland", NORTHUMBERLAND, ("NE20",), 4),
    Town("Amble", NORTHUMBERLAND, ("NE65 0",), 3),
    Town("Haltwhistle", NORTHUMBERLAND, ("NE49",), 3),
    Town("Rothbury", NORTHUMBERLAND, ("NE65 7",), 2),
    Town("Newbiggin-by-the-Sea", NORTHUMBERLAND, ("NE64",), 2),
    Town("Corbridge", NORTHUMBERLAND, ("NE45",), 2),
    Town("Wooler", NORTHUMBERLAND, ("NE71",), 2),
    Town("Stocksfield", NORTHUMBERLAND, ("NE43",), 1),
    Town("Haydon Bridge", NORTHUMBERLAND, ("NE47 6",), 1),
    Town("Bellingham", NORTHUMBERLAND, ("NE48 2",), 1),
    Town("Seahouses", NORTHUMBERLAND, ("NE68",), 1),
    Town("Newcastle upon Tyne", NEWCASTLE, ("NE1",), 4, "City Centre"),
    Town("Newcastle upon Tyne", NEWCASTLE, ("NE2",), 5, "Jesmond"),
    Town("Newcastle upon Tyne", NEWCASTLE, ("NE3",), 6, "Gosforth"),
    Town("Newcastle upon Tyne", NEWCASTLE, ("NE4",), 6, "Fenham"),
    Town("Newcastle upon Tyne", NEWCASTLE, ("NE5",), 6, "Westerhope"),
    Town("Newcastle upon Tyne", NEWCASTLE, ("NE6",), 7, "Byker"),
    Town("Newcastle upon Tyne", NEWCASTLE, ("NE7",), 3, "High Heaton"),
    Town("Newcastle upon Tyne", NEWCASTLE, ("NE13",), 2, "Kingston Park"),
    Town("Newcastle upon Tyne", NEWCASTLE, ("NE15",), 4, "Newburn"),
]
# Share of organisations based in each council area: the rural county is the larger.
LA_WEIGHTS = {NORTHUMBERLAND: 55, NEWCASTLE: 45}


@dataclass
class Place:
    """A town and the real postcodes (with coordinates) of the gazetteer inside it."""

    town: Town
    postcodes: list[tuple[str, float, float]]

    @property
    def label(self) -> str:
        return self.town.area or self.town.name


def load_places() -> dict[str, list[Place]]:
    """Real postcodes per town, by council. Towns the loaded gazetteer does not cover are left
    out; a council with none of its towns loaded falls back to all its loaded postcodes."""
    if not Postcode.objects.exists():
        raise CommandError(f"The postcode gazetteer is empty: {LOAD_HINT}")
    places: dict[str, list[Place]] = {NORTHUMBERLAND: [], NEWCASTLE: []}
    for town in TOWNS:
        outcodes = [c for c in town.codes if " " not in c]
        sectors = [c for c in town.codes if " " in c]
        rows = list(
            Postcode.objects.filter(local_authority_code=town.la)
            .filter(Q(outcode__in=outcodes) | Q(sector__in=sectors))
            .order_by("postcode")
            .values_list("postcode", "latitude", "longitude")
        )
        if rows:
            places[town.la].append(Place(town, rows))
    for la in places:
        if not places[la]:
            rows = list(
                Postcode.objects.filter(local_authority_code=la)
                .order_by("postcode")
                .values_list("postcode", "latitude", "longitude")
            )
            if rows:
                name = "Newcastle upon Tyne" if la == NEWCASTLE else "Northumberland"
                places[la].append(Place(Town(name, la, (), 1), rows))
    places = {la: towns for la, towns in places.items() if towns}
    if not places:
        raise CommandError(
            "The postcode gazetteer has no postcodes in Northumberland or Newcastle upon Tyne: "
            + LOAD_HINT
        )
    return places


# --- Names --------------------------------------------------------------------------------------


def words(text: str) -> tuple[str, ...]:
    """'a, b, c' -> ('a', 'b', 'c'): keeps long lists of names and slugs compact."""
    return tuple(w.strip() for w in text.split(",") if w.strip())


FIRST_FEMALE = words(
    "Sarah, Emma, Claire, Laura, Gemma, Rachel, Hannah, Joanne, Lisa, Nicola, Kelly, Amy, Katie,"
    "Rebecca, Helen, Lindsay, Donna, Stacey, Louise, Jessica, Chloe, Megan, Grace, Ruth, Julie,"
    "Karen, Michelle, Ellie, Sophie, Natalie, Leanne, Carly, Jodie, Beth, Kirsty, Lucy, Zoe,"
    "Heather, Fiona, Alison"
)
FIRST_MALE = words(
    "David, Mark, Paul, Michael, Craig, Lee, Daniel, Andrew, Steven, Gary, James, Chris, Liam,"
    "Ryan, Adam, Tom, Ben, Jamie, Kieran, Sean, Dylan, Callum, Jordan, Nathan, Stuart, Neil,"
    "Graham, Ian, Alan, Peter"
)
FIRST_FEMALE_DIVERSE = words("Aisha, Fatima, Amina, Priya, Agnieszka, Zofia, Mei, Nadia, Shabana")
FIRST_MALE_DIVERSE = words("Imran, Tariq, Bilal, Kamil, Tomasz, Kwame, Yusuf, Arjun")
SURNAMES = words(
    "Robson, Charlton, Armstrong, Milburn, Elliott, Dodd, Hall, Bell, Scott, Nixon, Teasdale,"
    "Ridley, Fenwick, Errington, Heron, Straughan, Wilkinson, Pattinson, Forster, Thompson,"
    "Anderson, Young, Graham, Laidler, Tait, Hedley, Bainbridge, Storey, Ord, Swinburne, Gibson,"
    "Carr, Hogg, Rutherford, Brown, Wilson, Reed, Tweddle, Bowman, Coulson, Dixon, Marshall,"
    "Thornton, Hutchinson, Moffat, Shotton, Lamb, Oliver, Purvis, Cairns, Pringle, Grey, Percy,"
    "Nesbitt, Turnbull, Waugh, Hindmarsh, Patterson, Mitchell"
)
SURNAMES_DIVERSE = words(
    "Khan, Ahmed, Begum, Hussain, Ali, Rahman, Chowdhury, Patel, Singh, Kaur, Nowak, Kowalski,"
    "Chen, Wong, Okafor, Mensah, Osei, Mohamed, Abdi, Popescu, Iqbal, Miah"
)
PLACE_NAMES = {
    NORTHUMBERLAND: words(
        "Tynedale, Coquetdale, Wansbeck, Cheviot, Kielder, Redesdale, Allen Valleys, Simonside,"
        "Castle Morpeth, Aln Valley, Tweedside, Glendale, Blyth Valley, Harthope, North Tyne,"
        "South Tyne, Till Valley, Druridge Bay, Hadrian's Wall, Bamburgh Coast, Plessey Woods,"
        "Tyne Valley, Border, Dunstanburgh, Lindisfarne, Breamish, Wark Forest, Coquet Island,"
        "Wansbeck Valley, Derwent Valley"
    ),
    NEWCASTLE: words(
        "Ouseburn, Jesmond Dene, Tyneside, Quayside, Heaton Park, Leazes, Town Moor, Benwell,"
        "Walker Riverside, Elswick, Fenham, Byker, Gosforth, Kenton, Westerhope, Lemington,"
        "Newburn, Exhibition Park, Grainger, Cowgate, Arthur's Hill, Denton Burn, Scotswood,"
        "Walkergate, Throckley, Tyne Bridge, Sandyford, Spital Tongues, Blakelaw, Fawdon"
    ),
}
ORG_NOUNS = {
    "charity_sb": words(
        "Short Breaks Trust, Family Link, Carers' Break Service, Children's Support Project,"
        "Family Support Network, Disabled Children's Charity, Respite Care Trust,"
        "Young People's Project, Family Care Association, Short Break Scheme, Children's Trust,"
        "Community Care Trust, Families Together, Break Time"
    ),
    "charity_clubs": words(
        "Inclusive Sports Club, Youth Project, Community Arts, Adventure Club, Swimming Club,"
        "Drama Group, Music Project, Outdoor Centre, Boccia Club, Play Association,"
        "Inclusive Cycling, Youth Theatre, Sports Foundation, Activity Club"
    ),
    "private": words(
        "Care Ltd, Support Services Ltd, Children's Services Ltd, Home Care Ltd,"
        "Care Partnership Ltd, Specialist Care Ltd, Family Care Ltd, Support Ltd,"
        "Care and Support Ltd, Community Care Ltd"
    ),
}
COUNCIL_SERVICES = words(
    "Short Breaks Service, Family Placement Service, Holiday Activities Team, Youth Service,"
    "Disabled Children's Team, Transitions Team, Children's Resource Centre"
)
COUNCIL_AREAS = {
    NORTHUMBERLAND: words("North, West, Central, South East, Tynedale, Berwick, Blyth Valley"),
    NEWCASTLE: words("East, West, North, Outer West, City Centre, Inner East"),
}
INSURERS = words(
    "Example Mutual Insurance, Northern Example Insurance, Sample Care Insurers,Demo Assurance Ltd"
)
STAFF_ROLES = words(
    "Senior support worker, Support worker, Play worker, Youth worker, Short break carer,"
    "Sports coach, Care worker, Volunteer"
)
PA_BACKGROUNDS = words(
    "teaching assistant in a special school, care worker, nursery nurse, youth worker,"
    "support worker for adults with learning disabilities, health care assistant,"
    "sports coach, children's nurse (now retired)"
)
LANGUAGE_CHOICES = {
    NORTHUMBERLAND: ["polish", "british-sign-language", "romanian"],
    NEWCASTLE: [
        "urdu",
        "bengali",
        "arabic",
        "polish",
        "punjabi",
        "mandarin",
        "somali",
        "romanian",
        "british-sign-language",
        "hindi",
        "gujarati",
    ],
}


# --- What each kind of service looks like -------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One kind of service: its taxonomy, words, schedule, cost and capacity."""

    key: str
    kind: str
    types: tuple[str, ...]
    titles: tuple[str, ...]
    summaries: tuple[str, ...]
    about: tuple[str, ...]
    ages: tuple[tuple[int, int], ...]
    needs: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    funding: tuple[str, ...] = ("direct-payment", "personal-budget", "self-funded")
    venues: tuple[str, ...] = ("{town} Community Centre",)
    at_venue: bool = True
    comes_to_family: bool = False
    days: tuple[int, ...] = (1, 2, 3, 4, 5)
    n_days: tuple[int, int] = (1, 2)
    times: tuple[tuple[str, str] | None, ...] = (None,)
    term_time: bool = True
    school_holidays: bool = True
    overnight: bool = False
    cost: tuple[str, float, float] = (CostUnit.SESSION, 5, 15)
    free_chance: float = 0.0
    capacity: tuple[str, int, int] = (CapacityUnit.PLACES, 1, 8)
    min_booking: tuple[str, ...] = ()
    sports: tuple[str, ...] = ()


ALL_DAYS = (1, 2, 3, 4, 5, 6, 7)
HOME_VENUES = ("",)  # a carer's, childminder's or family's home: no address shown

SPECS = {
    spec.key: spec
    for spec in [
        Spec(
            "overnight",
            ListingKind.SHORT_BREAK,
            ("overnight-short-breaks",),
            (
                "Overnight short breaks at {venue}",
                "{venue}: overnight stays",
                "Short break stays at {venue}, {town}",
            ),
            (
                "Your child stays overnight in a homely short break house in {town}, with "
                "their own bedroom and staff awake all night. For children aged {ages}.",
                "Overnight stays for disabled children aged {ages}, from one night to a long "
                "weekend, in a house in {town} with a sensory room and a garden.",
                "Planned overnight short breaks so the whole family can rest. Our staff look "
                "after children with complex health needs and behaviour that challenges.",
            ),
            (
                "{venue} is a short break house with five bedrooms, a sensory room, a kitchen "
                "where young people can help to cook, and an enclosed garden.",
                "Staff are trained in epilepsy care, tube feeding and moving and handling. "
                "A nurse visits every day.",
                "Most children stay one or two nights a month. We plan stays around school, "
                "and take your child to school the next morning.",
                "Before the first stay we visit you at home, and your child comes for tea "
                "visits so they get to know us.",
            ),
            ((5, 18), (8, 18), (11, 18), (0, 18)),
            needs=words(
                "complex-health-needs, learning-disability, autism, physical-disability,"
                "behaviour-that-challenges, life-limiting-conditions"
            ),
            skills=words(
                "tube-feeding-gastrostomy, epilepsy-rescue-medication, moving-and-handling-hoist,"
                "personal-care, medication, oxygen-and-suction, positive-behaviour-support,"
                "makaton"
            ),
            access=words(
                "step-free-access, accessible-toilet, hoist-available, sensory-room, quiet-room,"
                "accessible-parking, changing-places-toilet"
            ),
            funding=words("council-arranged, personal-budget, direct-payment"),
            venues=words(
                "Coquet House, Willow Lodge, Rowan House, The Beeches, Heather Lodge,"
                "Oak Tree House, Tyne View, Larch Cottage, Hawthorn House"
            ),
            days=ALL_DAYS,
            n_days=(3, 7),
            overnight=True,
            cost=(CostUnit.NIGHT, 190, 380),
            free_chance=0.3,
            capacity=(CapacityUnit.PLACES, 0, 4),
        ),
        Spec(
            "shared_care",
            ListingKind.SHORT_BREAK,
            ("shared-care-with-a-family",),
            (
                "Family-based short breaks in {town}",
                "Shared care: short breaks with an approved family",
                "Link family short breaks, {town}",
            ),
            (
                "Your child spends time with an approved short break carer and their family, "
                "for a day, an evening or overnight, in {town} and nearby.",
                "We match your child with a trained carer family who get to know them well, "
                "for regular breaks in the carer's own home.",
            ),
            (
                "Our short break carers are local people, assessed and approved by a panel, "
                "and trained in caring for disabled children.",
                "We take time to find the right match. You meet the carer family first, and "
                "your child visits for short spells before any overnight stay.",
                "Breaks can be a few hours after school, a day at the weekend, or one or two "
                "nights a month.",
            ),
            ((0, 18), (4, 18), (5, 17)),
            needs=words(
                "learning-disability, autism, physical-disability, adhd,"
                "speech-language-and-communication-needs"
            ),
            skills=words("personal-care, medication, makaton, epilepsy-rescue-medication"),
            access=words("easy-read-information"),
            funding=words("council-arranged, personal-budget"),
            venues=HOME_VENUES,
            days=ALL_DAYS,
            n_days=(2, 7),
            overnight=True,
            cost=(CostUnit.NIGHT, 80, 140),
            free_chance=0.5,
            capacity=(CapacityUnit.PLACES, 0, 3),
        ),
        Spec(
            "day_care",
            ListingKind.SHORT_BREAK,
            ("day-care",),
            ("{venue} day care", "Day care at {venue}", "Daytime care and play, {town}"),
            (
                "Day care for disabled children aged {ages} in {town}, with plenty of staff, "
                "a sensory room and a sheltered garden.",
                "Full and half days of care and play for children with additional needs, "
                "while you work, rest or look after brothers and sisters.",
            ),
            (
                "Each child has a key worker who gets to know their routines, how they "
                "communicate and what they enjoy.",
                "We follow the Early Years Foundation Stage and are registered with Ofsted.",
                "We can give medicines, tube feeds and personal care, with a care plan agreed "
                "with you.",
            ),
            ((0, 5), (2, 11), (0, 11), (2, 8)),
            needs=words(
                "learning-disability, autism, physical-disability, complex-health-needs,"
                "speech-language-and-communication-needs, hearing-impairment, visual-impairment"
            ),
            skills=words(
                "personal-care, medication, makaton, pecs, tube-feeding-gastrostomy,"
                "epilepsy-rescue-medication"
            ),
            access=words(
                "step-free-access, accessible-toilet, sensory-room, quiet-room, hoist-available,"
                "accessible-parking"
            ),
            venues=words(
                "The Sunflower Centre, Little Acorns, The Rainbow Room, Buttercups,"
                "The Orchard Centre, Kingfisher Centre, Puffin Place, Bluebell House"
            ),
            n_days=(3, 5),
            times=(("08:00", "18:00"), ("08:30", "17:30"), ("09:00", "15:00")),
            cost=(CostUnit.DAY, 42, 80),
            capacity=(CapacityUnit.PLACES, 0, 6),
        ),
        Spec(
            "after_school",
            ListingKind.SHORT_BREAK,
            ("after-school-club",),
            ("After-school club at {venue}", "{town} after-school club", "Teatime club, {town}"),
            (
                "Games, crafts, cooking and time to relax after school, for disabled children "
                "aged {ages}. We can collect children from local special schools.",
                "A small, friendly after-school club in {town} with trained staff, a quiet "
                "room and a hot tea.",
            ),
            (
                "We collect children from school in our accessible minibus.",
                "Each session ends with tea, and you collect your child at the end.",
                "Staff use Makaton and picture cards, and each child has a one-page profile "
                "so everyone knows how to help.",
            ),
            ((5, 11), (5, 14), (8, 16), (4, 12)),
            needs=words(
                "autism, learning-disability, adhd, physical-disability,"
                "speech-language-and-communication-needs"
            ),
            skills=words("makaton, pecs, personal-care, autism-training, medication"),
            access=words(
                "step-free-access, accessible-toilet, quiet-room, accessible-transport,"
                "easy-read-information"
            ),
            venues=words(
                "{town} Community Centre, St Cuthbert's Church Hall, The Hub,"
                "{town} Youth Centre, Riverside Centre, The Old School"
            ),
            n_days=(2, 5),
            times=(("15:15", "18:00"), ("15:30", "18:00"), ("15:00", "17:30")),
            school_holidays=False,
            cost=(CostUnit.SESSION, 10, 25),
            free_chance=0.1,
        ),
        Spec(
            "holiday_scheme",
            ListingKind.SHORT_BREAK,
            ("holiday-scheme",),
            (
                "School holiday scheme, {town}",
                "{town} holiday club",
                "Holiday activity days at {venue}",
            ),
            (
                "Days out and activities in the school holidays for disabled children aged "
                "{ages}: swimming, trips to the beach, forest walks and crafts.",
                "A holiday scheme in {town} with one-to-one support where needed, so children "
                "have a great time and parents get a break.",
            ),
            (
                "We run in the Easter, summer and October half-term holidays. Book whole "
                "weeks or single days.",
                "Trips have included Kielder Water, Bamburgh beach and the Great North Museum.",
                "Lunch and snacks are included. Tell us about any special diet.",
            ),
            ((5, 18), (8, 18), (5, 12), (11, 19)),
            needs=words(
                "autism, learning-disability, physical-disability, adhd,behaviour-that-challenges"
            ),
            skills=words("personal-care, medication, positive-behaviour-support, makaton"),
            access=words(
                "step-free-access, accessible-toilet, accessible-transport,"
                "changing-places-toilet, quiet-room"
            ),
            funding=words("direct-payment, personal-budget, self-funded, carers-grant"),
            venues=words("{town} Leisure Centre, {town} Community Centre, The Hub"),
            n_days=(4, 5),
            times=(("09:30", "15:30"), ("10:00", "15:00"), ("09:00", "16:00")),
            term_time=False,
            cost=(CostUnit.DAY, 20, 55),
            free_chance=0.25,
            capacity=(CapacityUnit.PLACES, 0, 12),
        ),
        Spec(
            "weekend",
            ListingKind.SHORT_BREAK,
            ("weekend-activities",),
            ("Weekend club at {venue}", "{town} weekend activities", "Weekend breaks club, {town}"),
            (
                "A weekend club for disabled children aged {ages}, with games, crafts, cooking "
                "and trips out, so families get a regular break.",
                "Weekend activities in and around {town}: bowling, swimming, walks and days "
                "out, with trained staff and transport.",
            ),
            (
                "Most children come every other weekend. The staff are the same each time, so "
                "children get to know them.",
                "We can pick children up from home in our wheelchair-accessible minibus.",
            ),
            ((5, 18), (8, 18), (11, 18)),
            needs=words("autism, learning-disability, physical-disability, adhd"),
            skills=words("personal-care, makaton, positive-behaviour-support, medication"),
            access=words("step-free-access, accessible-toilet, accessible-transport"),
            funding=words("direct-payment, personal-budget, self-funded, carers-grant"),
            venues=words("{town} Community Centre, The Hub, Riverside Centre"),
            days=(6, 7),
            n_days=(1, 2),
            times=(("10:00", "16:00"), ("10:00", "15:00"), ("09:30", "15:30")),
            cost=(CostUnit.SESSION, 20, 50),
            capacity=(CapacityUnit.PLACES, 0, 10),
        ),
        Spec(
            "sitting",
            ListingKind.SHORT_BREAK,
            ("sitting-service",),
            ("{town} sitting service", "Evening sitting service", "Home sitting, {town}"),
            (
                "A trained sitter looks after your child at home in the evening, so you can go "
                "out, rest or spend time with your other children.",
                "Sitters who know how to care for disabled children, for a few hours at a "
                "time, in {town} and the surrounding area.",
            ),
            (
                "All our sitters have an enhanced DBS check, first aid training and training "
                "in caring for disabled children.",
                "We try to send the same sitter each time. The first visit is a chance to meet "
                "them while you are at home.",
            ),
            ((0, 18), (2, 18)),
            needs=words("autism, learning-disability, physical-disability, complex-health-needs"),
            skills=words("personal-care, medication, epilepsy-rescue-medication, makaton"),
            venues=HOME_VENUES,
            at_venue=False,
            comes_to_family=True,
            days=ALL_DAYS,
            n_days=(4, 7),
            times=(("17:00", "23:00"), ("18:00", "23:30")),
            cost=(CostUnit.HOUR, 14, 20),
            capacity=(CapacityUnit.HOURS, 0, 40),
            min_booking=("2.0", "3.0"),
        ),
        Spec(
            "support_home",
            ListingKind.SHORT_BREAK,
            ("support-at-home",),
            (
                "Support at home, {town}",
                "Care at home for disabled children",
                "{town} home support service",
            ),
            (
                "Care workers come to your home to help with getting up, meals, bath time and "
                "bedtime, or to look after your child while you have a break.",
                "Flexible support at home for children and young people aged {ages} with "
                "complex needs, from two hours a week.",
            ),
            (
                "Our care workers are trained in personal care, moving and handling and giving "
                "medicines.",
                "We agree a care plan with you and review it every six months.",
                "We are registered with the Care Quality Commission.",
            ),
            ((0, 18), (5, 25), (11, 25)),
            needs=words(
                "complex-health-needs, physical-disability, learning-disability,"
                "life-limiting-conditions"
            ),
            skills=words(
                "personal-care, moving-and-handling-hoist, medication, tube-feeding-gastrostomy,"
                "catheter-and-stoma-care"
            ),
            venues=HOME_VENUES,
            at_venue=False,
            comes_to_family=True,
            days=ALL_DAYS,
            n_days=(3, 7),
            times=(("07:00", "22:00"), ("08:00", "20:00")),
            cost=(CostUnit.HOUR, 17, 26),
            capacity=(CapacityUnit.HOURS, 0, 60),
            min_booking=("2.0",),
        ),
        Spec(
            "support_out",
            ListingKind.SHORT_BREAK,
            ("support-to-go-out",),
            (
                "Support to go out, {town}",
                "Out and about: community support",
                "Going out with a buddy, {town}",
            ),
            (
                "A support worker goes with your child to the things they enjoy: swimming, "
                "the cinema, football, shopping or meeting friends.",
                "One-to-one support to get out and about in {town} and beyond, so young "
                "people aged {ages} can do more for themselves.",
            ),
            (
                "We match each young person with a worker who shares their interests.",
                "Workers can use buses and the Metro with young people to build their "
                "confidence to travel.",
            ),
            ((8, 18), (11, 25), (14, 25)),
            needs=words("autism, learning-disability, adhd, mental-health-and-emotional-wellbeing"),
            skills=words("autism-training, positive-behaviour-support, personal-care"),
            venues=HOME_VENUES,
            at_venue=False,
            comes_to_family=True,
            days=ALL_DAYS,
            n_days=(3, 7),
            times=(("09:00", "21:00"), ("10:00", "20:00")),
            cost=(CostUnit.HOUR, 15, 22),
            capacity=(CapacityUnit.HOURS, 0, 40),
            min_booking=("2.0", "3.0"),
        ),
        Spec(
            "overnight_home",
            ListingKind.SHORT_BREAK,
            ("overnight-support-at-home",),
            ("Overnight support at home", "Night care at home, {town}", "Waking nights at home"),
            (
                "A trained carer stays awake overnight in your home to look after your child, "
                "so you can get a full night's sleep.",
                "Night-time support for children with complex health needs, including oxygen, "
                "suction and tube feeds.",
            ),
            (
                "Our night carers are trained by the children's community nursing team.",
                "Most families have one or two nights a week. We can also help in an emergency.",
            ),
            ((0, 18), (0, 25)),
            needs=words("complex-health-needs, life-limiting-conditions, physical-disability"),
            skills=words(
                "oxygen-and-suction, tube-feeding-gastrostomy, epilepsy-rescue-medication,"
                "moving-and-handling-hoist, catheter-and-stoma-care, medication"
            ),
            funding=words("council-arranged, personal-budget, direct-payment"),
            venues=HOME_VENUES,
            at_venue=False,
            comes_to_family=True,
            days=ALL_DAYS,
            n_days=(3, 7),
            overnight=True,
            cost=(CostUnit.NIGHT, 120, 190),
            capacity=(CapacityUnit.PLACES, 0, 3),
        ),
        Spec(
            "transition",
            ListingKind.SHORT_BREAK,
            ("transition-support-14-to-25",),
            (
                "Moving on: support for young people 14 to 25",
                "Next steps group, {town}",
                "Transition support in {town}",
            ),
            (
                "Support for young people aged {ages} moving towards adult life: travel "
                "training, cooking, money skills, and college and work taster days.",
                "A group where young people plan their own future, try new things and make "
                "friends, with help to move from children's to adult services.",
            ),
            (
                "We work to the young person's own goals, written in their words, and review "
                "them together.",
                "Sessions include independent travel, budgeting, cooking and volunteering.",
            ),
            ((14, 25), (16, 25), (14, 19)),
            needs=words(
                "learning-disability, autism, mental-health-and-emotional-wellbeing,"
                "speech-language-and-communication-needs"
            ),
            skills=words("autism-training, positive-behaviour-support, makaton"),
            access=words("step-free-access, accessible-toilet, easy-read-information"),
            venues=words("{town} Community Centre, The Hub, {town} Library"),
            days=(1, 2, 3, 4, 5, 6),
            n_days=(1, 2),
            times=(("10:00", "15:00"), ("16:00", "19:00")),
            cost=(CostUnit.SESSION, 10, 35),
            free_chance=0.3,
            capacity=(CapacityUnit.PLACES, 0, 10),
        ),
        # Personal assistants: {first} is the PA's first name.
        Spec(
            "pa_general",
            ListingKind.PERSONAL_ASSISTANT,
            ("support-at-home", "support-to-go-out"),
            ("{first} {initial}., personal assistant in {town}",),
            (
                "I'm {first}, a personal assistant based near {town}. I support disabled "
                "children and young people at home and out and about: swimming, the park, "
                "clubs and trips.",
                "Experienced PA offering after-school and weekend support around {town}. I'm "
                "happy to help with personal care, meals and getting to activities.",
                "I support children and young people aged {ages} to do the things they enjoy "
                "and to become more independent, in {town} and the villages nearby.",
            ),
            (
                "I can work after school in term time, at weekends and in the school holidays.",
                "You can pay me with a direct payment or a personal budget. I invoice monthly.",
            ),
            ((0, 18), (5, 18), (8, 25), (11, 25)),
            needs=words(
                "autism, learning-disability, physical-disability, adhd, complex-health-needs"
            ),
            skills=words(
                "personal-care, epilepsy-rescue-medication, makaton, medication, autism-training,"
                "moving-and-handling-hoist"
            ),
            funding=words("direct-payment, personal-budget, self-funded"),
            venues=HOME_VENUES,
            at_venue=False,
            comes_to_family=True,
            days=ALL_DAYS,
            n_days=(3, 6),
            times=(None, ("08:00", "20:00"), ("15:00", "21:00")),
            cost=(CostUnit.HOUR, 12.5, 18),
            capacity=(CapacityUnit.HOURS, 0, 25),
        ),
        Spec(
            "pa_overnight",
            ListingKind.PERSONAL_ASSISTANT,
            ("overnight-support-at-home", "support-at-home"),
            ("{first} {initial}., personal assistant (nights and weekends)",),
            (
                "I'm {first}. I offer overnight support at home for children with complex "
                "health needs, and daytime support at weekends, around {town}.",
                "Night-time and weekend support at home from an experienced PA, so parents "
                "can sleep and have a break.",
            ),
            (
                "I was trained by the community nursing team in tube feeding and suction.",
                "I can do sleep-in nights or waking nights.",
            ),
            ((0, 18), (0, 25)),
            needs=words("complex-health-needs, life-limiting-conditions, physical-disability"),
            skills=words(
                "tube-feeding-gastrostomy, oxygen-and-suction, epilepsy-rescue-medication,"
                "moving-and-handling-hoist, personal-care"
            ),
            funding=words("direct-payment, personal-budget"),
            venues=HOME_VENUES,
            at_venue=False,
            comes_to_family=True,
            days=ALL_DAYS,
            n_days=(2, 5),
            overnight=True,
            cost=(CostUnit.HOUR, 13, 18),
            capacity=(CapacityUnit.HOURS, 0, 30),
        ),
        Spec(
            "pa_transition",
            ListingKind.PERSONAL_ASSISTANT,
            ("transition-support-14-to-25", "support-to-go-out"),
            ("{first} {initial}., PA for young people 14 to 25, {town}",),
            (
                "I help young people aged {ages} build confidence for adult life: travel "
                "training, cooking, college and work placements, and seeing friends.",
                "I'm {first}, a PA in {town} supporting teenagers and young adults to get out, "
                "make friends and do more for themselves.",
            ),
            (
                "I'm calm and patient, and good at helping young people feel confident.",
                "I can support young people at college, at work placements and at evening clubs.",
            ),
            ((14, 25), (11, 25), (16, 25)),
            needs=words("autism, learning-disability, mental-health-and-emotional-wellbeing, adhd"),
            skills=words("autism-training, positive-behaviour-support, personal-care"),
            funding=words("direct-payment, personal-budget, self-funded"),
            venues=HOME_VENUES,
            at_venue=False,
            comes_to_family=True,
            days=ALL_DAYS,
            n_days=(3, 6),
            times=(None, ("09:00", "21:00")),
            cost=(CostUnit.HOUR, 12.5, 17),
            capacity=(CapacityUnit.HOURS, 0, 25),
        ),
        # Inclusive clubs and activities.
        Spec(
            "youth_club",
            ListingKind.INCLUSIVE_CLUB,
            ("youth-club",),
            (
                "{town} inclusive youth club",
                "Evening youth club at {venue}",
                "Friends club, {town}",
            ),
            (
                "A youth club where disabled and non-disabled young people aged {ages} hang "
                "out, play pool, cook, make music and go on trips.",
                "A friendly evening club in {town} for young people aged {ages}, with youth "
                "workers who make sure everyone can join in.",
            ),
            (
                "Young people choose the activities and plan the trips themselves.",
                "Parents are welcome to stay for the first session.",
            ),
            ((11, 18), (11, 25), (13, 19), (8, 13)),
            needs=words("autism, learning-disability, adhd, mental-health-and-emotional-wellbeing"),
            access=words("step-free-access, accessible-toilet, quiet-room, autism-trained-staff"),
            funding=words("self-funded, direct-payment"),
            venues=words("{town} Youth Centre, {town} Community Centre, The Hub"),
            n_days=(1, 1),
            times=(("18:00", "20:30"), ("18:30", "21:00"), ("17:30", "19:30")),
            school_holidays=False,
            cost=(CostUnit.SESSION, 1, 3),
            free_chance=0.4,
            capacity=(CapacityUnit.PLACES, 0, 10),
        ),
        Spec(
            "sport",
            ListingKind.INCLUSIVE_CLUB,
            ("sport",),
            (
                "Inclusive {sport} at {venue}",
                "{town} inclusive {sport} club",
                "{Sport} for all, {town}",
            ),
            (
                "Weekly {sport} sessions for disabled children and young people aged {ages}, "
                "led by qualified coaches trained in disability sport.",
                "Have a go at {sport} in a friendly group in {town}. Beginners are welcome, "
                "and brothers and sisters can join in too.",
            ),
            (
                "We have sports wheelchairs and adapted equipment to borrow.",
                "Some of our young people now play in regional competitions.",
            ),
            ((5, 18), (8, 18), (11, 25)),
            needs=words("physical-disability, learning-disability, autism, visual-impairment"),
            access=words("step-free-access, accessible-toilet, accessible-parking"),
            funding=words("self-funded, direct-payment"),
            venues=words("{town} Leisure Centre, {town} Sports Centre, Community sports hall"),
            days=(1, 2, 3, 4, 5, 6, 7),
            n_days=(1, 1),
            times=(("10:00", "11:30"), ("17:30", "18:30"), ("09:30", "11:00")),
            cost=(CostUnit.SESSION, 2, 6),
            free_chance=0.2,
            capacity=(CapacityUnit.PLACES, 0, 12),
            sports=words(
                "football, boccia, multi-sports, wheelchair basketball, athletics, trampolining,"
                "climbing, cricket"
            ),
        ),
        Spec(
            "swimming",
            ListingKind.INCLUSIVE_CLUB,
            ("swimming",),
            (
                "Sensory swim sessions at {venue}",
                "Swimming lessons for disabled children, {town}",
                "Family splash sessions, {town}",
            ),
            (
                "Quiet, warm-water swimming sessions for disabled children and their families, "
                "with a hoist into the pool and fewer people around.",
                "Small-group swimming lessons for children aged {ages} with additional needs, "
                "taught by instructors trained in disability swimming.",
            ),
            (
                "Changing rooms are private, and there is a Changing Places toilet.",
                "Parents and carers can come into the water with their child.",
            ),
            ((0, 18), (4, 16), (5, 18)),
            needs=words("physical-disability, autism, learning-disability, complex-health-needs"),
            access=words(
                "changing-places-toilet, hoist-available, accessible-parking, step-free-access,"
                "sensory-friendly-sessions"
            ),
            funding=words("self-funded, direct-payment"),
            venues=words("{town} Leisure Centre, {town} Pool, Hydrotherapy pool"),
            days=ALL_DAYS,
            n_days=(1, 2),
            times=(("16:30", "17:30"), ("09:00", "10:00"), ("17:00", "18:00")),
            cost=(CostUnit.SESSION, 3, 6),
            capacity=(CapacityUnit.PLACES, 0, 8),
        ),
        Spec(
            "arts",
            ListingKind.INCLUSIVE_CLUB,
            ("arts-music-and-drama",),
            (
                "Inclusive drama group, {town}",
                "Music and movement at {venue}",
                "Art club for young people, {town}",
            ),
            (
                "A drama group where young people aged {ages} make up stories, play games and "
                "put on a show at the end of term.",
                "Music, singing and movement sessions for disabled children, with sensory "
                "instruments and Makaton signing.",
                "An art club for young people aged {ages}: painting, clay and printmaking, at "
                "everyone's own pace.",
            ),
            (
                "Sessions are led by artists with experience of working with disabled young "
                "people.",
                "Families are invited to a sharing at the end of each term.",
            ),
            ((5, 18), (8, 18), (11, 25)),
            needs=words(
                "learning-disability, autism, speech-language-and-communication-needs,"
                "hearing-impairment"
            ),
            access=words("step-free-access, accessible-toilet, hearing-loop, quiet-room"),
            funding=words("self-funded, direct-payment, personal-budget"),
            venues=words("{town} Arts Centre, {town} Community Centre, The Old School"),
            days=(1, 2, 3, 4, 5, 6),
            n_days=(1, 1),
            times=(("16:30", "18:00"), ("10:00", "12:00"), ("18:00", "19:30")),
            cost=(CostUnit.SESSION, 3, 8),
            free_chance=0.2,
            capacity=(CapacityUnit.PLACES, 0, 10),
        ),
        Spec(
            "outdoor",
            ListingKind.INCLUSIVE_CLUB,
            ("outdoor-activities",),
            (
                "{town} adventure club",
                "Canoeing and climbing for disabled young people",
                "Forest school for children with additional needs, {town}",
            ),
            (
                "Canoeing, climbing, archery and campfires for disabled young people aged "
                "{ages}, with adapted equipment and experienced instructors.",
                "Forest school sessions in the woods near {town}: building dens, finding "
                "minibeasts and cooking on the fire.",
            ),
            (
                "We have all-terrain wheelchairs and an adapted canoe.",
                "All instructors hold outdoor first aid and paddlesport or climbing awards.",
            ),
            ((8, 18), (5, 12), (11, 25)),
            needs=words("physical-disability, autism, learning-disability, adhd"),
            access=words("accessible-toilet, accessible-parking, accessible-transport"),
            funding=words("self-funded, direct-payment, personal-budget"),
            venues=words("{town} Outdoor Centre, Woodland site near {town}, Riverside Centre"),
            days=(6, 7),
            n_days=(1, 2),
            times=(("10:00", "15:00"), ("09:30", "12:30")),
            cost=(CostUnit.SESSION, 8, 25),
            capacity=(CapacityUnit.PLACES, 0, 8),
        ),
        Spec(
            "play_scheme",
            ListingKind.INCLUSIVE_CLUB,
            ("play-scheme",),
            (
                "Inclusive play scheme, {town}",
                "Holiday playscheme at {venue}",
                "Adventure play, {town}",
            ),
            (
                "An inclusive holiday play scheme where disabled and non-disabled children "
                "aged {ages} play together, with extra staff for those who need support.",
                "Open play sessions at our adventure playground in {town}, with a sensory area "
                "and staff trained in supporting disabled children.",
            ),
            (
                "Children can come for a morning, an afternoon or the whole day.",
                "Bring a packed lunch; drinks and fruit are provided.",
            ),
            ((5, 12), (4, 14), (5, 16)),
            needs=words("autism, adhd, learning-disability, physical-disability"),
            access=words("step-free-access, accessible-toilet, sensory-room, quiet-room"),
            funding=words("self-funded, direct-payment, carers-grant"),
            venues=words("{town} Adventure Playground, {town} Community Centre, The Hub"),
            n_days=(3, 5),
            times=(("10:00", "15:00"), ("09:30", "15:30")),
            term_time=False,
            cost=(CostUnit.DAY, 5, 20),
            free_chance=0.3,
            capacity=(CapacityUnit.PLACES, 0, 15),
        ),
        Spec(
            "scouts",
            ListingKind.INCLUSIVE_CLUB,
            ("scouts-guides-and-uniformed-groups",),
            (
                "{town} inclusive Scout group",
                "Beavers and Cubs with extra support, {town}",
                "Guides and Brownies for everyone, {town}",
            ),
            (
                "A group that welcomes disabled young people aged {ages}, with extra leaders, "
                "adapted activities and camps everyone can go on.",
                "Weekly meetings with games, badges, camping and trips, in a group that makes "
                "sure every child can take part.",
            ),
            (
                "Leaders are volunteers trained by the national association.",
                "We talk with each family about what helps before their child joins.",
            ),
            ((6, 14), (6, 18), (10, 14)),
            needs=words("autism, adhd, learning-disability, physical-disability"),
            access=words("step-free-access, accessible-toilet, quiet-room"),
            funding=words("self-funded"),
            venues=words("{town} Scout Hut, St Mary's Church Hall, {town} Community Centre"),
            n_days=(1, 1),
            times=(("18:00", "19:30"), ("18:30", "20:00")),
            school_holidays=False,
            cost=(CostUnit.SESSION, 1, 3),
            free_chance=0.2,
            capacity=(CapacityUnit.PLACES, 0, 6),
        ),
    ]
}
CHILDMINDER_SUMMARIES = (
    "An Ofsted-registered childminder in {town} with experience of caring for disabled "
    "children, in a calm family home with a garden.",
    "Small-group childcare in my home in {town}, for children aged {ages}, including children "
    "with additional needs. School pick-ups from local schools.",
)
INCLUSION_SUPPORT = (
    "An extra one-to-one worker for children who need one, arranged with you before they start.",
    "A quiet room to take a break, visual timetables and a named leader to go to.",
    "Adapted equipment, a hoist and a Changing Places toilet; staff trained in moving and "
    "handling.",
    "Staff trained in autism and Makaton; we send photos of the venue and the staff before the "
    "first session.",
    "Smaller, calmer sessions, with fewer people and less noise.",
    "A taster session first, and a one-page profile so the leaders know what helps.",
)
ACCESS_NOTES = (
    "Level access from the car park, with Blue Badge parking by the door.",
    "The hall is on the ground floor with an accessible toilet next to it.",
    "There is a Changing Places toilet with a hoist and an adult-sized changing bench.",
    "Ear defenders are available; ask us about quieter times to visit.",
    "Step-free throughout; the garden has smooth paths for wheelchairs.",
)
CULTURAL_NOTES = (
    "Halal and vegetarian food available.",
    "Female staff can be arranged on request.",
    "We can offer a quiet room for prayer.",
    "We celebrate Eid, Diwali, Christmas and other festivals with the children.",
)
COST_NOTES = (
    "Direct payments and carers' grants accepted.",
    "Transport included.",
    "Brothers and sisters half price.",
    "Lunch included.",
    "Mileage for trips out at 45p a mile.",
    "",
    "",
)
COUNCIL_FREE_NOTE = (
    "Free for families with an assessed need: ask your social worker or the Disabled "
    "Children's Team."
)
FREE_NOTE = "Free, funded by the council's short breaks grant."

# Which services each kind of organisation offers (spec key, weight), and how many listings.
ARCHETYPES = {
    "charity_sb": (
        OrganisationKind.CHARITY,
        (2, 6),
        [
            ("overnight", 1),
            ("shared_care", 1),
            ("day_care", 1),
            ("after_school", 2),
            ("holiday_scheme", 2),
            ("weekend", 2),
            ("sitting", 1),
            ("support_out", 1),
            ("transition", 1),
            ("youth_club", 1),
            ("play_scheme", 1),
        ],
    ),
    "charity_clubs": (
        OrganisationKind.CHARITY,
        (1, 4),
        [
            ("youth_club", 2),
            ("sport", 3),
            ("swimming", 2),
            ("arts", 2),
            ("outdoor", 2),
            ("play_scheme", 1),
            ("scouts", 1),
        ],
    ),
    "private": (
        OrganisationKind.PRIVATE,
        (2, 6),
        [
            ("agency_pa", 4),
            ("support_home", 2),
            ("sitting", 1),
            ("overnight_home", 1),
            ("overnight", 1),
            ("day_care", 1),
        ],
    ),
    "council": (
        OrganisationKind.COUNCIL,
        (4, 10),
        [
            ("overnight", 2),
            ("shared_care", 2),
            ("holiday_scheme", 2),
            ("youth_club", 1),
            ("transition", 1),
            ("play_scheme", 1),
        ],
    ),
    "childminder": (OrganisationKind.CHILDMINDER, (1, 1), [("day_care", 1), ("after_school", 1)]),
    "pa": (
        OrganisationKind.SELF_EMPLOYED_PA,
        (1, 1),
        [("pa_general", 4), ("pa_overnight", 1), ("pa_transition", 1)],
    ),
}
# Share of listings from each kind of organisation.
ARCHETYPE_SHARE = {
    "pa": 0.20,
    "childminder": 0.05,
    "council": 0.08,
    "charity_sb": 0.27,
    "private": 0.15,
    "charity_clubs": 0.25,
}
# Safeguarding and freshness mix (shares of organisations / listings; at least one of each).
DBS_MIX = {"lapsed_hidden": 0.04, "lapsed_grace": 0.03, "due_soon": 0.06, "self_declared": 0.06}
NO_DBS_SHARE = 0.02
STALE_SHARE, EXPIRED_SHARE = 0.06, 0.03


# --- The plan: everything decided from the seed before anything is written ----------------------


@dataclass
class StaffPlan:
    full_name: str
    role: str
    works_with_children: bool = True
    dbs: str = "verified"  # verified, self_declared, due_soon, lapsed_grace, lapsed_hidden, none
    level: str = DBSLevel.ENHANCED_CHILDREN
    update_service: bool = False


@dataclass
class ListingPlan:
    model: type
    fields: dict
    taxonomy: dict[str, list[str]]  # relation name -> slugs (or LA codes, or weekday numbers)
    staff_index: int | None = None  # the named PA, for personal assistant listings
    freshness: str = Freshness.CURRENT
    assured_days_ago: int = 0


@dataclass
class OrgPlan:
    archetype: str
    name: str
    kind: str
    la: str
    fields: dict
    about: str
    staff: list[StaffPlan] = field(default_factory=list)
    listings: list[ListingPlan] = field(default_factory=list)
    demo_account: str = ""  # "demo-provider" or "demo-pa"

    @property
    def slug(self) -> str:
        return slugify(self.name)[:180]


def money(value: float) -> Decimal:
    return Decimal(str(round(value * 2) / 2)).quantize(Decimal("0.01"))


def clock(text: str) -> datetime.time:
    hours, minutes = text.split(":")
    return datetime.time(int(hours), int(minutes))


class Planner:
    """Decides every organisation, person and listing from one seeded random generator."""

    def __init__(self, rng: random.Random, places: dict[str, list[Place]], slugs: dict):
        self.rng = rng
        self.places = places
        self.slugs = slugs  # taxonomy name -> slugs present in the database
        self.names: set[str] = set()
        self.phone = 0

    # --- small helpers ---

    def weighted(self, pairs):
        items, weights = zip(*pairs, strict=True)
        return self.rng.choices(items, weights=weights)[0]

    def pick_la(self) -> str:
        return self.weighted([(la, LA_WEIGHTS[la]) for la in self.places])

    def pick_place(self, la: str) -> Place:
        return self.weighted([(p, p.town.weight) for p in self.places[la]])

    def person(self, la: str) -> tuple[str, str, str]:
        """(first name, surname, gender): more varied names in the city."""
        diverse = self.rng.random() < (0.3 if la == NEWCASTLE else 0.06)
        gender = Gender.FEMALE if self.rng.random() < 0.75 else Gender.MALE
        if gender == Gender.FEMALE:
            first = self.rng.choice(FIRST_FEMALE_DIVERSE if diverse else FIRST_FEMALE)
        else:
            first = self.rng.choice(FIRST_MALE_DIVERSE if diverse else FIRST_MALE)
        surname = self.rng.choice(SURNAMES_DIVERSE if diverse else SURNAMES)
        return first, surname, gender

    def unique(self, make) -> str:
        for attempt in range(50):
            name = make()
            if attempt >= 10:
                name = f"{name} {attempt - 8}"
            if slugify(name) not in self.names:
                self.names.add(slugify(name))
                return name
        raise AssertionError("could not make a unique name")

    def phone_number(self, la: str, mobile: bool = False) -> str:
        self.phone = (self.phone + 1) % 1000
        if mobile:
            return f"07700 900{self.phone:03d}"
        if la == NEWCASTLE:
            return f"0191 498 0{self.phone:03d}"
        return f"01632 960{self.phone:03d}"

    def some(self, taxonomy: str, preferred, low: int, high: int) -> list[str]:
        present = [s for s in preferred if s in self.slugs[taxonomy]]
        pool = present or self.slugs[taxonomy]
        if not pool:
            return []
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))

    # --- organisations ---

    def plan(self, listings: int) -> list[OrgPlan]:
        budgets = {a: max(1, round(share * listings)) for a, share in ARCHETYPE_SHARE.items()}
        budgets["charity_clubs"] += listings - sum(budgets.values())
        orgs = []
        for archetype, budget in budgets.items():
            left = budget
            while left > 0:
                low, high = ARCHETYPES[archetype][1]
                size = min(left, self.rng.randint(low, high))
                demo = ""
                if left == budget:  # the first of its kind: the PA and provider demo accounts
                    if archetype == "pa":
                        demo = "demo-pa"
                    elif archetype == "charity_sb" and left >= 2:
                        demo, size = "demo-provider", max(size, 2)
                orgs.append(self.organisation(archetype, size, demo))
                left -= size
        self.assign_safeguarding(orgs)
        self.assign_freshness(orgs)
        return orgs

    def organisation(self, archetype: str, size: int, demo: str) -> OrgPlan:
        kind, _, services_offered = ARCHETYPES[archetype]
        la = NORTHUMBERLAND if demo and NORTHUMBERLAND in self.places else self.pick_la()
        home = self.pick_place(la)
        rng = self.rng
        people = []
        if archetype in ("pa", "childminder"):  # named after the person

            def person_name() -> str:
                people[:] = [self.person(la)]
                first, surname, _ = people[0]
                if archetype == "pa":
                    return f"{first} {surname}, personal assistant"
                return f"{first} {surname} Childminding"

            name = self.unique(person_name)
        elif archetype == "council":
            council = COUNCIL_NAMES[la]
            name = self.unique(
                lambda: (
                    f"{council} {rng.choice(COUNCIL_SERVICES)} ({rng.choice(COUNCIL_AREAS[la])})"
                )
            )
        elif archetype == "private" and rng.random() < 0.3:
            name = self.unique(
                lambda: (
                    f"{rng.choice(SURNAMES)} and {rng.choice(SURNAMES)} "
                    f"{rng.choice(ORG_NOUNS['private'])}"
                )
            )
        else:
            words_for = list(PLACE_NAMES[la]) + [p.label for p in self.places[la]]
            name = self.unique(
                lambda: f"{rng.choice(words_for)} {rng.choice(ORG_NOUNS[archetype])}"
            )
        domain = slugify(name)[:40].strip("-") + ".example.org"
        fields = {
            "email": f"info@{domain}",
            "phone": self.phone_number(la),
            "website": f"https://{domain}/",
            "postcode": rng.choice(home.postcodes)[0],
            "insurer": rng.choice(INSURERS),
            "insurance_expiry": today()
            + datetime.timedelta(
                days=rng.randint(20, 360) if rng.random() > 0.03 else -rng.randint(5, 60)
            ),
            "council_relationship": self.relationship(kind),
        }
        if archetype == "pa":
            fields.update(email="", website="", phone=self.phone_number(la, mobile=True))
        since = rng.randint(1985, 2022)
        abouts = {
            "charity_sb": f"{name} is a local charity supporting disabled children, young "
            f"people and their families in and around {home.label} since {since}.",
            "charity_clubs": f"{name} runs clubs and activities in {home.label} where disabled "
            "and non-disabled children and young people take part together.",
            "private": f"{name} provides care and support for disabled children and young "
            f"people across {COUNCIL_NAMES[la].split(' ')[0]}.",
            "council": f"The in-house service of {COUNCIL_NAMES[la]} for disabled children, "
            "young people and their families.",
            "childminder": f"An Ofsted-registered childminder in {home.label}.",
            "pa": f"A self-employed personal assistant based in {home.label}.",
        }
        org = OrgPlan(archetype, name, kind, la, fields, abouts[archetype], demo_account=demo)
        if archetype == "childminder":
            org.fields["ofsted_urn"] = f"EY99{rng.randint(0, 9999):04d}"

        # People: the PA or childminder themself, or a manager and a small team.
        if archetype in ("pa", "childminder"):
            first, surname, _ = people[0]
            role = "Personal assistant" if archetype == "pa" else "Childminder"
            org.staff.append(self.staff(f"{first} {surname}", role))
        else:
            first, surname, _ = self.person(la)
            if demo == "demo-provider":  # the demo provider account is this manager
                account = next(a for a in ACCOUNTS if a.username == demo)
                first, surname = account.first_name, account.last_name
            org.staff.append(self.staff(f"{first} {surname}", "Service manager"))
            for _ in range(rng.randint(1, 3)):
                first, surname, _ = self.person(la)
                org.staff.append(self.staff(f"{first} {surname}", rng.choice(STAFF_ROLES)))
            if rng.random() < 0.3:
                first, surname, _ = self.person(la)
                org.staff.append(
                    self.staff(f"{first} {surname}", "Administrator", works_with_children=False)
                )

        titles: set[str] = set()
        for index in range(size):
            key = self.weighted(services_offered)
            place = home if index == 0 or rng.random() < 0.6 else self.pick_place(la)
            org.listings.append(self.listing(org, key, place, people, titles))
        if any(lp.fields.get("overnight") and lp.fields.get("at_venue") for lp in org.listings):
            org.fields.setdefault("ofsted_urn", f"SC99{rng.randint(0, 9999):04d}")
        if archetype == "private" and any(lp.fields.get("comes_to_family") for lp in org.listings):
            org.fields["cqc_location_id"] = f"1-99{rng.randint(0, 10**8 - 1):08d}"
        return org

    def relationship(self, kind: str) -> str:
        if kind == OrganisationKind.COUNCIL:
            return CouncilRelationship.BLOCK
        if kind == OrganisationKind.SELF_EMPLOYED_PA:
            return CouncilRelationship.NOT_CONTRACTED
        return self.weighted(
            [
                (CouncilRelationship.FRAMEWORK, 4),
                (CouncilRelationship.PREFERRED, 1),
                (CouncilRelationship.SPOT, 3),
                (CouncilRelationship.NOT_CONTRACTED, 3),
                (CouncilRelationship.CHOSEN_NOT_TO_CONTRACT, 0.2),
            ]
        )

    def staff(self, name: str, role: str, works_with_children: bool = True) -> StaffPlan:
        level = self.weighted(
            [
                (DBSLevel.ENHANCED_CHILDREN, 70),
                (DBSLevel.ENHANCED_BOTH, 15),
                (DBSLevel.ENHANCED, 10),
                (DBSLevel.STANDARD, 5 if not works_with_children else 0),
            ]
        )
        return StaffPlan(
            name, role, works_with_children, level=level, update_service=self.rng.random() < 0.4
        )

    # --- listings ---

    def listing(self, org: OrgPlan, key: str, place: Place, people, titles: set) -> ListingPlan:
        rng = self.rng
        agency = key == "agency_pa"
        if agency:
            key = self.weighted([("pa_general", 4), ("pa_overnight", 1), ("pa_transition", 1)])
        spec = SPECS[key]
        ages = rng.choice(spec.ages)
        postcode = rng.choice(place.postcodes)[0]
        town = place.label
        sport = rng.choice(spec.sports) if spec.sports else ""
        venue = rng.choice(spec.venues).format(town=town)
        staff_index, first, gender = None, "", ""
        if spec.kind == ListingKind.PERSONAL_ASSISTANT:
            if agency:
                first, surname, gender = self.person(org.la)
                org.staff.append(self.staff(f"{first} {surname}", "Personal assistant"))
                staff_index = len(org.staff) - 1
            else:
                first, surname, gender = people[0]
                staff_index = 0
        words_in = {
            "town": town,
            "venue": venue,
            "ages": f"{ages[0]} to {ages[1]}",
            "first": first,
            "initial": (surname[:1] if first else ""),
            "sport": sport,
            "Sport": sport.capitalize(),
        }
        if org.archetype == "childminder":
            name = org.staff[0].full_name.split(" ")[0]
            title = f"Childminding with {name}, {town}"
            summary = rng.choice(CHILDMINDER_SUMMARIES).format(**words_in)
        else:
            title = rng.choice(spec.titles).format(**words_in)
            summary = rng.choice(spec.summaries).format(**words_in)
        title = self.unique_title(title, titles)
        if len(summary) > 300:
            summary = summary[:297].rsplit(" ", 1)[0] + "…"
        paragraphs = rng.sample(spec.about, min(len(spec.about), rng.randint(1, 3)))
        if spec.kind == ListingKind.PERSONAL_ASSISTANT:
            paragraphs.insert(
                0,
                f"I have {rng.randint(2, 20)} years' experience as a {rng.choice(PA_BACKGROUNDS)}.",
            )
            if rng.random() < 0.7:
                paragraphs.append("I drive and have business insurance for taking children out.")
        description = "".join(f"<p>{p.format(**words_in)}</p>" for p in paragraphs)

        unit, low, high = spec.cost
        council = org.kind == OrganisationKind.COUNCIL
        free = rng.random() < (0.8 if council else spec.free_chance)
        capacity_unit, cap_low, cap_high = spec.capacity
        capacity = 0 if rng.random() < 0.1 else rng.randint(max(1, cap_low), max(1, cap_high))
        times = rng.choice(spec.times)
        n_days = rng.randint(*spec.n_days)
        rural = org.la == NORTHUMBERLAND
        comes = spec.comes_to_family or (key == "transition" and rng.random() < 0.3)
        fields = {
            "title": title,
            "slug": slugify(title)[:200],
            "summary": summary,
            "description": description,
            "age_min": ages[0],
            "age_max": ages[1],
            "at_venue": spec.at_venue,
            "comes_to_family": comes,
            "online": key in ("transition", "arts") and rng.random() < 0.1,
            "address_line_1": venue,
            "address_line_2": place.town.area if venue else "",
            "town": place.town.name,
            "postcode": postcode,
            "travel_radius_miles": (
                rng.choice([10, 12, 15, 20, 25, 30] if rural else [3, 4, 5, 6, 8, 10])
                if comes
                else None
            ),
            "time_from": clock(times[0]) if times else None,
            "time_to": clock(times[1]) if times else None,
            "term_time": spec.term_time,
            "school_holidays": spec.school_holidays,
            "overnight": spec.overnight,
            "cost_unit": CostUnit.FREE if free else unit,
            "cost_amount": None if free else money(rng.uniform(low, high) * (1.4 if agency else 1)),
            "cost_notes": (
                (COUNCIL_FREE_NOTE if council else FREE_NOTE) if free else rng.choice(COST_NOTES)
            ),
            "capacity_now": capacity,
            "capacity_unit": capacity_unit,
            "access_notes": rng.choice(ACCESS_NOTES) if spec.at_venue and venue else "",
            "contact_name": org.staff[staff_index or 0].full_name,
            "contact_email": (
                slugify(org.staff[staff_index or 0].full_name).replace("-", ".") + "@example.com"
                if org.archetype in ("pa", "childminder")
                else org.fields["email"]
            ),
            "contact_phone": org.fields["phone"],
            "contact_website": org.fields["website"],
        }
        languages = ["english"]
        if rng.random() < (0.3 if org.la == NEWCASTLE else 0.06):
            languages += rng.sample(LANGUAGE_CHOICES[org.la], rng.randint(1, 2))
            fields["cultural_notes"] = " ".join(rng.sample(CULTURAL_NOTES, rng.randint(1, 2)))
        if "hearing-impairment" in spec.needs and rng.random() < 0.3:
            languages.append("british-sign-language")
        served = []
        if comes:
            served = [org.la]
            if rng.random() < 0.25 and len(self.places) > 1:
                served = sorted(self.places)
        taxonomy = {
            "service_types": [s for s in spec.types if s in self.slugs["service_types"]],
            "needs": self.some("needs", spec.needs, 2, 4),
            "skills": self.some("skills", spec.skills, 1, 4) if spec.skills else [],
            "access_features": self.some("access_features", spec.access, 2, 4)
            if spec.access and spec.at_venue
            else [],
            "languages": [s for s in dict.fromkeys(languages) if s in self.slugs["languages"]],
            "funding_accepted": self.funding(spec, council, free),
            "days": sorted(rng.sample(spec.days, min(n_days, len(spec.days)))),
            "served_local_authorities": served,
        }
        model = LISTING_MODELS[spec.kind]
        if spec.kind == ListingKind.SHORT_BREAK and spec.min_booking:
            fields["min_booking_hours"] = Decimal(rng.choice(spec.min_booking))
        if spec.kind == ListingKind.PERSONAL_ASSISTANT:
            hours = rng.choice([8, 10, 12, 15, 16, 20, 25, 30])
            fields.update(
                employment=PAEmployment.AGENCY if agency else PAEmployment.SELF_EMPLOYED,
                agency_name=org.name if agency else "",
                gender=gender if rng.random() < 0.9 else Gender.UNSAID,
                hours_available_per_week=hours,
                capacity_now=min(capacity, hours),
            )
        if spec.kind == ListingKind.INCLUSIVE_CLUB:
            fields.update(
                inclusion_support=" ".join(rng.sample(INCLUSION_SUPPORT, 2)),
                extra_worker_available=rng.random() < 0.6,
            )
        return ListingPlan(model, fields, taxonomy, staff_index)

    def funding(self, spec: Spec, council: bool, free: bool) -> list[str]:
        """Ways of paying: none needed when free (unless the council arranges it); a
        personal assistant always takes direct payments."""
        routes = self.some("funding_accepted", spec.funding, 1, 3)
        if free:
            routes = ["council-arranged"] if council else []
        elif council:
            routes = ["council-arranged", *routes]
        if spec.kind == ListingKind.PERSONAL_ASSISTANT:
            routes = ["direct-payment", *routes]
        present = self.slugs["funding_accepted"]
        return [r for r in dict.fromkeys(routes) if r in present]

    @staticmethod
    def unique_title(title: str, taken: set) -> str:
        candidate, n = title, 2
        while slugify(candidate) in taken:
            candidate, n = f"{title} ({n})", n + 1
        taken.add(slugify(candidate))
        return candidate

    # --- safeguarding and freshness mix ---

    def assign_safeguarding(self, orgs: list[OrgPlan]) -> None:
        """Most checks verified; a few self-declared, due soon, lapsed (some past the grace
        period, which hides the listings), and a few people with no check recorded. Lapsed
        checks go to small providers, so a few listings (not whole large providers) are hit."""
        left = [o for o in orgs if not o.demo_account]
        self.rng.shuffle(left)
        profiles = [(p, max(1, round(share * len(left)))) for p, share in DBS_MIX.items()]
        profiles.append(("none", round(NO_DBS_SHARE * len(left))))
        for profile, count in profiles:
            small = [o for o in left if len(o.listings) <= 3]
            pool = small if profile.startswith("lapsed") and len(small) >= count else left
            chosen = pool[:count]
            for org in chosen:
                first = org.listings[0]
                if first.staff_index is not None:
                    person = org.staff[first.staff_index]
                else:
                    person = self.rng.choice([s for s in org.staff if s.works_with_children])
                person.dbs = profile
            taken = {id(o) for o in chosen}
            left = [o for o in left if id(o) not in taken]

    def assign_freshness(self, orgs: list[OrgPlan]) -> None:
        """Most listings confirmed in the last few weeks; a few stale (shown lower, with a
        warning) and a few expired (out of the directory until the provider confirms)."""
        stale_weeks, expired_weeks = (
            settings.FRESHNESS_STALE_WEEKS,
            settings.FRESHNESS_EXPIRED_WEEKS,
        )
        listings = [(o, lp) for o in orgs for lp in o.listings]
        for _, listing in listings:
            listing.assured_days_ago = self.rng.randint(0, max(0, stale_weeks * 7 - 14))
        demo = [lp for o, lp in listings if o.demo_account == "demo-provider"]
        eligible = [lp for o, lp in listings if not o.demo_account]
        self.rng.shuffle(eligible)
        stale = max(1, round(STALE_SHARE * len(listings)))
        expired = max(1, round(EXPIRED_SHARE * len(listings)))
        stale_listings = eligible[:stale] + demo[1:2]  # the demo provider has one to confirm
        for listing in stale_listings:
            listing.freshness = Freshness.STALE
            low = max(stale_weeks * 7 + 7, 14 * 7)
            high = min(expired_weeks * 7 - 7, 20 * 7)
            listing.assured_days_ago = self.rng.randint(min(low, high), max(low, high))
        for listing in eligible[stale : stale + expired]:
            listing.freshness = Freshness.EXPIRED
            listing.assured_days_ago = self.rng.randint(
                expired_weeks * 7 + 7, expired_weeks * 7 + 100
            )


# --- Writing the plan ---------------------------------------------------------------------------


@contextmanager
def index_updates_deferred():
    """Pause the per-save search and reference index updates (three saves per published page)
    while seeding; `Seeder.index` adds every new page once, in bulk, at the end."""
    models = [m for m in get_indexed_models() if getattr(m, "search_auto_update", True)]
    paused = [m for m in models if post_save.disconnect(post_save_signal_handler, sender=m)]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in paused:
            post_save.connect(post_save_signal_handler, sender=model)


def dbs_check_for(
    staff: StaffPlan, person: StaffMember, rng, submitter, verifier
) -> DBSCheck | None:
    """A fictional check whose dates give the planned badge today."""
    if staff.dbs == "none":
        return None
    now = today()
    grace = settings.DBS_LAPSE_GRACE_DAYS
    update = staff.update_service
    last_check = None
    if staff.dbs in ("verified", "self_declared"):
        issue = now - datetime.timedelta(
            days=rng.randint(5, 60) if staff.dbs == "self_declared" else rng.randint(30, 900)
        )
        if update:
            last_check = max(issue, now - datetime.timedelta(days=rng.randint(0, 300)))
        next_due = DBSCheck.default_next_due(issue, update, last_check)
    else:
        if staff.dbs == "due_soon":
            next_due = now + datetime.timedelta(
                days=rng.randint(3, max(3, settings.DBS_REMINDER_DAYS - 2))
            )
        elif staff.dbs == "lapsed_grace":
            next_due = now - datetime.timedelta(days=rng.randint(1, max(1, grace - 3)))
        else:  # lapsed_hidden
            next_due = now - datetime.timedelta(days=rng.randint(grace + 5, grace + 120))
        months = settings.DBS_UPDATE_SERVICE_CHECK_MONTHS if update else settings.DBS_RECHECK_MONTHS
        base = add_months(next_due, -months)
        if update:
            last_check = base
            issue = add_months(base, -rng.randint(12, 30))
        else:
            issue = base
    submitted = timezone.make_aware(
        datetime.datetime.combine(
            issue + datetime.timedelta(days=rng.randint(1, 4)), datetime.time(9, 30)
        )
    )
    submitted = min(submitted, timezone.now())
    verified = None
    if staff.dbs != "self_declared":
        verified = min(submitted + datetime.timedelta(days=rng.randint(1, 6)), timezone.now())
    return DBSCheck(
        person=person,
        level=staff.level,
        certificate_number=f"99{rng.randrange(10**10):010d}",
        issue_date=issue,
        update_service=update,
        last_status_check=last_check,
        next_due_date=next_due,
        submitted_by=submitter,
        submitted_at=submitted,
        verified_by=verifier if verified else None,
        verified_at=verified,
    )


def ensure_accounts(pa_name: str = "") -> tuple[dict, int]:
    """One account per role, keyed by username; the password is set only when created."""
    User = get_user_model()
    users, created = {}, 0
    for account in ACCOUNTS:
        first, last = account.first_name, account.last_name
        if account.username == "demo-pa" and pa_name:
            first, _, last = pa_name.partition(" ")
        user = User.objects.filter(username=account.username).first()
        if user is None:
            make = User.objects.create_user
            if account.username == "demo-admin":
                make = User.objects.create_superuser
            user = make(
                account.username,
                f"{account.username}@example.org",
                DEMO_PASSWORD,
                first_name=first,
                last_name=last,
            )
            created += 1
        if account.group:
            user.groups.add(Group.objects.get(name=account.group))
        users[account.username] = user
    return users, created


class Seeder:
    """Writes a plan: organisations through the services, pages published once each."""

    def __init__(self, command, *, directory, users, seed: int, total: int):
        self.command = command
        self.directory = directory
        self.users = users
        self.rng = random.Random(f"{seed}:dbs")  # noqa: S311 (demo data, not secrets)
        self.total = total
        self.done = 0
        self.started = time.monotonic()
        self.created_orgs: list[Organisation] = []
        self.skipped_orgs = 0
        self.checks: list[DBSCheck] = []
        self.assured: dict[int, list[int]] = defaultdict(list)  # days ago -> listing ids
        self.pages: dict[type, list[int]] = defaultdict(list)
        self.relations = {
            "service_types": {t.slug: t for t in ServiceType.objects.all()},
            "needs": {t.slug: t for t in Need.objects.all()},
            "skills": {t.slug: t for t in Skill.objects.all()},
            "access_features": {t.slug: t for t in AccessFeature.objects.all()},
            "languages": {t.slug: t for t in Language.objects.all()},
            "funding_accepted": {t.slug: t for t in FundingRoute.objects.all()},
            "days": {d.id: d for d in Weekday.objects.all()},
            "served_local_authorities": {la.code: la for la in LocalAuthority.objects.all()},
        }

    def apply(self, plans: list[OrgPlan]) -> None:
        existing = set(
            Organisation.objects.filter(slug__in=[p.slug for p in plans]).values_list(
                "slug", flat=True
            )
        )
        for plan in plans:
            if plan.slug in existing:
                self.skipped_orgs += 1
                continue
            self.create(plan)
        self.link_demo_accounts(plans)
        DBSCheck.objects.bulk_create(self.checks, batch_size=500)
        for organisation in self.created_orgs:
            services.organisation_refresh_safeguarding(organisation=organisation)
        self.set_assured_dates()
        self.index()

    def create(self, plan: OrgPlan) -> None:
        organisation = services.organisation_create(
            name=plan.name,
            kind=plan.kind,
            directory=self.directory,
            about=plan.about,
            **plan.fields,
        )
        self.created_orgs.append(organisation)
        parent = ProviderPage.objects.get(organisation=organisation)
        self.pages[ProviderPage].append(parent.pk)
        commissioner = self.users["demo-commissioner"]
        submitter = self.users.get(plan.demo_account, commissioner)
        staff = []
        for person_plan in plan.staff:
            person = StaffMember.objects.create(
                organisation=organisation,
                full_name=person_plan.full_name,
                role=person_plan.role,
                works_with_children=person_plan.works_with_children,
            )
            staff.append(person)
            check = dbs_check_for(person_plan, person, self.rng, submitter, commissioner)
            if check is not None:
                self.checks.append(check)
        for listing in plan.listings:
            relations = {
                name: [self.relations[name][key] for key in keys if key in self.relations[name]]
                for name, keys in listing.taxonomy.items()
            }
            fields = dict(listing.fields)
            if listing.staff_index is not None:
                fields["staff_member"] = staff[listing.staff_index]
            page = listing.model(live=False, organisation=organisation, **fields)
            parent.add_child(instance=page)  # full_clean: the gazetteer sets the coordinates
            # Relations go into the revision and are written once, when it is published.
            for name, values in relations.items():
                setattr(page, name, values)
            page.save_revision(clean=False).publish()
            self.pages[listing.model].append(page.pk)
            self.assured[listing.assured_days_ago].append(page.pk)
            self.progress()

    def progress(self) -> None:
        self.done += 1
        step = max(10, self.total // 10)
        if self.done % step == 0 or self.done == self.total:
            self.command.stdout.write(
                f"  {self.done:,}/{self.total:,} listings ({time.monotonic() - self.started:.0f}s)"
            )

    def link_demo_accounts(self, plans: list[OrgPlan]) -> None:
        """The provider account edits its organisation's listings; the PA account is the PA."""
        for plan in plans:
            if not plan.demo_account:
                continue
            user = self.users[plan.demo_account]
            organisation = Organisation.objects.filter(slug=plan.slug).first()
            if organisation is None or organisation.editors is None:
                continue
            services.organisation_add_editor(organisation=organisation, user=user)
            person = organisation.staff.filter(full_name=plan.staff[0].full_name).first()
            if person and person.user_id is None:
                person.user = user
                person.save(update_fields=["user"])

    def set_assured_dates(self) -> None:
        """As if each listing was last confirmed some days ago (a few weeks or months)."""
        now = timezone.now()
        for days_ago, ids in self.assured.items():
            when = now - datetime.timedelta(days=days_ago)
            ListingStatus.objects.filter(listing_id__in=ids).update(
                assured_date=today() - datetime.timedelta(days=days_ago)
            )
            Page.objects.filter(pk__in=ids).update(
                first_published_at=when, last_published_at=when, latest_revision_created_at=when
            )

    def index(self) -> None:
        """Add the new pages to the search index and the reference index, once each."""
        backends = list(get_search_backends(with_auto_update=True))
        for model, ids in self.pages.items():
            for start in range(0, len(ids), 500):
                pages = list(model.objects.filter(pk__in=ids[start : start + 500]))
                for backend in backends:
                    backend.add_bulk(model, pages)
                for page in pages:
                    ReferenceIndex.create_or_update_for_object(page)


def taxonomy_slugs() -> dict[str, list[str]]:
    return {
        "service_types": list(ServiceType.objects.values_list("slug", flat=True)),
        "needs": list(Need.objects.values_list("slug", flat=True)),
        "skills": list(Skill.objects.values_list("slug", flat=True)),
        "access_features": list(AccessFeature.objects.values_list("slug", flat=True)),
        "languages": list(Language.objects.values_list("slug", flat=True)),
        "funding_accepted": list(FundingRoute.objects.values_list("slug", flat=True)),
    }


class Command(BaseCommand):
    help = (
        "Load realistic demo data for Northumberland and Newcastle (real postcodes, invented "
        "providers) and a login for every role. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data")
        parser.add_argument(
            "--listings",
            type=int,
            default=DEFAULT_LISTINGS,
            help=f"How many listings (default {DEFAULT_LISTINGS}); organisations scale with it",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the demo logins) if there are listings already",
        )

    def handle(self, *args, seed=1, listings=DEFAULT_LISTINGS, if_empty=False, **options):
        started = time.monotonic()
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError(
                "seed_demo creates accounts with a published password: never in production"
            )
        if listings < MIN_LISTINGS:
            raise CommandError(f"--listings must be at least {MIN_LISTINGS}")
        directory = ensure_site()
        existing = ListingPage.objects.count()
        if if_empty and existing:
            self.stdout.write(f"Demo data not loaded: there are {existing:,} listings already.")
            self.print_logins()
            return

        places = load_places()
        rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
        plans = Planner(rng, places, taxonomy_slugs()).plan(listings)
        pa_plan = next((p for p in plans if p.demo_account == "demo-pa"), None)
        towns = sorted({p.town.name for towns in places.values() for p in towns})
        self.stdout.write(
            f"Seeding demo data (seed {seed}): {listings:,} listings from {len(plans):,} "
            f"organisations in {len(towns)} towns and cities."
        )
        with transaction.atomic(), index_updates_deferred():
            users, accounts_created = ensure_accounts(pa_plan.staff[0].full_name if pa_plan else "")
            seeder = Seeder(self, directory=directory, users=users, seed=seed, total=listings)
            seeder.apply(plans)
            seed_kitemark_demo(users=users)  # audits in several states, two or more awarded
            seed_brokerage_demo(users=users)  # requests queued and with offers; a broker ready

        self.print_summary(seeder, accounts_created, time.monotonic() - started)
        self.print_logins()

    def print_summary(self, seeder: Seeder, accounts_created: int, seconds: float) -> None:
        created = sum(len(ids) for model, ids in seeder.pages.items() if model is not ProviderPage)
        if not seeder.created_orgs:
            self.stdout.write("The demo data was already loaded: nothing new was created.")
        kinds = Counter(ListingPage.objects.values_list("kind", flat=True))
        on = today()
        freshness, dbs, hidden_dbs, in_directory = Counter(), Counter(), 0, 0
        for status in ListingStatus.objects.filter(listing__live=True):
            freshness[status.freshness(on)] += 1
            dbs[status.dbs_status] += 1
            hidden_dbs += status.dbs_hidden(on)
            in_directory += status.in_directory(on)
        label = dict(ListingKind.choices)
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Created {len(seeder.created_orgs):,} organisations ({seeder.skipped_orgs:,} "
                f"already there), {created:,} listings, {len(seeder.checks):,} DBS checks and "
                f"{accounts_created} accounts in {seconds:.1f}s."
            )
        )
        write(
            "Listings: "
            + ", ".join(f"{label[kind].lower()} {kinds.get(kind, 0):,}" for kind in label)
            + f" ({sum(kinds.values()):,} in all)."
        )
        write(
            f"In the directory: {in_directory:,}. Hidden: {hidden_dbs:,} with a DBS check lapsed "
            f"past the {settings.DBS_LAPSE_GRACE_DAYS}-day grace period, "
            f"{freshness[Freshness.EXPIRED]:,} not confirmed for "
            f"{settings.FRESHNESS_EXPIRED_WEEKS} weeks. Stale (ranked lower): "
            f"{freshness[Freshness.STALE]:,}."
        )
        write(
            "DBS badges: "
            + ", ".join(f"{status.replace('_', ' ')} {n:,}" for status, n in sorted(dbs.items()))
            + "."
        )

    def print_logins(self) -> None:
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        write = self.stdout.write
        write(f"\nDemo logins (every password is {DEMO_PASSWORD}):")
        write(f"  {'Role':<38} {'Username':<19} Signs in at")
        for account in ACCOUNTS:
            where = f"{base}/admin/" if account.where == "admin" else f"{base}/ (public site)"
            write(f"  {account.role:<38} {account.username:<19} {where}")
        write(
            "  Phone numbers are from Ofcom's drama ranges and emails use example.org and "
            "example.com: nothing reaches a real person."
        )
