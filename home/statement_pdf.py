"""The Short Breaks Services Statement as a PDF, with reportlab (pure Python): the same
sections and tables as the web page, which stays the accessible version (reportlab does not
write tagged PDF)."""

import io
from html import escape
from html.parser import HTMLParser
from urllib.parse import urljoin

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from wagtail.rich_text import expand_db_html

from core.disclosure import SUPPRESS_BELOW

BLOCKS = {"p", "h2", "h3", "h4", "li"}
INLINE = {"b": "b", "strong": "b", "i": "i", "em": "i"}


class RichTextToFlowables(HTMLParser):
    """Wagtail rich text (paragraphs, headings, lists, bold, italic, links) as reportlab
    paragraphs, in reportlab's own small markup."""

    def __init__(self, styles, base_url: str):
        super().__init__(convert_charrefs=True)
        self.styles = styles
        self.base_url = base_url
        self.flowables: list = []
        self.block: str | None = None
        self.text: list[str] = []
        self.list_items: list | None = None
        self.list_kind = "bullet"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("ul", "ol"):
            self.list_items = []
            self.list_kind = "1" if tag == "ol" else "bullet"
        elif tag in BLOCKS:
            self.flush()
            self.block = tag
        elif tag in INLINE:
            self.text.append(f"<{INLINE[tag]}>")
        elif tag == "a" and attrs.get("href"):
            href = urljoin(self.base_url, attrs["href"])
            self.text.append(f'<link href="{escape(href)}" color="blue"><u>')
        elif tag == "br":
            self.text.append("<br/>")

    def handle_endtag(self, tag):
        if tag in INLINE:
            self.text.append(f"</{INLINE[tag]}>")
        elif tag == "a":
            self.text.append("</u></link>")
        elif tag in BLOCKS:
            self.flush()
        elif tag in ("ul", "ol") and self.list_items is not None:
            self.flush()
            self.flowables.append(
                ListFlowable(self.list_items, bulletType=self.list_kind, leftIndent=12)
            )
            self.list_items = None

    def handle_data(self, data):
        self.text.append(escape(data))

    def flush(self):
        text = "".join(self.text).strip()
        self.text = []
        block, self.block = self.block, None
        if not text:
            return
        if block == "li" and self.list_items is not None:
            self.list_items.append(ListItem(Paragraph(text, self.styles["BodyText"])))
        elif block in ("h2", "h3", "h4"):
            self.flowables.append(Paragraph(text, self.styles["Heading3"]))
        else:
            self.flowables.append(Paragraph(text, self.styles["BodyText"]))

    def close(self):
        super().close()
        self.flush()


def rich_text(html: str, styles, base_url: str) -> list:
    parser = RichTextToFlowables(styles, base_url)
    parser.feed(expand_db_html(html or ""))
    parser.close()
    return parser.flowables


def plain(text: str, style) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def table(rows: list[list], styles, widths, header: bool = True) -> Table:
    cell = styles["BodyText"]
    data = [[plain(str(value), cell) for value in row] for row in rows]
    result = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    result.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
            ]
        )
    )
    if header:
        for column in range(len(rows[0])):
            data[0][column] = Paragraph(f"<b>{escape(str(rows[0][column]))}</b>", cell)
    return result


def date_words(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else "not set"


def statement_pdf(page, figures, base_url: str) -> bytes:
    """The published statement (`page`, as served) and the figures counted for it."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=page.title,
        author="Short breaks: the council",
        subject="Short breaks services statement",
        lang="en-GB",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    styles = getSampleStyleSheet()
    caption = ParagraphStyle("Caption", parent=styles["Heading4"], spaceBefore=10)
    width = document.width
    story: list = [Paragraph(escape(page.title), styles["Title"])]
    published = page.last_published_at
    published_on = date_words(timezone.localdate(published)) if published else "not yet"
    story.append(
        plain(
            f"Published on {published_on}. Next review by {date_words(page.review_date)}.",
            styles["BodyText"],
        )
    )
    story += rich_text(page.intro, styles, base_url)

    story.append(Paragraph("The short breaks available", styles["Heading2"]))
    story.append(
        plain(
            f"Counted from the directory on {date_words(figures.as_of)}. A service can be "
            f"counted in more than one row. Numbers from 1 to {SUPPRESS_BELOW - 1} are shown "
            f'as "fewer than {SUPPRESS_BELOW}".',
            styles["BodyText"],
        )
    )
    for figure_table in figures.tables:
        story.append(plain(figure_table.caption, caption))
        rows = [[figure_table.heading, "Number of services"]]
        rows += [[row.label, row.shown] for row in figure_table.rows]
        story.append(table(rows, styles, [width * 0.7, width * 0.3]))

    sections = [
        ("Who can have targeted and specialist short breaks", page.eligibility_criteria),
        ("How to ask for a short break", page.how_to_ask),
        ("How families' views shaped this statement", page.families_views),
    ]
    for heading, html in sections:
        story.append(Paragraph(escape(heading), styles["Heading2"]))
        story += rich_text(html, styles, base_url)

    log = list(page.consultation_log())
    if log:
        story.append(plain("Who we asked and what changed", caption))
        rows = [["Date", "Who we asked", "What they told us", "What we changed"]]
        rows += [
            [date_words(entry.date), entry.who, entry.what_they_said, entry.what_changed]
            for entry in log
        ]
        story.append(table(rows, styles, [width * 0.16, width * 0.2, width * 0.32, width * 0.32]))
    story.append(Spacer(1, 6 * mm))
    story.append(
        plain(f"This statement is online at {urljoin(base_url, page.url or '')}", styles["Italic"])
    )
    document.build(story)
    return buffer.getvalue()
