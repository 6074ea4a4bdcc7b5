"""Families' and young people's views, counted by theme: what young auditors said about the
settings that hold a kitemark today (the comments the coordinator published, and the panel's
public summary), and what families and young people said at reviews of agreed support held in
the period (`brokerage.Review`). A comment counts once under every theme whose words it uses
(a small fixed list, below and in docs/workflows/sufficiency.md). Only counts leave this
module: a family's or young person's words from a review are never shown or downloaded.

The daily job (`refresh.py`) counts them into `VoicesCount` (`count_voices_daily`), under every
filter a comment satisfies, so that the dashboard reads a few rows of an index instead of
reading thousands of comments for their themes on every view."""

import re
from collections import Counter

from django.db.models import Sum
from django.db.models.functions import TruncMonth

from brokerage.models import Review
from directory.models import ListingPage
from kitemark.models import Answer, Audit

from .filters import Filters
from .models import ALL, VoicesCount
from .reach_count import filter_keys
from .supply import listings, rural_q
from .tables import COUNT, LABEL, Column, Table, plural

# Theme -> its words, matched whatever the case; a word ending in * is the start of a word
# ("travel*" matches "travelling"), any other a whole word ("fun" is not "funding").
THEMES = [
    (
        "Travel and distance",
        (
            "travel*",
            "distance*",
            "far",
            "journey*",
            "bus",
            "buses",
            "taxi*",
            "transport*",
            "drive",
            "driving",
        ),
    ),
    ("Waiting", ("wait*", "delay*", "queue*")),
    ("Staff", ("staff*", "worker*", "carer*", "leader*", "helper*", "volunteer*")),
    ("Activities and fun", ("activit*", "fun", "game*", "play*", "trip*", "craft*", "enjoy*")),
    ("Feeling safe", ("safe*", "unsafe*", "scared", "bully*", "bullied", "worried", "worry")),
    (
        "Communication",
        ("communicat*", "listen*", "explain*", "makaton", "signing", "talk*", "told"),
    ),
    ("Cost", ("cost*", "price*", "afford*", "expensive", "money", "pay", "paid", "fee", "fees")),
    (
        "Times: evenings, weekends, holidays",
        (
            "evening*",
            "weekend*",
            "saturday*",
            "sunday*",
            "holiday*",
            "after school",
            "overnight",
            "half term",
            "hours",
        ),
    ),
]
OTHER = "No theme found"
COMMENTS = ""  # the count of comments, beside their themes
LABELS = [theme for theme, _words in THEMES] + [OTHER]
KITEMARK, REVIEWS = ("quotes", "summaries"), ("family", "young")
BATCH = 5000


def alternatives(words) -> str:
    return "|".join(
        re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word) + r"\b"
        for word in words
    )


# Every theme's words in one pattern, a named group a theme: one pass over a comment finds all
# its themes, rather than a pass for each theme (the dashboard reads thousands of comments).
EVERY_THEME = re.compile(
    r"\b(?:"
    + "|".join(f"(?P<t{i}>{alternatives(words)})" for i, (_theme, words) in enumerate(THEMES))
    + ")",
    re.IGNORECASE,
)
GROUPS = {f"t{i}": theme for i, (theme, _words) in enumerate(THEMES)}


def themes_of(text: str) -> list[str]:
    found = {match.lastgroup for match in EVERY_THEME.finditer(text)}
    return [theme for group, theme in GROUPS.items() if group in found]


def counted_under(text: str) -> list[str]:
    """What a comment counts under: its themes (or "No theme found") and the comments; nothing
    for a blank one."""
    if not text or not text.strip():
        return []
    return [*(themes_of(text) or [OTHER]), COMMENTS]


def count_themes(texts) -> dict[str, int]:
    """Comments by theme, and their number under `COMMENTS`."""
    counts = dict.fromkeys([*LABELS, COMMENTS], 0)
    for text in texts:
        for label in counted_under(text):
            counts[label] += 1
    return counts


def kitemark_texts(filters: Filters) -> tuple[list[str], list[str]]:
    """Published young auditors' quotes and panel summaries of the current awards of listings
    in the directory today, narrowed like supply (council, kind, need, age, rural or urban)."""
    shown = listings(filters).values("pk")
    awards = Audit.objects.current_awards().filter(listing__in=shown).order_by()
    quotes = Answer.objects.filter(assignment__audit__in=awards.values("pk"), quote_published=True)
    quote_texts = list(quotes.exclude(comment="").values_list("comment", flat=True))
    summaries = list(awards.exclude(public_summary="").values_list("public_summary", flat=True))
    return quote_texts, summaries


def review_texts(filters: Filters) -> tuple[list[str], list[str]]:
    """What families and young people said at reviews held in the period, narrowed by the
    request's council (as the reviews table). Read only to be counted."""
    reviews = Review.objects.filter(held_on__gte=filters.start, held_on__lte=filters.end)
    if filters.council:
        reviews = reviews.filter(agreement__request__local_authority_code=filters.council)
    rows = list(reviews.order_by().values_list("family_words", "young_person_words"))
    return [row[0] for row in rows], [row[1] for row in rows]


def live_columns(filters: Filters) -> dict[str, dict[str, int]]:
    """Each source's comments by theme, read and counted now."""
    quotes, summaries = kitemark_texts(filters)
    family, young = review_texts(filters)
    return {
        "quotes": count_themes(quotes),
        "summaries": count_themes(summaries),
        "family": count_themes(family),
        "young": count_themes(young),
    }


def stored_columns(filters: Filters) -> dict[str, dict[str, int]]:
    """The same, read from the daily count: a few rows of an index."""
    columns = {source: dict.fromkeys([*LABELS, COMMENTS], 0) for source in KITEMARK + REVIEWS}
    council = filters.council or ALL
    kitemark = VoicesCount.objects.filter(
        source__in=KITEMARK,
        council=council,
        kind=filters.kind or ALL,
        need=filters.need or ALL,
        age_band=filters.age_band[2] if filters.age_band else ALL,
    )
    if filters.rural is not None:
        kitemark = kitemark.filter(rural=filters.rural)
    reviews = VoicesCount.objects.filter(
        source__in=REVIEWS,
        council=council,
        kind=ALL,
        need=ALL,
        age_band=ALL,
        month__gte=filters.start,
        month__lte=filters.end,
    )
    for qs in (kitemark, reviews):
        for source, theme, n in (
            qs.order_by()
            .values("source", "theme")
            .annotate(n=Sum("n"))
            .values_list("source", "theme", "n")
        ):
            columns[source][theme] += n
    return columns


def count_voices_daily() -> int:
    """Count every comment under each filter it satisfies, into `VoicesCount` (the caller holds
    the transaction and has emptied the table). Returns the number of rows written."""
    counts: Counter = Counter()
    shown = ListingPage.objects.in_directory().order_by()
    awards = Audit.objects.current_awards().filter(listing__in=shown.values("pk")).order_by()
    texts = [
        ("summaries", pk, text)
        for pk, text in awards.exclude(public_summary="").values_list(
            "listing_id", "public_summary"
        )
    ]
    quotes = Answer.objects.filter(assignment__audit__in=awards.values("pk"), quote_published=True)
    texts += [
        ("quotes", pk, text)
        for pk, text in quotes.exclude(comment="")
        .order_by()
        .values_list("assignment__audit__listing_id", "comment")
    ]
    awarded = shown.filter(pk__in=awards.values("listing_id"))
    keys = filter_keys(awarded)
    council_of = dict(awarded.values_list("pk", "local_authority_code"))
    rural_of = dict.fromkeys(awarded.filter(rural_q(True)).values_list("pk", flat=True), True)
    rural_of |= dict.fromkeys(awarded.filter(rural_q(False)).values_list("pk", flat=True), False)
    for source, pk, text in texts:
        for label in counted_under(text):
            for council in (council_of[pk], ALL):
                for kind, need, band in keys[pk]:
                    counts[source, council, kind, need, band, rural_of.get(pk), None, label] += 1

    reviews = (
        Review.objects.order_by()
        .annotate(month=TruncMonth("held_on"))
        .values_list(
            "month",
            "agreement__request__local_authority_code",
            "family_words",
            "young_person_words",
        )
    )
    for month, council, family, young in reviews.iterator():
        for source, text in (("family", family), ("young", young)):
            for label in counted_under(text):
                for where in (council or "", ALL):
                    counts[source, where, ALL, ALL, ALL, None, month, label] += 1

    fields = ("source", "council", "kind", "need", "age_band", "rural", "month", "theme")
    VoicesCount.objects.bulk_create(
        (VoicesCount(n=n, **dict(zip(fields, key, strict=True))) for key, n in counts.items()),
        batch_size=BATCH,
    )
    return len(counts)


def voices_table(filters: Filters, stored: bool = False) -> Table:
    columns = stored_columns(filters) if stored else live_columns(filters)
    rows = [[label, *(columns[key][label] for key in columns)] for label in LABELS]
    said = {label: sum(columns[key][label] for key in columns) for label in LABELS[:-1]}
    top = max(said, key=lambda label: said[label]) if any(said.values()) else None
    comments = {key: column[COMMENTS] for key, column in columns.items()}
    summary = (
        f"{plural(comments['quotes'], 'published young auditor quote')}, "
        f"{plural(comments['summaries'], 'kitemark panel summary', 'kitemark panel summaries')}, "
        f"{plural(comments['family'], 'family review comment')} and "
        f"{plural(comments['young'], 'young person review comment')}; "
        + (
            f"the theme mentioned most: {top.lower()} ({said[top]:,})."
            if top
            else "none mentions a theme."
        )
    )
    return Table(
        id="voices-themes",
        caption="What young people and families said, by theme",
        summary=summary,
        columns=[
            Column("Theme", LABEL),
            Column("Young auditors' published quotes", COUNT),
            Column("Kitemark panel summaries", COUNT),
            Column("Families at reviews", COUNT),
            Column("Young people at reviews", COUNT),
        ],
        rows=rows,
        note=(
            "A comment counts once under each theme whose words it uses, so the rows add up to "
            "more than the comments. Kitemark: current awards of listings in the directory today. "
            "Reviews: held in the period. Only counts are shown: never a family's words."
        ),
    )


def voices_tables(filters: Filters, stored: bool = False) -> list[Table]:
    return [voices_table(filters, stored)]
