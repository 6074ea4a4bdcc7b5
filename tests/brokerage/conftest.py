"""Brokerage fixtures: brokers ready to work in Northumberland, a family's request, and
listings near the family (NE46, Hexham) built by the directory's factories."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from brokerage import services
from brokerage.choices import Requester, SupportKind
from brokerage.places import sector_place
from core.roles import BROKERS, COUNCIL_MODERATORS
from directory.models import FundingRoute, Need
from directory.services import organisation_add_editor
from gazetteer.models import LocalAuthority
from tests.factories.directory import (
    NORTHUMBERLAND,
    PersonalAssistantPageFactory,
    taxonomy,
    weekdays,
)
from tests.helpers import make_user

FAMILY_POSTCODE = "NE46 3NR"


@pytest.fixture
def northumberland(db):
    area, _ = LocalAuthority.objects.get_or_create(
        code=NORTHUMBERLAND, defaults={"name": "Northumberland"}
    )
    return area


def council_granter():
    """The member of council staff who grants brokers their areas in these tests."""
    granter = get_user_model().objects.filter(username="area-granter").first()
    return granter or make_user("area-granter", COUNCIL_MODERATORS, first_name="Grace")


def grant_areas(broker, *areas):
    """Council staff grant the broker these council areas."""
    services.broker_areas_grant(user=council_granter(), broker=broker, areas=areas)


def ready_broker(user, area):
    services.code_of_conduct_accept(user=user)
    grant_areas(user, area)
    return user


@pytest.fixture
def broker_ready(broker, northumberland):
    return ready_broker(broker, northumberland)


@pytest.fixture
def other_broker(northumberland):
    return ready_broker(make_user("broker-2", BROKERS, first_name="Bea"), northumberland)


def answers(**overrides) -> dict:
    place = sector_place(overrides.pop("postcode", FAMILY_POSTCODE))
    values = {
        "requester": Requester.PARENT_CARER,
        "child_first_name": "Amir",
        "age": 12,
        "needs": taxonomy(Need, "autism"),
        "support_kinds": [SupportKind.PA, SupportKind.AT_HOME],
        "days": weekdays(6),
        "hours_per_week": Decimal("6"),
        "postcode_sector": place.postcode_sector,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "local_authority_code": place.local_authority_code,
        "rural": place.rural,
        "travel_miles": 10,
        "funding": FundingRoute.objects.get(slug="direct-payment"),
        "hourly_budget": Decimal("18.00"),
        "contact_name": "Leila Khan",
        "contact_phone": "07700 900456",
        "consent_to_share": True,
    }
    values.update(overrides)
    return values


def make_request(family, *, submit=True, **overrides):
    draft = services.draft_create(user=family)
    draft = services.draft_save(user=family, request=draft, values=answers(**overrides))
    if submit:
        draft = services.request_submit(user=family, request=draft)
    return draft


@pytest.fixture
def listing(db, directory):
    return PersonalAssistantPageFactory(dbs=True, title="Sam, PA in Hexham")


@pytest.fixture
def pa_editor(listing):
    user = make_user("pa-editor", first_name="Sam")
    organisation_add_editor(organisation=listing.organisation, user=user)
    return user


@pytest.fixture
def submitted(family, northumberland):
    return make_request(family)


@pytest.fixture
def assigned(submitted, broker_ready):
    return services.request_assign(user=broker_ready, request=submitted)


def tomorrow():
    from core.dates import today

    return today() + datetime.timedelta(days=1)


def accept(offer, editor, hours="6", rate="15"):
    """The provider says yes: `hours` a week at `rate` pounds an hour, from tomorrow."""
    return services.offer_accept(
        user=editor,
        offer=offer,
        proposed_hours=Decimal(hours),
        rate=Decimal(rate),
        start_date=tomorrow(),
    )


def write_up(request, *, broker, family, hours="6"):
    """The broker writes up the agreement on the offer the family chose (at 15 pounds an hour,
    from tomorrow), and the family confirms it; the provider has not yet."""
    agreement = services.agreement_draft(
        user=broker,
        request=request,
        hours_per_week=Decimal(hours),
        rate=Decimal("15"),
        funding=request.funding,
        start_date=tomorrow(),
    )
    services.agreement_confirm(user=family, agreement=agreement)
    return agreement


@pytest.fixture
def make_family(db):
    from core.roles import FAMILIES

    def make(username):
        return make_user(username, FAMILIES)

    return make
