"""Families' and young people's views, counted by theme, against hand-counted comments:

Kitemark (sb1 awarded, Northumberland; city "not yet", Newcastle):
- sb1, published: "The staff were kind and we played games" (staff; activities and fun),
  "Too far to travel on the bus" (travel and distance).
- sb1, not published: "I felt safe here": not counted.
- sb1's public summary: "Young people felt safe and liked the Saturday activities." (feeling
  safe; activities and fun; times).
- city, published but no current award: "The waiting list is long": not counted.
Reviews (all of r1's agreement, Northumberland):
- today: family "Good" (no theme); young person blank.
- today: family "We waited weeks and it costs too much" (waiting; cost); young person "I like
  the staff and the funding is fine" (staff: "funding" is not "fun").
- 800 days ago: family "Travel is hard": before the period.
"""

import datetime
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brokerage.choices import ReviewFeeling
from brokerage.models import Agreement, Review
from core.dates import add_months, today
from directory.choices import ListingKind
from kitemark.choices import AuditStatus
from kitemark.models import Answer
from search.demand import AGE_BANDS
from sufficiency.filters import Filters, default_period, month_end
from sufficiency.models import Refresh, VoicesCount
from sufficiency.refresh import refresh_figures
from sufficiency.voices import (
    OTHER,
    THEMES,
    alternatives,
    count_themes,
    themes_of,
    voices_table,
)
from tests.factories.directory import NEWCASTLE, NORTHUMBERLAND
from tests.factories.kitemark import audit_to, make_auditor

from .helpers import DASHBOARD, csv_download, rows, sign_in, tables

pytestmark = pytest.mark.django_db

TRAVEL, WAITING, STAFF, FUN = (
    "Travel and distance",
    "Waiting",
    "Staff",
    "Activities and fun",
)
SAFE, TALK, COST, TIMES = (
    "Feeling safe",
    "Communication",
    "Cost",
    "Times: evenings, weekends, holidays",
)


@pytest.fixture
def voices(listings, brokerage, coordinator):
    auditors = [make_auditor("ruby", "Ruby"), make_auditor("kai", "Kai")]
    awarded = audit_to(
        AuditStatus.AWARDED, listing=listings["sb1"], coordinator=coordinator, auditors=auditors
    )
    answers = list(Answer.objects.filter(assignment__audit=awarded).order_by("pk"))
    assert len(answers) >= 3, "two auditors answer every standard"
    for answer in answers:
        answer.comment, answer.quote_published = "", False
    answers[0].comment, answers[0].quote_published = "The staff were kind and we played games", True
    answers[1].comment, answers[1].quote_published = "Too far to travel on the bus", True
    answers[2].comment = "I felt safe here"
    for answer in answers:
        answer.save()
    awarded.public_summary = "Young people felt safe and liked the Saturday activities."
    awarded.save()
    not_yet = audit_to(
        AuditStatus.NOT_YET, listing=listings["city"], coordinator=coordinator, auditors=auditors
    )
    Answer.objects.filter(assignment__audit=not_yet).update(
        comment="The waiting list is long", quote_published=True
    )
    agreement = Agreement.objects.get(request=brokerage["r1"])

    def review(held_on, family, young=""):
        Review.objects.create(
            agreement=agreement,
            held_on=held_on,
            feeling=ReviewFeeling.MIXED,
            family_words=family,
            young_person_words=young,
            next_review_date=today() + datetime.timedelta(days=90),
        )

    review(
        today(), "We waited weeks and it costs too much", "I like the staff and the funding is fine"
    )
    review(today() - datetime.timedelta(days=800), "Travel is hard")
    return awarded


@pytest.fixture
def signed_in(client, moderator, voices):
    sign_in(client, moderator)
    return client


def get(client, **params):
    return tables(client.get(DASHBOARD, params))["voices-themes"]


def test_themes_are_counted_from_a_fixed_word_list():
    assert themes_of("The staff were kind and we played games") == [STAFF, FUN]
    assert themes_of("Funding was fine") == []  # a whole word: "fun" is not "funding"
    assert themes_of("Too FAR to travel after school") == [TRAVEL, TIMES]
    assert themes_of("They used Makaton and signing") == [TALK]
    counts = count_themes(["Safe and cheap", "", "  ", "Nothing to add", "The fees went up"])
    assert counts[SAFE] == 1 and counts[COST] == 1 and counts[OTHER] == 1


def test_views_by_theme(signed_in):
    table = get(signed_in)
    # quotes, panel summaries, families at reviews, young people at reviews
    assert rows(table) == {
        TRAVEL: [1, 0, 0, 0],
        WAITING: [0, 0, 1, 0],
        STAFF: [1, 0, 0, 1],
        FUN: [1, 1, 0, 0],
        SAFE: [0, 1, 0, 0],
        TALK: [0, 0, 0, 0],
        COST: [0, 0, 1, 0],
        TIMES: [0, 1, 0, 0],
        OTHER: [0, 0, 1, 0],
    }
    assert table.summary == (
        "2 published young auditor quotes, 1 kitemark panel summary, 2 family review comments "
        "and 1 young person review comment; the theme mentioned most: staff (2)."
    )


def test_filters_narrow_the_views(signed_in):
    found = rows(get(signed_in, council=NEWCASTLE))
    assert all(row == [0, 0, 0, 0] for row in found.values())  # city has no current award
    found = rows(get(signed_in, council=NORTHUMBERLAND))
    assert found[STAFF] == [1, 0, 0, 1]
    found = rows(get(signed_in, kind="personal_assistant"))
    assert found[STAFF] == [0, 0, 0, 1]  # kind narrows the kitemarked listings only
    long_ago = (today() - datetime.timedelta(days=800)).strftime("%Y-%m")
    found = rows(get(signed_in, from_month=long_ago, to_month=long_ago))
    assert found[TRAVEL] == [1, 0, 1, 0]  # "Travel is hard", held then; kitemark is today's


def the_table(filters: Filters, stored: bool) -> tuple:
    table = voices_table(filters, stored)
    return table.summary, table.rows


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    council=st.sampled_from(["", NORTHUMBERLAND, NEWCASTLE, "E06000057"]),
    kind=st.sampled_from(["", *ListingKind.values]),
    need=st.sampled_from(["", "autism", "adhd", "learning-disability"]),
    band=st.sampled_from([None, *AGE_BANDS]),
    rural=st.sampled_from([None, True, False]),
    months=st.one_of(st.none(), st.tuples(st.integers(0, 30), st.integers(1, 24))),
)
def test_the_views_counted_daily_are_the_views_counted_live_for_any_filters(
    voices, rural_classes, council, kind, need, band, rural, months
):
    if not Refresh.objects.exists():
        refresh_figures()
    start, end = default_period()
    if months:
        end = month_end(add_months(today().replace(day=1), -months[0]))
        start = add_months(end.replace(day=1), 1 - months[1])
    filters = Filters(
        start=start, end=end, council=council, kind=kind, need=need, age_band=band, rural=rural
    )
    assert the_table(filters, True) == the_table(filters, False), filters


def test_the_dashboard_reads_the_views_from_the_daily_count_until_the_next(signed_in, brokerage):
    refresh_figures()
    assert VoicesCount.objects.exists()
    Review.objects.create(
        agreement=Agreement.objects.get(request=brokerage["r1"]),
        held_on=today(),
        feeling=ReviewFeeling.WELL,
        family_words="The bus never came",
        young_person_words="",
        next_review_date=today() + datetime.timedelta(days=90),
    )
    assert rows(get(signed_in))[TRAVEL] == [1, 0, 0, 0]  # as at the count
    refresh_figures()
    assert rows(get(signed_in))[TRAVEL] == [1, 0, 1, 0]


def test_a_familys_words_are_never_shown_or_downloaded(signed_in):
    html = signed_in.get(DASHBOARD).content.decode()
    body = csv_download(signed_in, "voices-themes.csv")
    text = html + repr(body)
    for words in ("waited weeks", "costs too much", "funding is fine", "Travel is hard"):
        assert words not in text


def test_voices_download_suppresses_small_counts(signed_in):
    body = csv_download(signed_in, "voices-themes.csv")
    assert body[0] == [
        "Theme",
        "Young auditors' published quotes",
        "Kitemark panel summaries",
        "Families at reviews",
        "Young people at reviews",
    ]
    assert body[3] == [STAFF, "fewer than 5", "0", "0", "fewer than 5"]
    assert len(body) == 10


def test_the_views_table_is_on_the_page(signed_in):
    html = signed_in.get(DASHBOARD).content.decode()
    assert 'id="section-voices"' in html
    assert "What young people and families said, by theme</caption>" in html
    assert "download=voices-themes.csv" in html


WORDS = [word.rstrip("*") for _theme, words in THEMES for word in words] + [
    "funding",
    "feel",
    "farm",
    "the",
    "Travelling",
    "SAFE",
]


@given(
    st.lists(
        st.tuples(st.sampled_from(WORDS), st.sampled_from(["", "ing", "s", "ly", "-"])).map(
            "".join
        ),
        max_size=12,
    ).map(" ".join)
)
def test_one_pass_finds_the_same_themes_as_a_search_for_each_theme(text):
    """The dashboard finds every theme in one pass over a comment: the same themes, in the
    same order, as searching the comment once for each theme's words (whole words and word
    starts alike: "fee" is a theme's word, "feeling" is not)."""
    one_by_one = [
        theme
        for theme, words in THEMES
        if re.search(r"\b(?:" + alternatives(words) + ")", text, re.IGNORECASE)
    ]
    assert themes_of(text) == one_by_one
