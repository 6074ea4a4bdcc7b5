"""Fixtures every test may use.

The test database is created once per worker with the reference data from migrations and the
postcode gazetteer for the NE postcode area (Newcastle and most of Northumberland), so listings
in tests resolve real postcodes offline, as they do in production.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from osmem_server import OsmemServer

from core.roles import BROKERS, COUNCIL_MODERATORS, KITEMARK_COORDINATORS
from directory import services
from directory.choices import OrganisationKind
from search.indexing import drop_index
from tests.helpers import PASSWORD, make_user, pass_second_factor

TEST_GAZETTEER_AREAS = ["NE"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_gazetteer", areas=TEST_GAZETTEER_AREAS, verbosity=0)


@pytest.fixture(autouse=True)
def no_tries_left_over():
    """Every test starts with no tries counted against the public forms (core/throttle.py):
    the test client always comes from the same address."""
    from django.core.cache import caches

    caches["throttle"].clear()


@pytest.fixture(autouse=True)
def second_factor_with_test_sign_in(request, monkeypatch):
    """Staff sign in to the admin with a password and a second factor. A test that signs
    someone in with the test client (`force_login`, `login`) skips the sign-in pages, so it
    skips the second step too: the session is verified with the person's authenticator app
    (set up for them if their role requires one). Tests of the second step itself are marked
    `password_only` and get a session that stops after the password."""
    if request.node.get_closest_marker("password_only"):
        return
    force_login, login = Client.force_login, Client.login

    def force_login_with_second_factor(client, user, backend=None):
        force_login(client, user, backend)
        pass_second_factor(client, user)

    def login_with_second_factor(client, **credentials):
        signed_in = login(client, **credentials)
        if signed_in:
            pass_second_factor(
                client, get_user_model().objects.get(pk=client.session["_auth_user_id"])
            )
        return signed_in

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)
    monkeypatch.setattr(Client, "login", login_with_second_factor)


# The search engine for tests: osmem-server (the OpenSearch REST API, in memory), started once
# per session on a free local port, only by the tests that ask for it; each xdist worker gets
# its own index prefix.


@pytest.fixture(scope="session")
def engine_server():
    server = OsmemServer.start(freeze=False, japanese=False)
    yield server
    server.close()


@pytest.fixture
def engine_settings(request, engine_server):
    """Point the engine backend at the session's server, with an index per test worker. The
    server is shared by every test: one test's failed search must not make the next ones skip
    it (RETRY_AFTER 0), and a busy test machine must not count as a slow engine (BUDGET)."""
    worker = getattr(request.config, "workerinput", {}).get("workerid", "master")
    engine = {"KIND": "opensearch", "URL": engine_server.url, "TIMEOUT": 10}
    with override_settings(
        SEARCH_ENGINE={**engine, "BUDGET": 10, "RETRY_AFTER": 0},
        SEARCH_INDEX_PREFIX=f"test-{worker}-",
    ):
        yield engine_server
        drop_index()


@pytest.fixture
def directory(db):
    """The home page, the directory index and the council moderation workflow."""
    from home.site_setup import ensure_site

    return ensure_site()


@pytest.fixture
def moderator(db):
    return make_user("moderator", COUNCIL_MODERATORS, first_name="Morag")


@pytest.fixture
def broker(db):
    return make_user("broker", BROKERS)


@pytest.fixture
def coordinator(db):
    return make_user("coordinator", KITEMARK_COORDINATORS)


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)


# Two providers, each with an editor, so tests can show that neither sees the other's work.


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
    from core.roles import FAMILIES

    return make_user("family", FAMILIES)


@pytest.fixture
def young_auditor(db):
    from core.roles import YOUNG_AUDITORS

    return make_user("auditor", YOUNG_AUDITORS)
