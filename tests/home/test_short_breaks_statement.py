"""The Short Breaks Services Statement: a draft until council staff publish it, its figures
counted from the directory (small numbers suppressed), its PDF, and who may edit it."""

import datetime
import html
import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader
from wagtail.models import Page

from core.dates import today
from directory.choices import Eligibility
from home.models import ConsultationEntry, HomePage, ShortBreaksStatementPage
from home.site_setup import ensure_site
from home.statement import BY_ELIGIBILITY, BY_KIND, BY_OFFER, shown, statement_figures
from tests.admin_forms import edit_url, form_data
from tests.factories.directory import (
    InclusiveClubPageFactory,
    OrganisationFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
    weekdays,
)
from tests.helpers import assert_denied

URL = "/short-breaks-statement/"
PDF_URL = "/short-breaks-statement/pdf/"


def statement() -> ShortBreaksStatementPage:
    return ShortBreaksStatementPage.objects.get()


def publish(page=None) -> ShortBreaksStatementPage:
    page = page or statement()
    page.save_revision().publish()
    return ShortBreaksStatementPage.objects.get(pk=page.pk)


@pytest.fixture
def published(directory):
    page = statement()
    page.review_date = datetime.date(2027, 11, 30)
    page.save_revision().publish()
    return ShortBreaksStatementPage.objects.get(pk=page.pk)


@pytest.fixture
def range_of_listings(directory):
    """Eight published listings, counted by hand below, and a draft that is never counted.

    | listing | kind | where | when | eligibility |
    |---|---|---|---|---|
    | S1 | short break | venue | Sat 10-3, holidays | open |
    | S2 | short break | venue, overnight | Sat 10-3, holidays | open |
    | S3 | short break | venue | Sat 10-3, term time only | open |
    | S4 | short break | venue, overnight | Sun 10-3, holidays | assessment |
    | S5 | short break | venue | Sat 4-7pm, holidays | assessment |
    | P1, P2 | personal assistant | comes to the family | Mon-Sat, holidays | direct payment |
    | C1 | inclusive club | venue | Fri 6:30-8:30pm, holidays | referral |
    """
    org = OrganisationFactory()
    short_break = ShortBreakServicePageFactory
    short_break(organisation=org, title="S1")
    short_break(organisation=org, title="S2", overnight=True)
    short_break(organisation=org, title="S3", school_holidays=False)
    short_break(
        organisation=org,
        title="S4",
        overnight=True,
        days=weekdays(7),
        eligibility=Eligibility.ASSESSMENT,
    )
    short_break(
        organisation=org,
        title="S5",
        time_from=datetime.time(16, 0),
        time_to=datetime.time(19, 0),
        eligibility=Eligibility.ASSESSMENT,
    )
    PersonalAssistantPageFactory(title="P1", eligibility=Eligibility.DIRECT_PAYMENT)
    PersonalAssistantPageFactory(title="P2", eligibility=Eligibility.DIRECT_PAYMENT)
    InclusiveClubPageFactory(organisation=org, title="C1", eligibility=Eligibility.REFERRAL)
    short_break(organisation=org, title="Draft", overnight=True, live=False)


def counts(figures, caption) -> list[int]:
    return [row.count for row in figures.table(caption).rows]


# --- Set-up: a draft, not public until published ------------------------------------------------


def test_ensure_site_creates_one_draft_statement_with_starting_text(directory):
    ensure_site()  # again: still one
    page = statement()
    assert ShortBreaksStatementPage.objects.count() == 1
    assert page.get_parent().specific_class is HomePage
    assert page.url_path.endswith("/short-breaks-statement/")
    assert not page.live
    assert page.title == "Short breaks services statement"
    assert "Breaks for Carers of Disabled Children Regulations 2011" in page.intro
    assert "direct payment" in page.how_to_ask and "brokerage" in page.how_to_ask
    assert page.eligibility_criteria and page.families_views
    assert page.review_date > today()
    assert page.revisions.count() == 1


def test_a_draft_statement_is_not_public(client, directory):
    assert client.get(URL).status_code == 404
    assert client.get(PDF_URL).status_code == 404


def test_published_the_statement_is_public_with_its_dates(client, published):
    response = client.get(URL)
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert '<h1 class="govuk-heading-xl">Short breaks services statement</h1>' in text
    assert "Published on" in text
    assert f"{timezone.localdate(published.last_published_at):%-d %B %Y}" in text
    assert "30 November 2027" in text  # the review date
    assert f"{today():%-d %B %Y}" in text  # figures counted today
    assert "Download as PDF" in text
    # Headings in order: one h1, then h2s (editors' text has h3 at most).
    levels = [int(level) for level in re.findall(r"<h([1-6])", text.split('id="main-content"')[1])]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_publishing_keeps_a_dated_copy_of_each_version(published):
    published.intro = "<p>The second version.</p>"
    publish(published)
    revisions = list(published.revisions.order_by("created_at"))
    assert len(revisions) == 3  # the starting draft, and two publications
    assert revisions[-1].as_object().intro == "<p>The second version.</p>"
    assert "The second version" not in revisions[-2].as_object().intro
    assert all(revision.created_at for revision in revisions)


# --- The figures --------------------------------------------------------------------------------


def test_figures_count_the_published_range_by_hand(range_of_listings):
    figures = statement_figures()
    assert figures.as_of == today()
    assert counts(figures, BY_KIND) == [5, 2, 1]  # short breaks, PAs, clubs
    # home or area, elsewhere, overnight, clubs, evenings, weekends, school holidays
    assert counts(figures, BY_OFFER) == [2, 6, 2, 1, 2, 7, 7]
    # open, assessment, referral, direct payment
    assert counts(figures, BY_ELIGIBILITY) == [3, 2, 1, 2]


def test_figures_with_no_listings_are_zero(directory):
    figures = statement_figures()
    assert all(row.count == 0 and row.shown == "0" for t in figures.tables for row in t.rows)


@pytest.mark.parametrize(
    ("count", "public"),
    [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (12, "12")],
)
def test_counts_from_1_to_4_are_suppressed(count, public):
    assert shown(count) == public


def row_values(text: str) -> dict[str, str]:
    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">([^<]+)</th>'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]+)</td>',
        text,
    )
    return dict(rows)


def test_the_public_page_shows_the_figures_with_small_numbers_suppressed(
    client, published, range_of_listings
):
    text = html.unescape(client.get(URL).content.decode())
    values = row_values(text)
    assert values["Short break services"] == "5"
    assert values["Personal assistants"] == "fewer than 5"
    assert values["Inclusive clubs and activities"] == "fewer than 5"
    assert values["Day-time care somewhere else, such as a centre or club"] == "6"
    assert values["At weekends"] == "7"
    assert values["In the school holidays"] == "7"
    assert values["Overnight stays"] == "fewer than 5"
    assert values["Anyone, no assessment needed"] == "fewer than 5"
    for caption in (BY_KIND, BY_OFFER, BY_ELIGIBILITY):
        assert f'govuk-table__caption--m">{caption}</caption>' in text
    # No small number is shown as itself anywhere in the tables.
    assert not {"1", "2", "3", "4"} & set(values.values())


def test_the_consultation_log_is_a_table_newest_first(client, published):
    ConsultationEntry.objects.create(
        page=published,
        date=datetime.date(2026, 3, 1),
        who="Parent carer forum",
        what_they_said="Not enough holiday clubs.",
        what_changed="Two new holiday clubs.",
    )
    ConsultationEntry.objects.create(
        page=published,
        date=datetime.date(2026, 9, 1),
        who="Young people's group",
        what_they_said="Want evening activities.",
        what_changed="A Thursday evening youth club.",
    )
    text = html.unescape(client.get(URL).content.decode())
    assert "Who we asked and what changed</caption>" in text
    assert text.index("1 September 2026") < text.index("1 March 2026")
    assert "Two new holiday clubs." in text


# --- The PDF ------------------------------------------------------------------------------------


def test_the_pdf_downloads_with_the_statement_and_its_figures(client, published, range_of_listings):
    ConsultationEntry.objects.create(
        page=published,
        date=datetime.date(2026, 3, 1),
        who="Parent carer forum",
        what_they_said="Not enough holiday clubs.",
        what_changed="Two new holiday clubs.",
    )
    page_html = client.get(URL).content.decode()
    assert 'href="/short-breaks-statement/pdf/"' in page_html

    response = client.get(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Short breaks services statement"
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Short breaks services statement" in text
    assert "Published on" in text and "30 November 2027" in text
    assert "Short break services 5" in text
    assert "Personal assistants fewer than 5" in text
    assert "Who can have targeted and specialist short breaks" in text
    assert "How families' views shaped this statement" in text
    assert "Two new holiday clubs." in text


def test_the_pdf_keeps_the_councils_formatting_and_links(client, published, directory):
    published.how_to_ask = (
        "<h3>Direct payments & brokerage</h3><p>Ask for an <b>assessment</b>:</p>"
        '<ul><li>phone us</li><li>use <a href="/directory/">the directory</a></li></ul>'
        f'<p>See <a linktype="page" id="{directory.pk}">the directory page</a>.</p>'
    )
    publish(published)
    response = client.get(PDF_URL)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Direct payments & brokerage" in text
    assert "Ask for an assessment:" in text
    assert "phone us" in text and "use the directory" in text
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]
    assert "http://testserver/directory/" in links


# --- Who may edit it ------------------------------------------------------------------------------


def test_only_council_staff_may_edit_and_publish_the_statement(
    directory, moderator, provider_a, broker
):
    page = statement()
    assert page.permissions_for_user(moderator).can_edit()
    assert page.permissions_for_user(moderator).can_publish()
    for outsider in (provider_a, broker):
        permissions = page.permissions_for_user(outsider)
        assert not permissions.can_edit()
        assert not permissions.can_publish()


def test_council_staff_edit_and_publish_it_in_the_admin(client, directory, moderator):
    page = statement()
    client.force_login(moderator)
    response = client.get(edit_url(page))
    assert response.status_code == 200
    data = form_data(
        response,
        title="Short breaks services statement 2027",
        review_date="2027-12-01",
        **{"action-publish": "1"},
    )
    data.update(
        {
            "consultations-TOTAL_FORMS": "1",
            "consultations-0-date": "2026-10-01",
            "consultations-0-who": "Parent carer forum",
            "consultations-0-what_they_said": "More weekend breaks.",
            "consultations-0-what_changed": "A Sunday club.",
            "consultations-0-ORDER": "1",
            "consultations-0-id": "",
            "consultations-0-DELETE": "",
        }
    )
    response = client.post(edit_url(page), data)
    assert response.status_code == 302, response.context["form"].errors
    page = statement()
    assert page.live
    assert page.title == "Short breaks services statement 2027"
    assert page.review_date == datetime.date(2027, 12, 1)
    assert [entry.who for entry in page.consultations.all()] == ["Parent carer forum"]
    assert client.get(URL).status_code == 200


def test_a_provider_cannot_open_or_change_the_statement_in_the_admin(client, directory, provider_a):
    page = statement()
    client.force_login(provider_a)
    assert_denied(client.get(edit_url(page)))
    assert_denied(client.post(edit_url(page), {"title": "Changed", "action-publish": "1"}))
    page = statement()
    assert page.title == "Short breaks services statement"
    assert not page.live


def test_only_one_statement_may_be_added_below_the_home_page(directory):
    home = HomePage.objects.get()
    assert ShortBreaksStatementPage in home.specific_class.allowed_subpage_models()
    assert not ShortBreaksStatementPage.can_create_at(home)  # one exists already
    assert not ShortBreaksStatementPage.can_create_at(Page.get_first_root_node())


def test_council_staff_preview_the_draft_before_it_is_public(client, directory, moderator):
    page = statement()
    client.force_login(moderator)
    response = client.get(f"/admin/pages/{page.pk}/view_draft/")
    assert response.status_code == 200
    assert b"Not published yet" in response.content
    assert b"The short breaks available" in response.content


def test_the_footer_links_to_the_statement_once_it_is_published(client, directory):
    from home.models import ShortBreaksStatementPage

    assert "Short breaks statement" not in client.get("/accessibility/").content.decode()
    ShortBreaksStatementPage.objects.get().save_revision().publish()
    page = client.get("/accessibility/").content.decode()
    assert 'href="/short-breaks-statement/">Short breaks statement</a>' in page


def test_the_demo_publishes_the_statement_with_families_views(client, directory):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", seed=2, listings=20, stdout=StringIO())
    page = client.get("/short-breaks-statement/").content.decode()
    assert "Parent carers" in page and "travel grant" in page


def test_each_rich_text_editor_is_named_by_its_fields_label(client, directory, moderator):
    """Screen readers announce the editor's text box by the field's label (axe-core:
    aria-input-field-name), not as an unnamed text box."""
    client.force_login(moderator)
    text = client.get(edit_url(statement())).content.decode()
    editors = re.findall(r'<input type="hidden" name="(\w+)"[^>]*data-draftail-input[^>]*>', text)
    assert set(editors) >= {"intro", "eligibility_criteria", "how_to_ask", "families_views"}
    for name in ("intro", "eligibility_criteria", "how_to_ask", "families_views"):
        tag = re.search(rf'<input type="hidden" name="{name}"[^>]*>', text).group(0)
        options = html.unescape(re.search(r'data-w-init-detail-value="([^"]*)"', tag).group(1))
        assert f'"ariaLabelledBy": "id_{name}-label"' in options
        assert re.search(rf'<label[^>]* for="id_{name}" id="id_{name}-label"', text), name
