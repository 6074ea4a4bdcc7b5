"""Issue #4: the youth-led kitemark, end to end in Chromium.

Two young auditors complete their reviews on phone-sized screens (one with JavaScript, one
without), the coordinator takes the audit to the panel and records the award in the Wagtail
admin, and the kitemark then shows on the listing with a link to what young people said.
axe-core checks every auditor page and every public kitemark page.
"""

import re

import pytest

from core.dates import today
from core.roles import KITEMARK_COORDINATORS
from tests.helpers import PASSWORD, make_user

from .axe import describe_violations, run_axe
from .conftest import playwright_expect
from .signing_in import sign_in_to_admin

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 375, "height": 740}
QUOTE = "There is a quiet room with beanbags if it gets too loud."


@pytest.fixture
def audit(listings, settings, tmp_path):
    """A visit booked for today at the Saturday club, with two young auditors."""
    from kitemark import services
    from tests.factories.kitemark import make_auditor

    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    settings.MEDIA_ROOT = tmp_path / "media"
    coordinator = make_user("priya", KITEMARK_COORDINATORS, first_name="Priya")
    ruby = make_auditor("ruby", "Ruby")
    ruby.user.set_password(PASSWORD)
    ruby.user.save()
    kai = make_auditor("kai", "Kai")
    audit = services.audit_request(user=coordinator, listing=listings.short_break)
    services.audit_schedule(
        user=coordinator,
        audit=audit,
        visit_date=today(),
        auditors=[ruby, kai],
        supporting_adult="Mel from the kitemark team",
        expected_status=audit.status,
    )
    return audit


def assert_accessible(page):
    page.wait_for_load_state("load")
    violations = run_axe(page)
    assert not violations, describe_violations(page.url, violations)


def assert_no_browser_problems(problems):
    # A request cut short because the person moved on to the next page quickly (a fast
    # auditor) is not a problem; anything else is.
    found = [p for p in problems.all() if "net::ERR_ABORTED" not in p]
    assert not found, "Browser reported problems:\n" + "\n".join(found)


def sign_in(page, username: str, next_path: str = "/kitemark/auditor/"):
    page.goto(next_path)
    expect(page).to_have_url(re.compile(r"/account/young-auditors/sign-in/"))
    page.get_by_label("Your username").fill(username)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def choice(page, rating: str):
    """An answer's radio, named by its picture's text alternative and its words."""
    return page.get_by_role("radio", name=re.compile(rf" {re.escape(rating)}$"))


def answer(page, rating: str, comment: str = "", *, then: str = "Save and go on"):
    choice(page, rating).check()
    if comment:
        page.get_by_label("Tell us more (you do not have to)").fill(comment)
    page.get_by_role("button", name=then).click()


def test_auditors_review_on_phones_and_the_coordinators_award_shows_on_the_listing(
    page, nojs_page, new_browser_page, listings, audit, problems
):
    total = audit.standard_set.standards.count()

    # --- Ruby, on her phone with JavaScript on -------------------------------------------------
    page.set_viewport_size(PHONE)
    sign_in(page, "ruby")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Ruby")
    expect(page.get_by_role("heading", name="Hexham Saturday Club")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Open")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hexham Saturday Club")
    assert_accessible(page)
    page.get_by_role("link", name="Start").click()

    # The first question: easy read, big choices; sending nothing shows a clear error.
    expect(page.get_by_text(f"Question 1 of {total}")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save and go on").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose yes, a bit or no")
    assert_accessible(page)
    answer(page, "Yes", "They said hi to everyone.")
    expect(page.get_by_text(f"Question 2 of {total}")).to_be_visible()
    answer(page, "A bit")
    # She stops (the bus comes) and carries on later: nothing is lost.
    page.goto("/kitemark/auditor/")
    page.get_by_role("link", name=re.compile("^Carry on")).click()
    expect(page.get_by_text(f"You have answered 2 of {total} questions")).to_be_visible()
    page.get_by_role("link", name="Carry on").click()
    expect(page.get_by_text(f"Question 3 of {total}")).to_be_visible()
    for number in range(3, total + 1):
        answer(page, "Yes", QUOTE if number == 8 else "")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    assert_accessible(page)
    page.get_by_role("button", name="Send my review").click()
    expect(page.get_by_text("Your review has been sent to the panel")).to_be_visible()

    # --- Kai, on a phone without JavaScript, using the keyboard --------------------------------
    nojs_page.set_viewport_size(PHONE)
    sign_in(nojs_page, "kai")
    nojs_page.get_by_role("link", name=re.compile("^Open")).click()
    nojs_page.get_by_role("link", name="Start").click()
    for number in range(1, total + 1):
        choice(nojs_page, "No" if number == 3 else "Yes").focus()
        nojs_page.keyboard.press("Space")
        nojs_page.get_by_role("button", name="Save and go on").press("Enter")
        if number < total:
            expect(nojs_page.get_by_text(f"Question {number + 1} of {total}")).to_be_visible()
    expect(nojs_page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    nojs_page.get_by_role("button", name="Send my review").click()
    expect(nojs_page.get_by_text("Your review has been sent to the panel")).to_be_visible()

    # --- The coordinator takes it to the panel and records the award ---------------------------
    admin = new_browser_page()
    sign_in_to_admin(admin, "priya")
    admin.goto(f"/admin/kitemark/audits/{audit.pk}/")
    expect(admin.get_by_text("Reviews submitted").first).to_be_visible()
    admin.get_by_role("button", name="Take to the panel").click()
    admin.get_by_role("link", name="Record the panel's decision").click()
    expect(admin.get_by_text("2 standards where the auditors disagree")).to_be_visible()
    admin.get_by_label("Award the kitemark").check()
    admin.get_by_label("The panel's reasons").fill("Welcoming, and everyone joins in together.")
    admin.get_by_label(QUOTE).check()
    admin.get_by_role("button", name="Record the decision").click()
    expect(admin.get_by_text("The panel's decision is recorded")).to_be_visible()
    expect(admin.get_by_text("Kitemark awarded").first).to_be_visible()

    # --- A family sees the kitemark on the listing, and what young people said -----------------
    family = new_browser_page()
    family.goto(listings.short_break.get_url())
    expect(family.get_by_text("Kitemark: checked by young people")).to_be_visible()
    assert_accessible(family)
    family.get_by_role("link", name=re.compile("What young people said")).click()
    expect(family.get_by_role("heading", level=1)).to_contain_text("What young people said")
    expect(family.get_by_text(QUOTE)).to_be_visible()
    expect(family.get_by_text("Ruby")).to_have_count(0)
    assert_accessible(family)
    family.goto("/kitemark/")
    expect(family.get_by_role("link", name="Hexham Saturday Club", exact=True)).to_be_visible()
    assert_accessible(family)
    family.goto("/kitemark/standards/")
    assert_accessible(family)
    assert_no_browser_problems(problems)


def test_every_auditor_and_public_kitemark_page_passes_axe(page, listings, audit, problems):
    """Each page in the auditor area (including a page with errors) and every public page."""
    page.set_viewport_size(PHONE)
    sign_in(page, "ruby")
    assignment = audit.assignments.get(auditor__first_name="Ruby")
    paths = [
        "/kitemark/auditor/",
        f"/kitemark/auditor/reviews/{assignment.pk}/",
        f"/kitemark/auditor/reviews/{assignment.pk}/standards/1/",
        f"/kitemark/auditor/reviews/{assignment.pk}/check/",
        "/kitemark/",
        "/kitemark/?q=nothing+matches",
        "/kitemark/standards/",
    ]
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    # Errors: the standard page sent empty, and sending an unfinished review.
    page.goto(paths[2])
    page.get_by_role("button", name="Save and go on").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)
    page.goto(paths[3])
    page.get_by_role("button", name="Send my review").click()
    expect(page.get_by_text("Answer every question first")).to_be_visible()
    assert_accessible(page)
    assert_no_browser_problems(problems)
