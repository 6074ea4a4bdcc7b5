"""Every public page: WCAG 2.2 AA by axe-core, no console errors or CSP violations, and it
works with JavaScript turned off (progressive enhancement), forms included."""

import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from .axe import describe_violations, run_axe
from .conftest import playwright_expect

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@dataclass(frozen=True)
class PublicPage:
    path: object  # callable(listings) -> str
    form: bool = False  # a form whose empty submission shows the error summary
    submit: str = ""  # the submit button's name
    gazetteer: tuple = ()  # searches from real places: these areas' gazetteer is loaded first
    shows: str = ""  # text the page must show (so the page checked is the one meant)


JS_ENABLED = re.compile(r"\bjs-enabled\b")


def report_path(listings):
    return f"/listing/{listings.short_break.pk}/report/"


PAGES = {
    "home": PublicPage(lambda _: "/"),
    "directory": PublicPage(lambda _: "/directory/"),
    "directory-filtered": PublicPage(lambda _: "/directory/?kind=personal_assistant"),
    "provider": PublicPage(lambda listings: listings.provider_page.get_url()),
    "short-break-listing": PublicPage(lambda listings: listings.short_break.get_url()),
    "personal-assistant-listing": PublicPage(
        lambda listings: listings.personal_assistant.get_url()
    ),
    "inclusive-club-listing": PublicPage(lambda listings: listings.club.get_url()),
    "report-a-problem": PublicPage(report_path, form=True, submit="Send report"),
    "provider-application": PublicPage(
        lambda _: "/providers/apply/", form=True, submit="Send application"
    ),
    "search": PublicPage(lambda _: "/search/", form=True, submit="Search"),
    "search-results": PublicPage(lambda _: "/search/?postcode=NE46+3NR&mode=both&age=10"),
    "search-by-village": PublicPage(
        lambda _: "/search/?postcode=Bellingham&age=10", gazetteer=("NE",), shows="for Bellingham"
    ),
    "search-choose-a-place": PublicPage(
        lambda _: "/search/?postcode=Newcastle&age=10",
        gazetteer=("NE", "ST"),
        shows="We found more than one place called Newcastle",
    ),
    "shortlist": PublicPage(lambda _: "/search/shortlist/"),
    "shared-shortlist": PublicPage(
        lambda listings: f"/search/shortlist/shared/?ids={listings.short_break.pk}"
    ),
    "sign-in": PublicPage(lambda _: "/account/sign-in/", form=True, submit="Sign in"),
    "make-an-account": PublicPage(
        lambda _: "/account/create/", form=True, submit="Make my account"
    ),
    "reset-password": PublicPage(lambda _: "/account/reset/", form=True, submit="Send me a link"),
    "accessibility-statement": PublicPage(lambda _: "/accessibility/"),
    "privacy-notice": PublicPage(lambda _: "/privacy/"),
    "cookies": PublicPage(lambda _: "/cookies/"),
    "short-breaks-statement": PublicPage(lambda _: "/short-breaks-statement/"),
}


def assert_accessible(page):
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)


def assert_no_browser_problems(problems, url):
    found = problems.all()
    assert not found, f"Browser reported problems on {url}:\n" + "\n".join(found)


@pytest.mark.parametrize("name", PAGES)
def test_public_page_is_accessible_with_no_console_errors(page, listings, problems, name):
    spec = PAGES[name]
    if spec.gazetteer:
        call_command("load_gazetteer", areas=list(spec.gazetteer), verbosity=0)
    response = page.goto(spec.path(listings))
    assert response.status == 200, f"{page.url} answered {response.status}"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if spec.shows:
        expect(page.get_by_text(spec.shows).first).to_be_visible()
    expect(page.locator("body")).to_have_class(JS_ENABLED)
    # The site's own stylesheet is applied, so axe's colour contrast checks mean something.
    expect(page.get_by_role("banner")).to_have_css("background-color", "rgb(29, 79, 145)")
    page.wait_for_load_state("networkidle")
    assert_accessible(page)
    assert_no_browser_problems(problems, page.url)

    if spec.form:
        page.get_by_role("button", name=spec.submit).click()
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        # GOV.UK Frontend moves focus to the summary so screen readers announce it.
        expect(summary).to_be_focused()
        expect(page).to_have_title(re.compile(r"^Error: "))
        assert_accessible(page)
        assert_no_browser_problems(problems, page.url)


@pytest.mark.parametrize("name", PAGES)
def test_public_page_works_without_javascript(nojs_page, listings, name):
    spec = PAGES[name]
    if spec.gazetteer:
        call_command("load_gazetteer", areas=list(spec.gazetteer), verbosity=0)
    response = nojs_page.goto(spec.path(listings))
    assert response.status == 200, f"{nojs_page.url} answered {response.status}"
    expect(nojs_page.get_by_role("heading", level=1)).to_be_visible()
    expect(nojs_page.locator("body")).not_to_have_class(JS_ENABLED)
    expect(nojs_page.get_by_role("link", name="Skip to main content")).to_be_attached()
    if spec.shows:
        expect(nojs_page.get_by_text(spec.shows).first).to_be_visible()
    assert_accessible(nojs_page)

    if spec.form:
        nojs_page.get_by_role("button", name=spec.submit).click()
        summary = nojs_page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
        # Each error links to its field, which shows the same message.
        first_error = summary.get_by_role("link").first
        expect(first_error).to_be_visible()
        target = first_error.get_attribute("href")
        expect(nojs_page.locator(target)).to_be_attached()
        expect(nojs_page.locator(".govuk-error-message").first).to_be_visible()
        assert_accessible(nojs_page)


def test_listing_map_is_an_enhancement(page, nojs_page, listings):
    """Without JavaScript a venue listing shows its address and a link to a map; with it,
    the interactive map appears as well."""
    url = listings.short_break.get_url()
    nojs_page.goto(url)
    expect(nojs_page.get_by_text("Community Centre, Gilesgate, Hexham, NE46 3NR")).to_be_visible()
    expect(nojs_page.get_by_role("link", name="See NE46 3NR on a map")).to_be_visible()
    expect(nojs_page.get_by_role("region", name="Map showing where")).to_be_hidden()

    page.goto(url)
    expect(page.get_by_role("region", name="Map showing where")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon")).to_be_visible()


def test_a_personal_assistant_listing_shows_only_their_area(nojs_page, listings):
    nojs_page.goto(listings.personal_assistant.get_url())
    expect(nojs_page.get_by_role("heading", level=1)).to_have_text("Jo, personal assistant")
    expect(nojs_page.get_by_text("Travels up to 10 miles from the NE46 area")).to_be_visible()
    expect(nojs_page.get_by_text("NE46 1AA")).to_have_count(0)
    expect(nojs_page.locator("[data-map]")).to_have_count(0)


def test_directory_filters_work_without_javascript(nojs_page, listings):
    nojs_page.goto("/directory/")
    expect(nojs_page.get_by_role("heading", name="3 results")).to_be_visible()
    nojs_page.get_by_role("radio", name="Personal assistant").check()
    nojs_page.get_by_role("button", name="Show results").click()
    expect(nojs_page).to_have_url(re.compile(r"kind=personal_assistant"))
    expect(nojs_page.get_by_role("heading", name="1 result")).to_be_visible()
    results = nojs_page.get_by_role("list", name="1 result")
    expect(results.get_by_role("link")).to_have_text(["Jo, personal assistant"])


def test_a_report_can_be_sent_without_javascript(nojs_page, listings):
    from django.conf import settings
    from django.core import mail

    from directory.models import ListingReport

    nojs_page.goto(report_path(listings))
    nojs_page.get_by_role("radio", name="No, it is about something else").check()
    nojs_page.get_by_role("radio", name="Some details are wrong or out of date").check()
    nojs_page.get_by_role("textbox", name="Tell us more").fill("The phone number is wrong.")
    nojs_page.get_by_role("button", name="Send report").click()
    expect(nojs_page.get_by_role("heading", level=1)).to_have_text("Report sent")
    report = ListingReport.objects.get()
    assert report.listing_id == listings.short_break.pk
    assert report.details == "The phone number is wrong."
    assert any(settings.COUNCIL_EMAIL in m.to for m in mail.outbox)


def test_axe_core_checks_a_page_without_javascript_as_the_family_got_it(nojs_page, listings):
    """The check on pages without JavaScript is real: a fault put into the page as it stands is
    reported, and what the page shows only without JavaScript (<noscript>) is checked too."""
    nojs_page.goto(listings.short_break.get_url())
    nojs_page.evaluate(
        """() => {
            const shown = document.createElement('noscript');
            document.querySelector('main').append(shown);
            shown.innerHTML = '<img src="/static/missing.png">';
            const hidden = document.createElement('div');
            hidden.innerHTML = '<input type="text">';
            document.querySelector('main').append(hidden);
        }"""
    )
    found = {v["id"]: v for v in run_axe(nojs_page)}
    assert "image-alt" in found, found.keys()
    assert "label" in found, found.keys()
