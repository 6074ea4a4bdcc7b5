"""The Short Breaks Services Statement in a real browser: a council moderator updates it in the
admin (how families' views shaped it, a consultation log entry, the review date), saves a draft
that families do not see, then publishes it. Families then read it, with the range of short
breaks counted from the directory, download it as a PDF, and read it with JavaScript turned off.
axe-core finds nothing on the public page or on the admin's edit form."""

import re
from pathlib import Path

import pytest

from core.dates import today
from core.roles import COUNCIL_MODERATORS
from tests.helpers import make_user

from .axe import assert_accessible
from .conftest import playwright_expect
from .signing_in import sign_in_to_admin

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

URL = "/short-breaks-statement/"
TITLE = "Short breaks services statement"
FAMILIES_SAID = "Parent carers in Tynedale told us they wanted more overnight breaks near Hexham."
LOG_WHO = "Tynedale parent carer forum"
LOG_CHANGED = "We asked providers for overnight breaks in Hexham and added two."
REVIEW_DATE = "2027-11-30"
REVIEW_DATE_SHOWN = "30 November 2027"


@pytest.fixture
def moderator(site):
    return make_user("morag", COUNCIL_MODERATORS, first_name="Morag", last_name="Moderator")


@pytest.fixture
def statement(site):
    """The statement as the council first published it (the `site` fixture publishes it)."""
    from home.models import ShortBreaksStatementPage

    page = ShortBreaksStatementPage.objects.get()
    assert page.live
    return page


def summary(page, term: str):
    """What the statement's summary list says against a term (its dates)."""
    return page.locator("dt", has_text=term).locator("xpath=following-sibling::dd[1]")


def figure(page, label: str):
    """The number shown in a row of the figures' tables."""
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label, exact=True))
    return row.get_by_role("cell")


def open_editor(page, statement):
    page.goto(f"/admin/pages/{statement.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)


def test_a_moderator_drafts_then_publishes_the_statement_and_families_read_it(
    page, nojs_page, new_browser_page, listings, moderator, statement
):
    sign_in_to_admin(page, "morag")
    open_editor(page, statement)
    assert_accessible(page, within="main")

    # Writes how families' views shaped it, and logs the consultation.
    views = page.get_by_role("textbox", name="How families' views shaped this statement")
    views.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type(FAMILIES_SAID, delay=20)
    # The rich-text editor copies what is typed into the form's hidden field a moment after the
    # last key: the draft is saved only once that field holds every word (on a busy machine, a
    # draft saved sooner was published without them).
    expect(page.locator("input[name=families_views]")).to_have_value(
        re.compile(re.escape(FAMILIES_SAID))
    )
    page.get_by_role("button", name="Add entry").click()
    entry = page.locator("#id_consultations-FORMS")  # the log had no entries: this is the one
    entry.get_by_role("textbox", name=re.compile(r"^Date\W*$")).fill("2026-10-01")
    entry.get_by_label("Who we asked").fill(LOG_WHO)
    entry.get_by_label("What they told us").fill("More overnight breaks, nearer home.")
    entry.get_by_label("What we changed").fill(LOG_CHANGED)
    page.get_by_role("textbox", name="Next review by").fill(REVIEW_DATE)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(f"Page '{TITLE}' has been updated.")).to_be_visible()
    assert_accessible(page, within="main")

    # Families still see the published statement, not the draft.
    family = new_browser_page()
    family.goto(URL)
    expect(family.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(family.get_by_text(FAMILIES_SAID)).to_have_count(0)
    expect(family.get_by_text(LOG_WHO)).to_have_count(0)
    expect(family.get_by_text(REVIEW_DATE_SHOWN)).to_have_count(0)

    # Published, it is what families read.
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text(f"Page '{TITLE}' has been published.")).to_be_visible()

    family.goto(URL)
    expect(family.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(family.get_by_text(FAMILIES_SAID)).to_be_visible()
    log = family.get_by_role("table", name="Who we asked and what changed")
    expect(log).to_contain_text(LOG_WHO)
    expect(log).to_contain_text("1 October 2026")
    expect(log).to_contain_text(LOG_CHANGED)
    expect(summary(family, "Published on")).to_have_text(f"{today():%-d %B %Y}")
    expect(summary(family, "Next review by")).to_have_text(REVIEW_DATE_SHOWN)
    expect(summary(family, "Figures counted on")).to_have_text(f"{today():%-d %B %Y}")
    # The range of short breaks, counted from the directory: one listing of each kind.
    expect(family.get_by_role("heading", name="The short breaks available")).to_be_visible()
    expect(figure(family, "Short break services")).to_have_text("fewer than 5")
    expect(figure(family, "Personal assistants")).to_have_text("fewer than 5")
    expect(figure(family, "Overnight stays")).to_have_text("0")
    expect(
        family.get_by_role("heading", name="Who can have targeted and specialist short breaks")
    ).to_be_visible()
    expect(family.get_by_text("Anyone can use open access short breaks")).to_be_visible()
    expect(family.get_by_role("heading", name="How to ask for a short break")).to_be_visible()
    expect(family.get_by_text("ask the council for an assessment")).to_be_visible()
    assert_accessible(family)

    # The PDF: the link downloads it.
    link = family.get_by_role("link", name=re.compile("^Download as PDF"))
    with family.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "short-breaks-statement.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    response = family.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # Publishing kept a dated copy of this version, and the first one is still there.
    first_published = statement.live_revision
    statement.refresh_from_db()
    latest = statement.live_revision
    assert latest.pk != first_published.pk
    assert latest.created_at.date() == today()
    assert FAMILIES_SAID in latest.as_object().families_views
    assert statement.revisions.filter(pk=first_published.pk).exists()
    assert FAMILIES_SAID not in first_published.as_object().families_views
    page.goto(f"/admin/pages/{statement.pk}/history/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("History")
    expect(page.get_by_role("row").filter(has_text="Published")).not_to_have_count(0)

    # Without JavaScript, families read the same statement.
    response = nojs_page.goto(URL)
    assert response.status == 200
    expect(nojs_page.locator("body")).not_to_have_class(re.compile("govuk-frontend-supported"))
    expect(nojs_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(nojs_page.get_by_text(FAMILIES_SAID)).to_be_visible()
    expect(nojs_page.get_by_role("table", name="Who we asked and what changed")).to_contain_text(
        LOG_CHANGED
    )
    expect(summary(nojs_page, "Next review by")).to_have_text(REVIEW_DATE_SHOWN)
    expect(figure(nojs_page, "Short break services")).to_have_text("fewer than 5")
    expect(nojs_page.get_by_role("link", name=re.compile("^Download as PDF"))).to_be_visible()
    assert_accessible(nojs_page)  # the page as served, without its scripts (tests/e2e/axe.py)
