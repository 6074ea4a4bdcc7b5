"""Two providers, each with an editor, so tests can show that neither sees the other's work."""

import pytest

from directory import services
from directory.choices import OrganisationKind
from tests.conftest import make_user


@pytest.fixture
def org_a(directory):
    return services.organisation_create(
        name="Tynedale Short Breaks", kind=OrganisationKind.CHARITY, email="hello@tynedale.example"
    )


@pytest.fixture
def org_b(directory):
    return services.organisation_create(
        name="Coquet Valley Care", kind=OrganisationKind.PRIVATE, email="office@coquet.example"
    )


@pytest.fixture
def provider_a(org_a):
    user = make_user("provider-a", first_name="Aisha")
    services.organisation_add_editor(organisation=org_a, user=user)
    return user


@pytest.fixture
def provider_b(org_b):
    user = make_user("provider-b", first_name="Ben")
    services.organisation_add_editor(organisation=org_b, user=user)
    return user


@pytest.fixture
def family(db):
    from directory.roles import FAMILIES

    return make_user("family", FAMILIES)


@pytest.fixture
def young_auditor(db):
    from directory.roles import YOUNG_AUDITORS

    return make_user("auditor", YOUNG_AUDITORS)
