"""A dashboard table: its caption, the plain-English sentence above it, its columns and rows,
and the same figures as a CSV download with small numbers suppressed."""

from dataclasses import dataclass, field

from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.admin_export import csv_lines
from core.disclosure import SUPPRESSED, is_small

# Column kinds: a row's name; a count (of listings, searches, requests: suppressed 1-4 in a
# download); a count shown with its share of the row's first count on screen; a figure that is
# not a count of people or services (capacity, median days: written as it is); words that are
# not the row's name (a ward's council: written as they are).
BAR_HEIGHT, BAR_STEP, LABEL_WIDTH, BAR_WIDTH = 18, 24, 260, 360

LABEL = "label"
COUNT = "count"
SHARE = "share"
NUMBER = "number"
TEXT = "text"


@dataclass
class Column:
    label: str
    kind: str = COUNT


@dataclass
class Table:
    id: str
    caption: str
    summary: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    note: str = ""
    chart: bool = True  # a bar chart of the first count beside the table
    shown: int | None = None  # on screen, only the first rows (the download has them all)
    as_at: str = ""  # when the figures were counted ("7 December 2026, 04:30")
    counted_now: bool = False  # counted as the page is made, though its section is counted daily
    # Places to mark on a map beside the table (the rows on screen): name, latitude, longitude
    # and the words a marker says. None: the table has no map.
    points: list[dict] | None = None

    @property
    def map_data_id(self) -> str:
        return f"{self.id}-points"

    @property
    def screen_rows(self) -> list[list]:
        return self.rows if self.shown is None else self.rows[: self.shown]

    @property
    def bars(self) -> dict | None:
        """A horizontal bar chart of each row's first count, laid out for an inline SVG."""
        if not self.chart or not self.rows:
            return None
        index = next(i for i, column in enumerate(self.columns) if column.kind == COUNT)
        values = [(str(row[0]), row[index] or 0) for row in self.screen_rows]
        most = max(value for _label, value in values) or 1
        bars = [
            {
                "label": label,
                "value": value,
                "y": i * BAR_STEP,
                "text_y": i * BAR_STEP + BAR_HEIGHT - 4,
                "width": round(BAR_WIDTH * value / most),
                "value_x": LABEL_WIDTH + round(BAR_WIDTH * value / most) + 6,
            }
            for i, (label, value) in enumerate(values)
        ]
        described = "; ".join(f"{label}: {value:,}" for label, value in values)
        return {
            "bars": bars,
            "height": len(bars) * BAR_STEP,
            "width": LABEL_WIDTH + BAR_WIDTH + 60,
            "label_width": LABEL_WIDTH,
            "bar_height": BAR_HEIGHT,
            "aria_label": f"Bar chart of {self.caption.lower()}, "
            f"{self.columns[index].label.lower()}: {described}",
        }

    @property
    def filename(self) -> str:
        return f"{self.id}.csv"

    def cells(self):
        """Each row as (value, share) pairs for the screen: a share column's percentage of the
        row's first count."""
        for row in self.screen_rows:
            total = next(
                (
                    value
                    for value, column in zip(row, self.columns, strict=True)
                    if column.kind == COUNT
                ),
                None,
            )
            yield [
                (value, percent(value, total) if column.kind == SHARE else None, column.kind)
                for value, column in zip(row, self.columns, strict=True)
            ]

    def chart_svg(self) -> str:
        """The bar chart as inline SVG (role img, its figures in the label), or "" for none."""
        chart = self.bars
        if not chart:
            return ""
        parts = []
        for bar in chart["bars"]:
            parts.append(
                format_html(
                    '<text x="0" y="{}" font-size="13" fill="currentColor">{}</text>'
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="#007d7e"></rect>'
                    '<text x="{}" y="{}" font-size="13" fill="currentColor">{}</text>',
                    bar["text_y"],
                    Truncator(str(bar["label"])).chars(38),
                    chart["label_width"],
                    bar["y"],
                    bar["width"],
                    chart["bar_height"],
                    bar["value_x"],
                    bar["text_y"],
                    shown(bar["value"]),
                )
            )
        return format_html(
            '<svg class="w-mb-4" role="img" aria-label="{}" width="{}" height="{}" '
            'viewBox="0 0 {} {}" style="max-width: 100%; height: auto;">{}</svg>',
            chart["aria_label"],
            chart["width"],
            chart["height"],
            chart["width"],
            chart["height"],
            mark_safe("".join(parts)),  # noqa: S308 (each part escaped above)
        )

    def body_html(self) -> str:
        """The table's rows on screen as HTML (a row's name as its header cell, a share after
        its count, "-" for no figure). Made here rather than by template loops: the dashboard
        shows a few thousand cells, and the template engine took most of the page's time."""
        rows = []
        for row in self.cells():
            cells = []
            for value, share, kind in row:
                if kind == LABEL:
                    cells.append(format_html('<th scope="row">{}</th>', shown(value)))
                elif value is None:
                    cells.append(mark_safe("<td>-</td>"))  # noqa: S308 (a constant)
                elif share:
                    cells.append(format_html("<td>{} ({})</td>", shown(value), share))
                else:
                    cells.append(format_html("<td>{}</td>", shown(value)))
            rows.append(format_html("<tr>{}</tr>", mark_safe("".join(cells))))  # noqa: S308
        return mark_safe("\n".join(rows))  # noqa: S308 (each part escaped above)

    def csv_rows(self):
        yield [column.label for column in self.columns]
        for row in self.rows:
            yield [
                suppress(value) if column.kind in (COUNT, SHARE) else blank_none(value)
                for value, column in zip(row, self.columns, strict=True)
            ]
        if self.as_at:
            yield [f"Figures as at {self.as_at}"]

    def csv(self):
        return csv_lines(self.csv_rows())


def shown(value) -> str:
    """A value as the template engine would write it (localised, then escaped)."""
    return conditional_escape(localize(value))


def percent(part, whole) -> str:
    if not whole or part is None:
        return ""
    return f"{round(100 * part / whole)}%"


def suppress(value):
    """A count for publication: 1 to 4 as "fewer than 5", so nobody can be picked out."""
    return SUPPRESSED if is_small(value) else value


def blank_none(value):
    return "" if value is None else value


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"
