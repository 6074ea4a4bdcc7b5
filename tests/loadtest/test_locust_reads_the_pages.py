"""What locust's users read from the site (loadtest/parsing.py) is on the real pages: each
journey of loadtest/locustfile.py is walked here with Django's test client, through the real
sign-in pages and with CSRF checks on, on the demo data and the load test's own accounts."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import Revision

from directory.models import ListingPage
from loadtest.parsing import (
    CONFIRM_ACTION,
    EDIT_FORM_ID,
    EDIT_LINK,
    LISTING_LINK,
    REQUEST_LINK,
    SHORTLIST_FORM,
    authenticator_code,
    csrf_token,
    form_with,
    forms,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "this-run-only-0c9e"
# What differs between two revisions of the same content.
WAGTAIL_BOOKKEEPING = {"latest_revision", "latest_revision_created_at", "has_unpublished_changes"}


@pytest.fixture
def loadtest_data(directory, monkeypatch):
    monkeypatch.setenv("LOADTEST_PASSWORD", PASSWORD)
    call_command("seed_demo", seed=3, listings=12, stdout=StringIO())
    call_command("seed_loadtest", accounts=2, requests=3, stdout=StringIO())


@pytest.fixture
def browser():
    return Client(enforce_csrf_checks=True)


def sign_in(client, username: str, home: str = "/admin/"):
    """As AdminUser.sign_in does: the sign-in page's token, then the password."""
    page = client.get(f"/admin/login/?next={home}")
    token = csrf_token(page.content.decode())
    assert token
    data = {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
    answer = client.post("/admin/login/", {**data, "next": home})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert "/login/" not in answer["Location"]
    return answer["Location"]


def test_a_family_finds_listings_and_the_shortlist_button(loadtest_data, browser):
    html = browser.get("/search/", {"postcode": "NE46 3NR"}).content.decode()
    links = LISTING_LINK.findall(html)
    assert links
    assert browser.get(links[0]).status_code == 200
    add = SHORTLIST_FORM.findall(html)
    assert add
    answer = browser.post(add[0], {"csrfmiddlewaretoken": csrf_token(html), "next": "/"})
    assert answer.status_code == 302


def test_a_provider_signs_in_saves_a_draft_says_space_now_and_confirms(loadtest_data, browser):
    sign_in(browser, "loadtest-provider-1")
    html = browser.get("/admin/").content.decode()
    edit_pages = EDIT_LINK.findall(html)
    assert edit_pages
    found = forms(html)
    space = [form for form in found if "capacity_now" in form.names()]
    confirm = [form for form in found if CONFIRM_ACTION.search(form.action)]
    assert space and confirm

    url = edit_pages[0]
    listing = ListingPage.objects.get(pk=url.split("/")[-3])
    for _ in range(2):  # twice: the second draft is the first, to the letter
        page = browser.get(url)
        assert page.status_code == 200
        form = form_with(page.content.decode(), form_id=EDIT_FORM_ID)
        assert form is not None and {"title", "summary", "postcode"} <= form.names()
        saved = browser.post(form.action or url, form.data())
        assert saved.status_code == 302, saved.content.decode()[:3000]
        assert saved["Location"].endswith(url)
    first, second = Revision.objects.filter(object_id=str(listing.pk)).order_by("-pk")[:2][::-1]
    assert first.user.username == second.user.username == "loadtest-provider-1"
    changed = {
        key
        for key in first.content.keys() | second.content.keys()
        if first.content.get(key) != second.content.get(key)
    }
    assert changed <= WAGTAIL_BOOKKEEPING, changed

    form = space[0]
    answer = browser.post(form.action, form.data(capacity_now=3))
    assert answer.status_code == 302
    assert ListingPage.objects.get(pk=form.action.split("/")[-3]).capacity_now == 3
    assert browser.get(form.action).status_code == 200  # its bookings and space page
    assert browser.post(confirm[0].action, confirm[0].data()).status_code == 302


def test_a_broker_signs_in_with_the_code_and_works_the_queue(loadtest_data, browser):
    next_step = sign_in(browser, "loadtest-broker-1", home="/admin/brokerage/")
    page = browser.get(next_step, follow=True)
    assert "/two-factor/verify/" in page.request["PATH_INFO"]
    form = form_with(page.content.decode(), field_name="code")
    assert form is not None
    url = page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"]
    code = authenticator_code(PASSWORD, "loadtest-broker-1")
    answer = browser.post(form.action or url, form.data(code=code))
    assert answer.status_code == 302
    assert answer["Location"] == "/admin/brokerage/"

    html = browser.get("/admin/brokerage/").content.decode()
    requests = sorted(set(REQUEST_LINK.findall(html)))
    assert len(requests) >= 3
    assert browser.get(requests[0]).status_code == 200
    assert browser.get(requests[0] + "matching/").status_code == 200

    # The same code a second time is refused: each locust broker has an account of its own.
    other = Client(enforce_csrf_checks=True)
    next_step = sign_in(other, "loadtest-broker-1", home="/admin/brokerage/")
    page = other.get(next_step, follow=True)
    form = form_with(page.content.decode(), field_name="code")
    url = page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"]
    assert other.post(url, form.data(code=code)).status_code == 200


def test_a_harvester_follows_the_pages_to_the_last(directory, browser):
    call_command("seed_loadtest", listings=12, stdout=StringIO())
    seen, page = [], 1
    while True:
        answer = browser.get("/api/openreferral/services", {"page": page, "per_page": 5})
        body = json.loads(answer.content)
        assert {"contents", "last_page", "total_pages"} <= body.keys()
        seen += [service["id"] for service in body["contents"]]
        if body["last_page"]:
            break
        page += 1
    assert page == body["total_pages"] == 3
    assert len(set(seen)) == ListingPage.objects.count() == 12
    assert browser.get(f"/api/openreferral/services/{seen[-1]}").status_code == 200


def test_forms_are_read_as_a_browser_sends_them():
    html = """
    <form id="edit" action="/save/">
      <input type="hidden" name="csrfmiddlewaretoken" value="t0ken">
      <input name="title" value="Play &amp; stay">
      <input type="checkbox" name="needs" value="1" checked>
      <input type="checkbox" name="needs" value="2">
      <input type="checkbox" name="needs" value="3" checked>
      <input type="checkbox" name="term_time" checked>
      <input type="radio" name="eligibility" value="open">
      <input type="radio" name="eligibility" value="referral" checked>
      <input name="locked" value="x" disabled>
      <input type="file" name="photo">
      <button type="submit" name="action-submit" value="Submit">Submit</button>
      <select name="cost_unit"><option value="hour">Hour<option value="day">Day</select>
      <select name="unit"><option value="a">A</option><option value="b" selected>B</option></select>
      <select name="areas" multiple><option selected>North</option><option>South</option>
      <option value="E" selected>East</option></select>
      <textarea name="about">
Line one
&lt;b&gt;</textarea>
      <template><input name="form-__prefix__-name" value="empty"></template>
    </form>
    <input name="go_live_at" form="edit" value="2027-01-01">
    <form action="/other/"><input name="other" value="1"></form>
    """
    form = form_with(html, form_id="edit")
    assert form.action == "/save/"
    assert form.data(title="Changed") == {
        "csrfmiddlewaretoken": ["t0ken"],
        "title": ["Changed"],
        "needs": ["1", "3"],
        "term_time": ["on"],
        "eligibility": ["referral"],
        "cost_unit": ["hour"],
        "unit": ["b"],
        "areas": ["North", "E"],
        "about": ["Line one\n<b>"],
        "go_live_at": ["2027-01-01"],
    }
    assert form_with(html, field_name="other").action == "/other/"
    assert form_with(html, field_name="missing") is None


def locust_settings(**env) -> dict:
    """The user classes locust would run, and how many of each are fixed, for this setting."""
    script = (
        "import json, sys; sys.path.insert(0, 'loadtest'); import locustfile as f; "
        "print(json.dumps({c.__name__: [c.abstract, c.fixed_count] "
        "for c in (f.Family, f.Provider, f.Broker, f.Harvester, f.Searcher)}))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LOADTEST_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_smoke_runs_one_of_every_kind_and_the_full_run_mostly_families():
    smoke = locust_settings(LOADTEST_USERS="5", LOADTEST_PASSWORD="x")
    assert smoke == {
        "Family": [False, 0],
        "Provider": [False, 1],
        "Broker": [False, 1],
        "Harvester": [False, 1],
        "Searcher": [True, 0],
    }
    full = locust_settings(LOADTEST_USERS="50", LOADTEST_PASSWORD="x")
    assert [full[kind][1] for kind in ("Provider", "Broker", "Harvester")] == [6, 3, 2]
    # Without families, the others share the users by weight; without a password, nobody
    # who must sign in takes part.
    assert locust_settings(LOADTEST_MIX="brokers,harvesters", LOADTEST_PASSWORD="x") == {
        "Family": [True, 0],
        "Provider": [True, 0],
        "Broker": [False, 0],
        "Harvester": [False, 0],
        "Searcher": [True, 0],
    }
    # The curve's searchers search alone (loadtest/curve.py).
    alone = locust_settings(LOADTEST_MIX="searchers", LOADTEST_USERS="8")
    assert [kind for kind, (abstract, _n) in alone.items() if not abstract] == ["Searcher"]
    assert locust_settings(LOADTEST_USERS="5")["Provider"] == [True, 0]
