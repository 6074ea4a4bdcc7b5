"""Issue 15, items 13 and 14, in Chromium on a phone-sized screen: a young auditor signs in on
their own easy-read page with a short username and answers with picture symbols, with
JavaScript (and "Read this out") and without it. axe-core checks every page."""

import re

import pytest

from core.dates import today
from core.roles import KITEMARK_COORDINATORS
from tests.helpers import PASSWORD, make_user

from .conftest import playwright_expect
from .test_kitemark_journey import PHONE, assert_accessible, assert_no_browser_problems, choice

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A stand-in for the browser's voice, so the test hears what would be said.
FAKE_SPEECH = """
window.spoken = [];
Object.defineProperty(window, "speechSynthesis", {configurable: true, value: {
  speak: (utterance) => window.spoken.push(utterance.text), cancel: () => {},
}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""
NO_SPEECH = (
    'Object.defineProperty(window, "speechSynthesis", {configurable: true, value: undefined});'
)


@pytest.fixture
def visit(listings, settings):
    from kitemark import services
    from tests.factories.kitemark import make_auditor

    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    coordinator = make_user("priya", KITEMARK_COORDINATORS, first_name="Priya")
    team = [make_auditor("ruby", "Ruby"), make_auditor("kai", "Kai")]
    audit = services.audit_request(user=coordinator, listing=listings.short_break)
    services.audit_schedule(
        user=coordinator,
        audit=audit,
        visit_date=today(),
        auditors=team,
        supporting_adult="Mel",
        expected_status=audit.status,
    )
    return audit


def open_first_question(page):
    page.get_by_role("link", name=re.compile("^Open")).click()
    page.get_by_role("link", name="Start").click()
    expect(page.get_by_text("Question 1 of")).to_be_visible()


def test_a_young_auditor_signs_in_and_answers_with_symbols_on_a_phone_with_javascript(
    page, visit, problems
):
    page.add_init_script(FAKE_SPEECH)
    page.set_viewport_size(PHONE)
    page.goto("/kitemark/auditor/")
    expect(page).to_have_url(re.compile(r"/account/young-auditors/sign-in/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Young auditors: sign in")
    expect(page.get_by_role("img", name=re.compile("^The kitemark"))).to_be_visible()
    assert_accessible(page)

    # A wrong password: a clear message, on the same easy-read page.
    page.get_by_label("Your username").fill("Ruby")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Your username or password is not right")
    assert_accessible(page)

    # The short username, in any case, and straight to her visits.
    page.get_by_label("Your username").fill("Ruby")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/kitemark/auditor/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Ruby")
    open_first_question(page)
    assert_accessible(page)

    # Each answer is a picture with words, big enough to tap.
    for rating, alt in (("Yes", "Smiling face"), ("A bit", "Face with a straight mouth")):
        expect(page.get_by_role("img", name=alt)).to_be_visible()
        label = page.locator("label", has_text=rating).first
        box = label.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (rating, box)
    radio_box = choice(page, "No").bounding_box()
    assert radio_box["width"] >= 44 and radio_box["height"] >= 44

    # "Read this out" reads the standard's words aloud.
    heading = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("button", name=re.compile("^Read this out")).click()
    spoken = page.evaluate("window.spoken")
    assert len(spoken) == 1 and spoken[0].startswith(heading)

    # Tapping the picture chooses the answer (it is part of the radio's label).
    page.get_by_role("img", name="Face with a straight mouth").click()
    expect(choice(page, "A bit")).to_be_checked()
    page.get_by_role("button", name="Save and check my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.get_by_text("A bit").first).to_be_visible()
    assert_accessible(page)
    assert_no_browser_problems(problems)


def test_without_speech_or_javascript_there_is_no_read_aloud_and_answers_still_work(
    page, nojs_page, visit, problems
):
    # A browser with JavaScript but no speech: the page, without the button.
    page.add_init_script(NO_SPEECH)
    page.set_viewport_size(PHONE)
    page.goto("/account/young-auditors/sign-in/")
    page.get_by_label("Your username").fill("kai")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    open_first_question(page)
    expect(page.get_by_role("button", name=re.compile("Read this out"))).to_have_count(0)
    assert_accessible(page)

    # No JavaScript at all, keyboard only: sign in, answer with the symbols, go on.
    nojs_page.set_viewport_size(PHONE)
    nojs_page.goto("/kitemark/auditor/")
    nojs_page.get_by_label("Your username").fill("RUBY")
    nojs_page.get_by_label("Your password").fill(PASSWORD)
    nojs_page.get_by_role("button", name="Sign in").press("Enter")
    expect(nojs_page.get_by_role("heading", level=1)).to_have_text("Hello Ruby")
    open_first_question(nojs_page)
    expect(nojs_page.get_by_role("button", name=re.compile("Read this out"))).to_have_count(0)
    choice(nojs_page, "No").focus()
    nojs_page.keyboard.press("Space")
    expect(choice(nojs_page, "No")).to_be_checked()
    nojs_page.get_by_role("button", name="Save and go on").press("Enter")
    expect(nojs_page.get_by_text("Question 2 of")).to_be_visible()
    assert_no_browser_problems(problems)
