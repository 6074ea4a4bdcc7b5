"""People using the site, for `make loadtest` (headless locust against gunicorn).

- Families (most users) follow what families do in the NE demo area: most search by postcode
  (urban Newcastle and rural Northumberland, where search widens), some by town or village
  name, many add filters (age, needs, a verified DBS check, how they pay), a few go to the next
  page; they open the listings they find and shortlist some.
- Providers sign in on the admin's sign-in page, look at their dashboard, open a listing's edit
  page and save a draft of it as it stands (the whole form, as the browser sends it), say how
  much space a service has now, open its bookings and space page, and confirm a listing is
  still accurate.
- Brokers sign in with their password and their authenticator app's code, then work the queue:
  open waiting requests and look at the matching providers.
- A harvester reads the Open Referral UK API as an aggregator does: the services list page by
  page (100 a page, following the pages to the last and starting again), and some services
  one by one.

Each kind of request is named ("provider: save draft", "broker: matches", "oruk: services
page"...), so the report gives requests/s and p50/p95/p99 for each.

Set by loadtest/run.sh: LOADTEST_USERS (all users), LOADTEST_PASSWORD and LOADTEST_ACCOUNTS
(the load-test accounts `manage.py seed_loadtest` made: loadtest-provider-N, loadtest-broker-N).
LOADTEST_MIX chooses who takes part (default "families,providers,brokers,harvesters";
"searchers" search without pausing, for the curve of loadtest/curve.py). With
families in the mix, providers, brokers and harvesters are fixed numbers (about 12%, 6% and 4%
of the users, at least one of each) and families are the rest, so even a 5-user smoke has one
of every kind.
"""

import itertools
import logging
import os
import random

from locust import HttpUser, between, constant, constant_throughput, task
from parsing import (
    CONFIRM_ACTION,
    EDIT_FORM_ID,
    EDIT_LINK,
    LISTING_LINK,
    REQUEST_LINK,
    SHORTLIST_FORM,
    Form,
    authenticator_code,
    csrf_token,
    error_summary,
    form_with,
    forms,
)

URBAN_POSTCODES = ["NE1 4ST", "NE2 1AB", "NE4 5TG", "NE6 2HL", "NE3 1DH", "NE28 6UP"]
RURAL_POSTCODES = ["NE46 3NR", "NE48 2BT", "NE66 1TH", "NE65 7RA", "NE47 9LE", "NE71 6QG"]
PLACES = ["Hexham", "Bellingham", "Alnwick", "Morpeth", "Rothbury", "Newcastle upon Tyne"]
NEEDS = ["autism", "learning-disability", "physical-disability"]

KINDS = ("families", "providers", "brokers", "harvesters", "searchers")
EVERYONE = KINDS[:4]  # searchers only for the curve (loadtest/curve.py)
MIX = {kind.strip() for kind in os.environ.get("LOADTEST_MIX", ",".join(EVERYONE)).split(",")}
USERS = int(os.environ.get("LOADTEST_USERS") or 0)
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "")
ACCOUNTS = max(1, int(os.environ.get("LOADTEST_ACCOUNTS") or 1))
# Of all users when families are in the mix: the rest are families.
SHARES = {"providers": 0.12, "brokers": 0.06, "harvesters": 0.04}
PACE = float(os.environ.get("LOADTEST_PACE") or 0)
HARVEST_PAGE_SIZE = 100
HARVEST_DETAILS = 3  # services read one by one from each page
PAGE_KEYS = {"contents", "last_page", "total_pages"}

log = logging.getLogger(__name__)
if unknown := MIX - set(KINDS):
    raise SystemExit(f"LOADTEST_MIX: unknown {', '.join(sorted(unknown))} (choose from {KINDS})")
if not PASSWORD and MIX & {"providers", "brokers"}:
    log.warning("LOADTEST_PASSWORD is not set: no providers or brokers (they cannot sign in)")
    MIX -= {"providers", "brokers"}


def fixed_users(kind: str) -> int:
    """How many users of this kind, when families are in the mix (0: by weight)."""
    if "families" not in MIX or kind not in MIX:
        return 0
    return max(1, round(USERS * SHARES[kind]))


def failed(response, why: str):
    response.failure(f"{why} (status {response.status_code})")


class Searching(HttpUser):
    """The families' searches, in their proportions: families search between their other
    clicks, the curve's searchers (below) do nothing else."""

    abstract = True

    def on_start(self):
        self.listings: list[str] = []

    def search(self, params: dict, name: str):
        with self.client.get("/search/", params=params, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
                return None
            found = LISTING_LINK.findall(r.text)
            if found:
                self.listings = found
            r.success()
            return r

    @task(6)
    def search_urban_postcode(self):
        self.search({"postcode": random.choice(URBAN_POSTCODES)}, "search: urban postcode")

    @task(6)
    def search_rural_postcode(self):
        self.search({"postcode": random.choice(RURAL_POSTCODES)}, "search: rural postcode")

    @task(3)
    def search_place_name(self):
        self.search({"postcode": random.choice(PLACES)}, "search: place name")

    @task(4)
    def search_with_filters(self):
        params = {
            "postcode": random.choice(URBAN_POSTCODES + RURAL_POSTCODES),
            "age": random.randint(4, 17),
            "need": random.sample(NEEDS, k=random.randint(1, 2)),
            "mode": random.choice(["both", "go", "come"]),
        }
        if random.random() < 0.5:
            params["verified_dbs"] = "on"
        if random.random() < 0.4:
            params["funding"] = "direct-payment"
        if random.random() < 0.3:
            params["radius"] = random.choice(["5", "10", "20"])
        self.search(params, "search: filters")

    @task(2)
    def next_page(self):
        postcode = random.choice(RURAL_POSTCODES + URBAN_POSTCODES)
        self.search({"postcode": postcode, "radius": "30", "page": 2}, "search: page 2")


class Family(Searching):
    abstract = "families" not in MIX
    weight = 20
    wait_time = between(1, 4)  # reading a page before the next click

    def on_start(self):
        super().on_start()
        self.client.get("/", name="home")

    @task(5)
    def open_listing(self):
        if not self.listings:
            return self.search_rural_postcode()
        self.client.get(random.choice(self.listings), name="listing page")

    @task(1)
    def shortlist(self):
        response = self.search(
            {"postcode": random.choice(RURAL_POSTCODES)}, "search: rural postcode"
        )
        if response is None:
            return
        found = SHORTLIST_FORM.findall(response.text)
        token = csrf_token(response.text)
        if not found or not token:
            return
        self.client.post(
            random.choice(found),
            data={"csrfmiddlewaretoken": token, "next": "/search/shortlist/"},
            headers={"Referer": response.url},
            name="shortlist: add",
        )
        self.client.get("/search/shortlist/", name="shortlist: view")


class Searcher(Searching):
    """Families' searches alone, in the families' proportions, one after another with no
    pause: the curve (loadtest/curve.py) offers the server all the searching it can take, to
    find where it saturates. Only when LOADTEST_MIX names searchers."""

    abstract = "searchers" not in MIX
    # LOADTEST_PACE: searches a second each (the curve's step at 80% of saturation); else no
    # stop between searches.
    wait_time = constant_throughput(PACE) if PACE else constant(0)


class AdminUser(HttpUser):
    """Someone who signs in to the admin with one of the load-test accounts (each user its
    own, while there are enough)."""

    abstract = True
    kind = ""
    account = ""
    home = "/admin/"  # where they go after signing in

    def on_start(self):
        number = (next(self.numbers) - 1) % ACCOUNTS + 1
        self.username = self.account.format(number)
        self.signed_in = self.sign_in()

    def post(self, url: str, data, name: str, referer: str):
        """A form sent as a browser sends it; redirects are not followed, so the answer to
        the form itself is what is timed and checked."""
        return self.client.post(
            url,
            data=data,
            headers={"Referer": referer},
            name=name,
            allow_redirects=False,
            catch_response=True,
        )

    def sign_in(self) -> bool:
        """The admin's sign-in page, then (for brokers) the code from the authenticator app."""
        page = f"/admin/login/?next={self.home}"
        with self.client.get(page, name=f"{self.kind}: sign-in page", catch_response=True) as r:
            token = csrf_token(r.text) if r.status_code == 200 else None
            if not token:
                failed(r, "no sign-in form")
                return False
        data = {
            "csrfmiddlewaretoken": token,
            "username": self.username,
            "password": PASSWORD,
            "next": self.home,
        }
        referer = self.client.base_url + page
        with self.post("/admin/login/", data, f"{self.kind}: sign in", referer) as r:
            if r.status_code != 302 or "/login/" in r.headers.get("Location", ""):
                failed(r, f"{self.username} not signed in: {error_summary(r.text)}")
                return False
            r.success()
            return self.second_factor(r.headers["Location"])

    def second_factor(self, location: str) -> bool:
        return True

    def admin_page(self, url: str, name: str, signing_in: bool = False):
        """An admin page, followed to wherever it leads; None (and a failure) if it is not
        there, or it led to a sign-in step when the user should be signed in already."""
        with self.client.get(url, name=name, catch_response=True) as r:
            asked_to_sign_in = "/admin/login/" in r.url or "/two-factor/" in r.url
            if r.status_code != 200 or (asked_to_sign_in and not signing_in):
                failed(r, f"not shown to {self.username}")
                self.signed_in = False
                return None
            r.success()
            return r


class Provider(AdminUser):
    abstract = "providers" not in MIX
    fixed_count = fixed_users("providers")
    weight = 3
    wait_time = between(2, 8)  # providers read and type
    kind = "provider"
    account = "loadtest-provider-{}"
    numbers = itertools.count(1)

    def on_start(self):
        self.edit_pages: list[str] = []
        self.space_forms: list[Form] = []
        self.confirm_forms: list[Form] = []
        super().on_start()
        if self.signed_in:
            self.dashboard()

    @task(3)
    def dashboard(self):
        """Their listings: each one's edit page, and (for those families can see) a form to
        say how much space it has now and a button to confirm it is still accurate."""
        if not self.signed_in and not self.sign_in():
            return
        r = self.admin_page("/admin/", "provider: dashboard")
        if r is None:
            return
        self.edit_pages = sorted(set(EDIT_LINK.findall(r.text))) or self.edit_pages
        found = forms(r.text)
        self.space_forms = [f for f in found if "capacity_now" in f.names()] or self.space_forms
        self.confirm_forms = [f for f in found if CONFIRM_ACTION.search(f.action)]

    @task(3)
    def edit_listing(self):
        """Open one of their listings and save a draft of it, every field as it stands."""
        if not self.edit_pages:
            return self.dashboard()
        url = random.choice(self.edit_pages)
        r = self.admin_page(url, "provider: edit page")
        form = form_with(r.text, form_id=EDIT_FORM_ID) if r is not None else None
        if form is None:
            return None
        full = self.client.base_url + url
        with self.post(form.action or url, form.data(), "provider: save draft", full) as saved:
            # Wagtail keeps the editor on the page after saving a draft; a form with errors
            # is shown again (200).
            if saved.status_code == 302 and saved.headers.get("Location", "").endswith(url):
                saved.success()
            else:
                failed(saved, f"draft not saved: {error_summary(saved.text)}")
        return None

    @task(2)
    def space_now(self):
        """Say on the dashboard how much space a service has now."""
        if not self.space_forms:
            return self.dashboard()
        form = random.choice(self.space_forms)
        data = form.data(capacity_now=random.randint(0, 6))
        full = self.client.base_url + "/admin/"
        with self.post(form.action, data, "provider: space now", full) as saved:
            if saved.status_code == 302:
                saved.success()
            else:
                failed(saved, f"space not saved: {error_summary(saved.text)}")
        return None

    @task(1)
    def bookings_and_space(self):
        """A service's own page for closing, pausing and space now."""
        if not self.space_forms:
            return self.dashboard()
        url = random.choice(self.space_forms).action
        return self.admin_page(url, "provider: bookings and space page")

    @task(1)
    def confirm_accurate(self):
        """Confirm a listing is still accurate (a reminder comes every 3 months)."""
        if not self.confirm_forms:
            return self.dashboard()
        form = random.choice(self.confirm_forms)
        full = self.client.base_url + "/admin/"
        with self.post(form.action, form.data(), "provider: confirm accurate", full) as done:
            if done.status_code == 302:
                done.success()
            else:
                failed(done, "not confirmed")
        return None


class Broker(AdminUser):
    abstract = "brokers" not in MIX
    fixed_count = fixed_users("brokers")
    weight = 2
    wait_time = between(2, 6)
    kind = "broker"
    account = "loadtest-broker-{}"
    home = "/admin/brokerage/"
    numbers = itertools.count(1)

    def on_start(self):
        self.requests: list[str] = []
        super().on_start()

    def second_factor(self, location: str) -> bool:
        """The code page the password leads to, and the code the broker's app shows now (each
        code is taken once: every broker user has an account of its own)."""
        page = self.admin_page(location, "broker: code page", signing_in=True)
        form = form_with(page.text, field_name="code") if page is not None else None
        if form is None:
            return False
        code = authenticator_code(PASSWORD, self.username)
        target = form.action or page.url  # the page itself, with where to go next
        with self.post(target, form.data(code=code), "broker: code", page.url) as r:
            if r.status_code == 302 and "two-factor" not in r.headers.get("Location", ""):
                r.success()
                return True
            failed(r, f"code refused for {self.username}: {error_summary(r.text)}")
            return False

    @task(3)
    def queue(self):
        if not self.signed_in and not self.sign_in():
            return
        r = self.admin_page("/admin/brokerage/", "broker: queue")
        if r is not None:
            self.requests = sorted(set(REQUEST_LINK.findall(r.text))) or self.requests

    @task(3)
    def open_request(self):
        if not self.requests:
            return self.queue()
        self.admin_page(random.choice(self.requests), "broker: request")

    @task(2)
    def matches(self):
        if not self.requests:
            return self.queue()
        self.admin_page(random.choice(self.requests) + "matching/", "broker: matches")


class Harvester(HttpUser):
    """An aggregator copying the directory through the open data API. The first starts at
    page 1; any others resume an earlier harvest at a page chosen at random, so a run reads
    the deep pages too."""

    abstract = "harvesters" not in MIX
    fixed_count = fixed_users("harvesters")
    weight = 1
    wait_time = between(1, 3)
    numbers = itertools.count(1)

    def on_start(self):
        self.client.get("/api/openreferral/", name="oruk: api details")
        self.page = 1
        first = self.services_page()
        if next(self.numbers) > 1 and first:
            self.page = random.randint(1, max(1, first["total_pages"]))

    def services_page(self) -> dict | None:
        params = {"page": self.page, "per_page": HARVEST_PAGE_SIZE}
        url, name = "/api/openreferral/services", "oruk: services page"
        with self.client.get(url, params=params, name=name, catch_response=True) as r:
            try:
                body = r.json()
            except ValueError:
                body = None
            if not isinstance(body, dict) or not PAGE_KEYS <= body.keys():
                failed(r, "not a page of services")
                return None
            r.success()
        self.page = 1 if body["last_page"] else self.page + 1
        return body

    @task
    def harvest(self):
        body = self.services_page()
        if not body or not body["contents"]:
            return
        for service in random.sample(body["contents"], min(HARVEST_DETAILS, len(body["contents"]))):
            self.client.get(f"/api/openreferral/services/{service['id']}", name="oruk: service")
