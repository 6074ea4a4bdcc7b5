"""Families' and young people's views, counted by theme: what young auditors said about the
settings that hold a kitemark today (the comments the coordinator published, and the panel's
public summary), and what families and young people said at reviews of agreed support held in
the period (`brokerage.Review`). A comment counts once under every theme whose words it uses
(a small fixed list, below and in docs/workflows/sufficiency.md). Only counts leave this
module: a family's or young person's words from a review are never shown or downloaded."""

import re

from brokerage.models import Review
from kitemark.models import Answer, Audit

from .filters import Filters
from .supply import listings
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


def count_themes(texts) -> dict[str, int]:
    counts = dict.fromkeys([theme for theme, _words in THEMES] + [OTHER], 0)
    for text in texts:
        if not text or not text.strip():
            continue
        found = themes_of(text)
        for theme in found or [OTHER]:
            counts[theme] += 1
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


def voices_table(filters: Filters) -> Table:
    quotes, summaries = kitemark_texts(filters)
    family, young = review_texts(filters)
    columns = {
        "quotes": count_themes(quotes),
        "summaries": count_themes(summaries),
        "family": count_themes(family),
        "young": count_themes(young),
    }
    labels = [theme for theme, _words in THEMES] + [OTHER]
    rows = [[label, *(columns[key][label] for key in columns)] for label in labels]
    said = {label: sum(columns[key][label] for key in columns) for label in labels[:-1]}
    top = max(said, key=lambda label: said[label]) if any(said.values()) else None
    n_young = sum(1 for text in young if text and text.strip())
    summary = (
        f"{plural(len(quotes), 'published young auditor quote')}, "
        f"{plural(len(summaries), 'kitemark panel summary', 'kitemark panel summaries')}, "
        f"{plural(sum(1 for t in family if t and t.strip()), 'family review comment')} and "
        f"{plural(n_young, 'young person review comment')}; "
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


def voices_tables(filters: Filters) -> list[Table]:
    return [voices_table(filters)]
