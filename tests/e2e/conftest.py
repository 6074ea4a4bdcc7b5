"""End-to-end fixtures: a real Chromium driven by Playwright against pytest-django's live server.

Browser tests run on Debian's Chromium (`/usr/bin/chromium`, or `CHROMIUM_PATH`), never on a
browser downloaded by `playwright install`. When the browser or Playwright is missing they
skip with a message saying what is missing, unless `REQUIRE_BROWSER_TESTS=1` (set by CI):
then they fail, so they can never silently skip where they must run.

The live server runs in a thread of the test process. Its tests are transactional: tables are
flushed after each test, so every test here uses `serialized_rollback` (the migrated reference
data: taxonomies, groups, Wagtail's root page and locale, is restored before each test) and the
`site` fixture below recreates the rest (the few gazetteer postcodes the listings use, the home
page, the directory and the moderation workflow).
"""

import os
import re
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 15_000

# Postcodes the test listings use, as the gazetteer has them (ONS, Open Government Licence).
POSTCODES = [
    ("NE46 3NR", 54.972723, -2.102479, "E06000057"),
    ("NE46 1AA", 54.969533, -2.102783, "E06000057"),
    ("NE1 4ST", 54.975219, -1.622324, "E08000021"),
    ("NE1 8QH", 54.978417, -1.610576, "E08000021"),
]
LOCAL_AUTHORITIES = [("E06000057", "Northumberland"), ("E08000021", "Newcastle upon Tyne")]

# A 1x1 transparent PNG: map tiles are answered locally, so tests never touch the network.
TRANSPARENT_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Every test in tests/e2e is an `e2e` test on a transactional database whose migrated
    data is restored before each test. Runs before pytest-django orders the tests (it puts
    transactional tests last, so their table flushes never affect the other tests)."""
    for item in items:
        if E2E_DIR not in Path(str(item.fspath)).resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- The browser -------------------------------------------------------------------------------


def browser_missing(reason: str):
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        pytest.fail(
            f"{reason}. Browser tests are required here (REQUIRE_BROWSER_TESTS=1).", pytrace=False
        )
    pytest.skip(f"{reason}; browser and accessibility tests skipped")


def playwright_expect():
    """Playwright's `expect`, for the test modules to import at collection time."""
    try:
        from playwright.sync_api import expect
    except ImportError:
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            raise
        pytest.skip(
            "Playwright is not installed (pip install -r requirements-dev.txt); "
            "browser and accessibility tests skipped",
            allow_module_level=True,
        )
    # Assertions wait as long as actions do (Playwright's own default for them is 5 s, which a
    # busy 2-core machine can miss on a page that counts figures as it is made).
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    return expect


@pytest.fixture(scope="module")
def browser(request):
    """Chromium, for one test module at a time (see below for why not for the session)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_missing("Playwright is not installed (pip install -r requirements-dev.txt)")
    if not os.access(CHROMIUM, os.X_OK):
        browser_missing(
            f"Chromium was not found at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
        )
    request.getfixturevalue("django_db_setup")  # the test database exists before the loop runs
    from django.db import connections

    # Playwright's sync API leaves an asyncio event loop "running" in this thread while it is
    # open. Two things follow:
    # - Django refuses ORM calls from a thread with a running loop. Test code and Playwright
    #   take turns (the loop never runs while the ORM does), so that check is switched off,
    #   only while the browser is open: the module scope keeps it away from other tests.
    # - Django's connections are asgiref thread-critical locals: with a loop running, this
    #   thread sees new connection objects (to the same test database). The copy of the
    #   migrated data kept for `serialized_rollback` lives on the old ones: hand it over.
    serialized = {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            for alias, contents in serialized.items():
                connections[alias]._test_serialized_contents = contents
            try:
                chromium = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
                )
            except Exception as error:  # a broken install is "missing" too
                browser_missing(f"Chromium at {CHROMIUM} did not start: {error}")
            try:
                yield chromium
            finally:
                chromium.close()
                connections.close_all()  # the connections this loop's context opened
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class BrowserProblems:
    """What went wrong in the browser while a test ran: console errors (including CSP
    violations, which the browser and our `securitypolicyviolation` listener both report
    there), uncaught exceptions and failed requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        return self.console_errors + self.page_errors + self.failed_requests


def is_local(url: str, base_url: str) -> bool:
    return url.startswith((base_url, "data:", "blob:", "about:"))


# Browser contexts opened with JavaScript turned off (run_axe injects axe-core differently).
WITHOUT_JAVASCRIPT = weakref.WeakSet()


def new_context(browser, base_url: str, *, javascript: bool = True):
    context = browser.new_context(
        base_url=base_url,
        java_script_enabled=javascript,
        locale="en-GB",
        timezone_id="Europe/London",
    )
    if not javascript:
        WITHOUT_JAVASCRIPT.add(context)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)

    def outside(route):
        # Map tiles get a blank image; anything else off-site is refused (and so reported).
        if re.search(r"tile\.openstreetmap\.org/", route.request.url):
            route.fulfill(status=200, content_type="image/png", body=TRANSPARENT_PNG)
        else:
            route.abort()

    context.route(lambda url: not is_local(url, base_url), outside)
    # Same-origin URL for axe-core, so injecting it obeys the site's script-src 'self'.
    context.route(
        f"{base_url}/__e2e__/axe.min.js",
        lambda route: route.fulfill(path=str(AXE_JS), content_type="text/javascript"),
    )
    return context


def watch(page, problems: BrowserProblems):
    page.on(
        "console",
        lambda msg: (
            problems.console_errors.append(f"console {msg.type}: {msg.text} ({msg.location})")
            if msg.type in ("error", "assert")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.page_errors.append(f"uncaught: {error}"))
    page.on(
        "requestfailed",
        lambda request: problems.failed_requests.append(
            f"request failed: {request.method} {request.url} ({request.failure})"
        ),
    )
    # A listener for CSP violations, added by the browser itself (not subject to the CSP).
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => console.error("
        "'CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')"
        " + ' at ' + e.sourceFile + ':' + e.lineNumber));"
    )


def close_context(context):
    """Leave every page first, so requests sent as a page goes (Wagtail's editing-session
    beacon) reach the server while the test's database is still there."""
    for tab in context.pages:
        try:
            tab.goto("about:blank", timeout=5_000)
        except Exception:  # a page that cannot navigate away is closed anyway
            pass
    context.close()


def save_failure_screenshot(request, page, tmp_path):
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not page.is_closed():
        path = tmp_path / "failure.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            print(f"\nScreenshot of the failing page ({page.url}): {path}")
        except Exception:  # the page may be gone; the failure itself matters more
            pass


@pytest.fixture
def problems():
    return BrowserProblems()


@pytest.fixture
def page(browser, site, problems, request, tmp_path):
    """A page with JavaScript on, watched for console errors and CSP violations."""
    context = new_context(browser, site.url)
    tab = context.new_page()
    watch(tab, problems)
    yield tab
    save_failure_screenshot(request, tab, tmp_path)
    close_context(context)


@pytest.fixture
def nojs_page(browser, site, problems, request, tmp_path):
    """A page with JavaScript turned off: every page must work like this."""
    context = new_context(browser, site.url, javascript=False)
    tab = context.new_page()
    watch(tab, problems)
    yield tab
    save_failure_screenshot(request, tab, tmp_path)
    close_context(context)


@pytest.fixture
def new_browser_page(browser, site, problems):
    """Opens further pages, each in its own context (its own cookies: another person)."""
    contexts = []

    def open_page():
        context = new_context(browser, site.url)
        contexts.append(context)
        tab = context.new_page()
        watch(tab, problems)
        return tab

    yield open_page
    for context in contexts:
        close_context(context)


# --- The site and its data ------------------------------------------------------------------


class InFlightRequests:
    """Wraps the live server's WSGI application to count the requests it is handling, so a
    test can wait for the server to go quiet before its database is flushed."""

    def __init__(self, app):
        self.app = app
        self.active = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            self.active += 1
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self.done()
            raise
        return ClosingIterable(result, self.done)

    def done(self):
        with self.lock:
            self.active -= 1

    def wait_until_idle(self, timeout: float = 5.0, quiet: float = 0.2):
        """Wait until no request has been running for `quiet` seconds (requests sent as the
        browser closed may still be arriving)."""
        deadline = time.monotonic() + timeout
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            if self.active:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet:
                return
            time.sleep(0.02)


class ClosingIterable:
    def __init__(self, result, on_close):
        self.result = result
        self.on_close = on_close

    def __iter__(self):
        return iter(self.result)

    def close(self):
        try:
            if hasattr(self.result, "close"):
                self.result.close()  # Django's request_finished (closes DB connections) runs here
        finally:
            self.on_close()


@pytest.fixture(scope="session")
def live_server_requests(live_server):
    httpd = live_server.thread.httpd
    counter = InFlightRequests(httpd.get_app())
    httpd.set_app(counter)
    return counter


@dataclass
class LiveSite:
    url: str
    host: str
    port: int
    directory: object


@pytest.fixture
def site(live_server, live_server_requests, settings):
    """The live site: home page, directory, moderation workflow, and the gazetteer rows the
    test listings use. The Wagtail Site matches the live server's host and port."""
    from urllib.parse import urlsplit

    from wagtail.models import Page, Site

    from gazetteer.models import LocalAuthority, Postcode
    from home.models import ShortBreaksStatementPage
    from home.site_setup import ensure_site

    assert Page.get_first_root_node() is not None, (
        "Wagtail's root page is missing: the migrated data was not restored before this "
        "test (e2e tests need @pytest.mark.django_db(transaction=True, serialized_rollback=True))"
    )
    parts = urlsplit(live_server.url)
    for code, name in LOCAL_AUTHORITIES:
        LocalAuthority.objects.update_or_create(code=code, defaults={"name": name})
    for postcode, lat, lng, la in POSTCODES:
        outcode, inward = postcode.split(" ")
        Postcode.objects.update_or_create(
            postcode=postcode,
            defaults={
                "outcode": outcode,
                "sector": f"{outcode} {inward[0]}",
                "latitude": lat,
                "longitude": lng,
                "local_authority_code": la,
            },
        )
    directory = ensure_site(hostname=parts.hostname, port=parts.port)
    # ensure_site leaves the Short Breaks Services Statement a draft for council staff to
    # publish: publish it, as they would, so it is checked with the other public pages.
    statement = ShortBreaksStatementPage.objects.get()
    if not statement.live:
        statement.save_revision().publish()
    Site.objects.filter(is_default_site=True).update(hostname=parts.hostname, port=parts.port)
    Site.clear_site_root_paths_cache()
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    yield LiveSite(url=live_server.url, host=parts.hostname, port=parts.port, directory=directory)
    # The browser pages are closed by now (they depend on this fixture): let the server finish
    # what they last asked for before the database is flushed.
    live_server_requests.wait_until_idle()


def publish_listing(provider_page, model, **fields):
    """Add a listing below a provider page and publish it, as a moderator's approval would."""
    from directory.choices import CostUnit

    fields.setdefault("cost_unit", CostUnit.FREE)
    listing = model(**fields)
    provider_page.add_child(instance=listing)
    listing.save_revision().publish()
    listing.refresh_from_db()
    return listing


@dataclass
class Listings:
    organisation: object
    provider_page: object
    short_break: object
    personal_assistant: object
    club: object


@pytest.fixture
def ne_gazetteer(site):
    """The whole NE postcode area's gazetteer (postcodes, towns, villages and wards), for
    tests that search from real places or count wards. Only the first browser test of a worker
    finds it there (loaded for the session): each browser test's database is emptied after it
    and given back only the migrated data, so a test that needs the gazetteer says so."""
    from django.core.management import call_command

    from gazetteer.models import PlaceName, Postcode

    if not (
        Postcode.objects.filter(outcode="NE48").exists()
        and PlaceName.objects.filter(kind=PlaceName.WARD, local_authority_code="E06000057").exists()
    ):
        call_command("load_gazetteer", areas=["NE"], verbosity=0)


@pytest.fixture
def listings(site):
    """One published listing of each kind, from one organisation."""
    from directory.choices import CostUnit, OrganisationKind
    from directory.models import (
        InclusiveClubPage,
        Need,
        PersonalAssistantPage,
        ProviderPage,
        ServiceType,
        ShortBreakServicePage,
        Weekday,
    )
    from directory.services import organisation_create

    organisation = organisation_create(
        name="Tynedale Family Support",
        kind=OrganisationKind.CHARITY,
        directory=site.directory,
        about="A charity in Hexham supporting disabled children and their families.",
    )
    provider_page = ProviderPage.objects.get(organisation=organisation)
    short_break = publish_listing(
        provider_page,
        ShortBreakServicePage,
        title="Hexham Saturday Club",
        summary="A Saturday club with trained staff for disabled children aged 8 to 16.",
        description="<p>Games, crafts and trips, with a quiet room.</p>",
        age_min=8,
        age_max=16,
        address_line_1="Community Centre, Gilesgate",
        town="Hexham",
        postcode="NE46 3NR",
        cost_unit=CostUnit.SESSION,
        cost_amount=12,
        contact_email="club@example.org",
        contact_phone="01434 600000",
    )
    short_break.service_types.set(ServiceType.objects.filter(slug="weekend-activities"))
    short_break.needs.set(Need.objects.filter(slug__in=["autism", "learning-disability"]))
    short_break.days.set(Weekday.objects.filter(name="Saturday"))
    short_break.save_revision().publish()
    personal_assistant = publish_listing(
        provider_page,
        PersonalAssistantPage,
        title="Jo, personal assistant",
        summary="Experienced PA who can take your child to activities in Tynedale.",
        at_venue=False,
        comes_to_family=True,
        travel_radius_miles=10,
        postcode="NE46 1AA",
        cost_unit=CostUnit.HOUR,
        cost_amount=15,
        hours_available_per_week=12,
    )
    club = publish_listing(
        provider_page,
        InclusiveClubPage,
        title="Newcastle Inclusive Swimming",
        summary="Swimming sessions where an extra worker helps disabled children join in.",
        inclusion_support="An extra 1:1 worker in the water and a quiet changing room.",
        extra_worker_available=True,
        address_line_1="City Pool, Northumberland Road",
        town="Newcastle upon Tyne",
        postcode="NE1 8QH",
    )
    return Listings(organisation, provider_page, short_break, personal_assistant, club)
