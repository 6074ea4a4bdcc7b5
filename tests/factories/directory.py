"""Factories for tests: providers, their people and checks, and published listings.

They take the same paths the product does, so what they build looks like real data:

- `OrganisationFactory` goes through `services.organisation_create`, so every organisation has
  its editors' group, its `ProviderPage` below the directory and its page permissions.
- Listing factories add the page below the organisation's provider page, save a revision and
  publish it (unless `live=False`, which leaves a draft). Saving a page runs `full_clean`, so
  `ListingPage.clean` looks the postcode up in the gazetteer and sets the coordinates, district
  and council, and the signals create the `ListingStatus` row and set its assured date.
- `DBSCheckFactory` validates the check and refreshes the organisation's badges, as
  `services.dbs_check_submit` / `dbs_check_verify` do (without sending anything).

Postcodes are never invented: they are taken from the loaded gazetteer (tests load the NE
area, see tests/conftest.py). Needs factory_boy, a development requirement, so this lives
with the tests: production code (and the demo data) never imports it.
"""

import datetime
from decimal import Decimal

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from core.dates import add_months, today
from directory import services
from directory.choices import (
    CapacityUnit,
    CostUnit,
    CouncilRelationship,
    DBSLevel,
    Gender,
    OrganisationKind,
    PAEmployment,
)
from directory.models import (
    AccessFeature,
    DBSCheck,
    DirectoryIndexPage,
    FundingRoute,
    InclusiveClubPage,
    Language,
    Need,
    Organisation,
    PersonalAssistantPage,
    ServiceType,
    ShortBreakServicePage,
    Skill,
    StaffMember,
    Weekday,
)
from gazetteer.models import Postcode

TEST_PASSWORD = "correct horse battery staple"
NORTHUMBERLAND = "E06000057"
NEWCASTLE = "E08000021"


# --- Helpers ----------------------------------------------------------------------------------


def gazetteer_postcode(n: int = 0, outcode: str = "NE46") -> str:
    """A real postcode from the loaded gazetteer: the n-th (wrapping round the first 50) in
    `outcode`, else any in Northumberland, else any at all."""
    candidates = (
        Postcode.objects.filter(outcode=outcode),
        Postcode.objects.filter(local_authority_code=NORTHUMBERLAND),
        Postcode.objects.filter(local_authority_code__startswith="E"),
    )
    for rows in candidates:
        rows = rows.order_by("postcode").values_list("postcode", flat=True)
        offset = n % 50
        found = list(rows[offset : offset + 1]) or list(rows[:1])
        if found:
            return found[0]
    raise RuntimeError(
        "The postcode gazetteer is empty: run manage.py load_gazetteer (tests load the NE area)"
    )


def taxonomy(model, *slugs: str) -> list:
    """Seeded taxonomy rows (directory.0002) by slug, in the order given."""
    rows = {row.slug: row for row in model.objects.filter(slug__in=slugs)}
    return [rows[slug] for slug in slugs if slug in rows]


def weekdays(*numbers: int) -> list:
    return list(Weekday.objects.filter(id__in=numbers))


# --- People and organisations -----------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    """An account; `groups=["Families"]` (names or Group objects) adds it to role groups."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for group in extracted:
            if isinstance(group, str):
                group = Group.objects.get(name=group)
            self.groups.add(group)


class OrganisationFactory(DjangoModelFactory):
    """A provider created as the product creates one (`services.organisation_create`): with its
    editors' group, its provider page below the directory, and add/change page permissions."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Tynedale Family Support {n}")
    kind = OrganisationKind.CHARITY
    council_relationship = CouncilRelationship.FRAMEWORK
    email = factory.LazyAttribute(lambda o: f"hello@{slugify(o.name)}.example.org")
    phone = factory.Sequence(lambda n: f"0191 498 0{n % 1000:03d}")  # Ofcom drama range
    postcode = factory.Sequence(lambda n: gazetteer_postcode(n))
    insurer = "Example Mutual Insurance (fictional)"
    insurance_expiry = factory.LazyFunction(lambda: today() + datetime.timedelta(days=200))
    about = "A local provider of short breaks for disabled children and young people."
    directory = None

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        kwargs.pop("directory", None)
        kwargs.pop("about", None)
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, directory=None, **kwargs):
        kwargs.pop("slug", None)  # the service makes a unique slug from the name
        if directory is None:
            directory = DirectoryIndexPage.objects.first()
        if directory is None:
            from home.site_setup import ensure_site

            directory = ensure_site()
        return services.organisation_create(directory=directory, **kwargs)


class StaffMemberFactory(DjangoModelFactory):
    class Meta:
        model = StaffMember

    organisation = factory.SubFactory(OrganisationFactory)
    full_name = factory.Faker("name", locale="en_GB")
    role = "Support worker"
    works_with_children = True


class DBSCheckFactory(DjangoModelFactory):
    """A valid DBS check, verified by default (`verified=False` leaves it self-declared).

    Traits set the dates: `due_soon` (renewal due within the reminder window), `lapsed`
    (past its due date and past the grace period: the listing leaves the directory) and
    `lapsed_recently` (past due, still within the grace period). After saving, the
    organisation's listing badges are refreshed, as the services do (`refresh=False` skips)."""

    class Meta:
        model = DBSCheck

    class Params:
        verified = True
        due_soon = factory.Trait(
            issue_date=factory.LazyFunction(lambda: add_months(today(), -35)),
            next_due_date=factory.LazyFunction(lambda: today() + datetime.timedelta(days=10)),
        )
        lapsed = factory.Trait(
            issue_date=factory.LazyFunction(lambda: add_months(today(), -38)),
            next_due_date=factory.LazyFunction(lambda: today() - datetime.timedelta(days=60)),
        )
        lapsed_recently = factory.Trait(
            issue_date=factory.LazyFunction(lambda: add_months(today(), -36)),
            next_due_date=factory.LazyFunction(lambda: today() - datetime.timedelta(days=3)),
        )

    person = factory.SubFactory(StaffMemberFactory)
    level = DBSLevel.ENHANCED_CHILDREN
    certificate_number = factory.Sequence(lambda n: f"{1000000000 + n:012d}")
    issue_date = factory.LazyFunction(lambda: today() - datetime.timedelta(days=180))
    update_service = False
    last_status_check = None
    next_due_date = factory.LazyAttribute(
        lambda o: DBSCheck.default_next_due(o.issue_date, o.update_service, o.last_status_check)
    )
    submitted_by = factory.SubFactory(UserFactory)
    verified_at = factory.Maybe(
        "verified",
        yes_declaration=factory.LazyAttribute(
            lambda o: max(
                timezone.now() - datetime.timedelta(days=7),
                timezone.make_aware(datetime.datetime.combine(o.issue_date, datetime.time(10, 0))),
            )
        ),
        no_declaration=None,
    )
    review = factory.Maybe("verified", yes_declaration="verified", no_declaration="submitted")
    verified_by = None
    refresh = True  # not a field: refresh the organisation's badges after saving

    @classmethod
    def _build(cls, model_class, *args, refresh=True, **kwargs):
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, refresh=True, **kwargs):
        check = model_class(*args, **kwargs)
        check.full_clean()
        check.save()
        if refresh:
            services.organisation_refresh_safeguarding(organisation=check.person.organisation)
        return check


# --- Listings ---------------------------------------------------------------------------------


class ListingPageFactory(wagtail_factories.PageFactory):
    """Adds the listing below its organisation's provider page and publishes it.

    `live=False` leaves it as a draft with one revision, as a provider's unmoderated page."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    parent = None  # default: the organisation's provider page
    live = True
    organisation = factory.SubFactory(OrganisationFactory)

    @classmethod
    def _build(cls, model_class, *args, parent=None, **kwargs):
        return model_class(*args, **kwargs)

    @classmethod
    def _create(cls, model_class, *args, parent=None, live=True, **kwargs):
        parent = parent or kwargs["organisation"].provider_page
        page = model_class(*args, live=False, **kwargs)
        parent.add_child(instance=page)  # saves, so full_clean geocodes the postcode
        revision = page.save_revision()
        if live:
            revision.publish()
        return model_class.objects.get(pk=page.pk)


class ShortBreakServicePageFactory(ListingPageFactory):
    class Meta:
        model = ShortBreakServicePage

    title = factory.Sequence(lambda n: f"Saturday short breaks club {n}")
    summary = (
        "A Saturday club in Hexham for disabled children aged 5 to 18, with games, crafts "
        "and trips, so parents and carers get a break."
    )
    description = (
        "<p>Children spend the day with our trained staff. We can give medicines and "
        "personal care. Parents can visit before their child starts.</p>"
    )
    service_types = factory.LazyFunction(lambda: taxonomy(ServiceType, "day-care"))
    needs = factory.LazyFunction(lambda: taxonomy(Need, "autism", "learning-disability"))
    skills = factory.LazyFunction(lambda: taxonomy(Skill, "personal-care", "makaton"))
    access_features = factory.LazyFunction(
        lambda: taxonomy(AccessFeature, "step-free-access", "accessible-toilet")
    )
    languages = factory.LazyFunction(lambda: taxonomy(Language, "english"))
    funding_accepted = factory.LazyFunction(
        lambda: taxonomy(FundingRoute, "direct-payment", "personal-budget")
    )
    days = factory.LazyFunction(lambda: weekdays(6))
    age_min = 5
    age_max = 18
    at_venue = True
    address_line_1 = "Community Centre"
    town = "Hexham"
    postcode = factory.Sequence(lambda n: gazetteer_postcode(n, "NE46"))
    time_from = datetime.time(10, 0)
    time_to = datetime.time(15, 0)
    cost_amount = Decimal("45.00")
    cost_unit = CostUnit.DAY
    capacity_now = 4
    capacity_unit = CapacityUnit.PLACES
    contact_name = "Alex Charlton"
    contact_email = "saturday.club@example.org"
    contact_phone = "0191 498 0123"
    min_booking_hours = Decimal("5.0")


class PersonalAssistantPageFactory(ListingPageFactory):
    """A self-employed PA: their own organisation, their own staff record (whose DBS check is
    the listing's badge). `dbs=True` (or `dbs__verified=False`, `dbs__lapsed=True`...) adds a
    DBS check for them."""

    class Meta:
        model = PersonalAssistantPage

    organisation = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.SELF_EMPLOYED_PA,
        name=factory.Sequence(lambda n: f"Sam Robson {n} (personal assistant)"),
        council_relationship=CouncilRelationship.NOT_CONTRACTED,
    )
    staff_member = factory.SubFactory(
        StaffMemberFactory,
        organisation=factory.SelfAttribute("..organisation"),
        role="Personal assistant",
    )
    title = factory.Sequence(lambda n: f"Sam R., personal assistant {n}")
    summary = (
        "I support disabled children and young people at home and out in the community "
        "around Hexham, after school and at weekends."
    )
    description = "<p>I have five years' experience and am trained in epilepsy care.</p>"
    service_types = factory.LazyFunction(
        lambda: taxonomy(ServiceType, "support-at-home", "support-to-go-out")
    )
    needs = factory.LazyFunction(lambda: taxonomy(Need, "autism", "complex-health-needs"))
    skills = factory.LazyFunction(
        lambda: taxonomy(Skill, "epilepsy-rescue-medication", "personal-care")
    )
    languages = factory.LazyFunction(lambda: taxonomy(Language, "english"))
    funding_accepted = factory.LazyFunction(
        lambda: taxonomy(FundingRoute, "direct-payment", "self-funded")
    )
    days = factory.LazyFunction(lambda: weekdays(1, 2, 3, 4, 5, 6))
    age_min = 5
    age_max = 25
    at_venue = False
    comes_to_family = True
    travel_radius_miles = 15
    town = "Hexham"
    postcode = factory.Sequence(lambda n: gazetteer_postcode(n, "NE46"))
    cost_amount = Decimal("15.50")
    cost_unit = CostUnit.HOUR
    capacity_now = 10
    capacity_unit = CapacityUnit.HOURS
    employment = PAEmployment.SELF_EMPLOYED
    gender = Gender.FEMALE
    hours_available_per_week = 20
    contact_email = "sam.pa@example.com"
    contact_phone = "07700 900123"

    @factory.post_generation
    def dbs(self, create, extracted, **kwargs):
        if not create or not (extracted or kwargs):
            return
        overrides = extracted if isinstance(extracted, dict) else {}
        DBSCheckFactory(person=self.staff_member, **{**overrides, **kwargs})


class InclusiveClubPageFactory(ListingPageFactory):
    class Meta:
        model = InclusiveClubPage

    title = factory.Sequence(lambda n: f"Friday youth club {n}")
    summary = "A youth club where disabled and non-disabled young people aged 11 to 18 meet."
    description = "<p>Pool, music, cooking and trips. Come along for a taster session.</p>"
    service_types = factory.LazyFunction(lambda: taxonomy(ServiceType, "youth-club"))
    needs = factory.LazyFunction(lambda: taxonomy(Need, "autism", "adhd"))
    access_features = factory.LazyFunction(
        lambda: taxonomy(AccessFeature, "quiet-room", "accessible-toilet")
    )
    languages = factory.LazyFunction(lambda: taxonomy(Language, "english"))
    funding_accepted = factory.LazyFunction(lambda: taxonomy(FundingRoute, "self-funded"))
    days = factory.LazyFunction(lambda: weekdays(5))
    age_min = 11
    age_max = 18
    at_venue = True
    address_line_1 = "Youth Centre"
    town = "Morpeth"
    postcode = factory.Sequence(lambda n: gazetteer_postcode(n, "NE61"))
    time_from = datetime.time(18, 30)
    time_to = datetime.time(20, 30)
    cost_amount = Decimal("2.00")
    cost_unit = CostUnit.SESSION
    capacity_now = 6
    capacity_unit = CapacityUnit.PLACES
    inclusion_support = "An extra 1:1 worker on request, and a quiet room to take a break."
    extra_worker_available = True
    contact_email = "youth.club@example.org"
    contact_phone = "0191 498 0456"
