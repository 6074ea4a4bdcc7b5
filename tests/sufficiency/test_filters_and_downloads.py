"""Filters change the figures; bad filter values are reported and ignored, never a 500; every
table downloads as CSV with counts of 1 to 4 suppressed; the page is accessible tables."""

import datetime

import pytest

from core.dates import add_months, today
from tests.factories.directory import NEWCASTLE, NORTHUMBERLAND, weekdays
from tests.helpers import downloaded

from .helpers import DASHBOARD, csv_download, rows, sign_in, tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, moderator, everything):
    sign_in(client, moderator)
    return client


def get(client, **params):
    return tables(client.get(DASHBOARD, params))


def total(found) -> int:
    return rows(found["supply-kind"])["All kinds"][0]


def test_council_filter_narrows_supply_demand_and_brokerage(signed_in):
    found = get(signed_in, council=NEWCASTLE)
    assert total(found) == 1  # city
    assert rows(found["demand-council"]) == {"Newcastle upon Tyne": [2, 2, 0]}
    assert rows(found["demand-out-of-area"]) == {}
    assert rows(found["brokerage"])["Sent to a broker"] == [1, None]
    assert [sum(row[i] for row in found["trends"].rows) for i in range(1, 5)] == [2, 1, 0, 1]


def test_kind_need_and_age_filters(signed_in):
    found = get(signed_in, kind="personal_assistant")
    assert total(found) == 1
    assert rows(found["demand-council"]) == {"Newcastle upon Tyne": [2, 2, 0]}

    found = get(signed_in, need="adhd")
    assert total(found) == 1  # club
    assert rows(found["demand-council"]) == {"Northumberland": [1, 0, 1]}

    found = get(signed_in, age_band="0-4")
    assert total(found) == 1  # sb2
    found = get(signed_in, age_band="5-10")
    assert total(found) == 2
    assert rows(found["demand-council"]) == {"Northumberland": [3, 3, 0]}
    assert rows(found["brokerage"])["Sent to a broker"] == [1, None]  # r2, age 7
    assert rows(found["brokerage-outcomes"])["No suitable provider"] == [1, 5]
    assert rows(found["brokerage-outcomes"])["Matched"] == [0, None]


def test_rural_urban_filter_uses_the_ons_class_of_the_listings_postcode(signed_in, rural_classes):
    assert total(get(signed_in, area="rural")) == 1  # sb1
    assert total(get(signed_in, area="urban")) == 4
    found = get(signed_in, area="rural")
    assert rows(found["demand-council"]) == {"Northumberland": [4, 3, 1]}


def test_rural_filter_without_the_classification_says_so(signed_in):
    response = signed_in.get(DASHBOARD, {"area": "rural"})
    assert total(tables(response)) == 0
    assert "rural-urban classification has not been imported" in response.content.decode()


def test_the_period_narrows_demand_and_trends(signed_in):
    long_ago = today() - datetime.timedelta(days=800)
    month = long_ago.strftime("%Y-%m")
    found = get(signed_in, from_month=month, to_month=month)
    assert [row[0] for row in found["trends"].rows] == [long_ago.strftime("%B %Y")]
    assert rows(found["demand-council"]) == {"Northumberland": [1, 1, 0]}
    assert rows(found["brokerage"])["Sent to a broker"] == [0, None]
    assert total(found) == 5  # supply is today's directory, whatever the period

    start = add_months(today().replace(day=1), -2).strftime("%Y-%m")
    assert len(get(signed_in, from_month=start)["trends"].rows) == 3


@pytest.mark.parametrize(
    "params, message",
    [
        ({"council": "E99999999"}, "We do not know that council"),
        ({"council": "<script>"}, "We do not know that council"),
        ({"kind": "castle"}, "That is not a kind of service"),
        ({"need": "nonsense"}, "We do not know that need"),
        ({"age_band": "7-70"}, "That is not one of the age bands"),
        ({"area": "moon"}, "Choose rural or urban"),
        ({"from_month": "garbage"}, "Enter a month as year and month"),
        ({"to_month": "2026-13"}, "Enter a month as year and month"),
        ({"from_month": "1066-10"}, "Enter a month as year and month"),
        ({"from_month": "2026-05", "to_month": "2026-01"}, "The first month is after the last"),
        ({"from_month": "2001-01", "to_month": "2026-01"}, "A period is at most 60 months"),
    ],
)
def test_bad_filter_values_are_reported_and_ignored(signed_in, params, message):
    response = signed_in.get(DASHBOARD, params)
    found = tables(response)
    html = response.content.decode()
    assert message in html
    assert total(found) == 5  # every council, kind, need, age, area
    if "60 months" not in message:
        assert len(found["trends"].rows) == 12  # the default period
    assert "<script>" not in html.split("<body")[1].split("</main>")[0]


def test_bad_filters_still_download(signed_in):
    body = csv_download(signed_in, "supply-kind.csv", council="nope", from_month="x")
    assert body[-1][0] == "All kinds"


def test_csv_downloads_suppress_counts_of_one_to_four(signed_in):
    assert csv_download(signed_in, "supply-kind.csv") == [
        [
            "Kind",
            "Listings",
            "Places now",
            "Hours a week now",
            "DBS-verified",
            "Kitemarked",
            "Up to date",
            "Space now",
        ],
        [
            "Short break services",
            "fewer than 5",
            "6",
            "0",
            "0",
            "fewer than 5",
            "fewer than 5",
            "fewer than 5",
        ],
        [
            "Personal assistants",
            "fewer than 5",
            "0",
            "10",
            "fewer than 5",
            "0",
            "fewer than 5",
            "fewer than 5",
        ],
        [
            "Inclusive clubs and activities",
            "fewer than 5",
            "6",
            "0",
            "0",
            "0",
            "fewer than 5",
            "fewer than 5",
        ],
        [
            "All kinds",
            "5",
            "12",
            "10",
            "fewer than 5",
            "fewer than 5",
            "fewer than 5",
            "fewer than 5",
        ],
    ]
    brokerage = csv_download(signed_in, "brokerage.csv")
    assert brokerage[0] == ["Figure", "Requests", "Median days"]
    assert brokerage[6] == ["Had a first offer sent to a provider", "fewer than 5", "1.5"]
    assert brokerage[5] == ["Withdrawn", "0", ""]
    trends = csv_download(signed_in, "trends.csv")
    assert trends[-1] == [today().strftime("%B %Y"), "7", "fewer than 5", "fewer than 5", "5"]


def test_every_table_on_the_page_downloads(signed_in):
    response = signed_in.get(DASHBOARD)
    for table_id in tables(response):
        assert f"download={table_id}.csv" in response.content.decode()
        assert csv_download(signed_in, f"{table_id}.csv")[0]


def test_a_download_keeps_the_filters(signed_in):
    response = signed_in.get(DASHBOARD, {"council": NORTHUMBERLAND})
    assert f"?council={NORTHUMBERLAND}" in response.content.decode()
    body = csv_download(signed_in, "supply-kind.csv", council=NEWCASTLE)
    assert body[-1][1] == "fewer than 5"  # one listing in Newcastle


def test_an_unknown_download_is_not_found(signed_in):
    assert signed_in.get(DASHBOARD, {"download": "secrets.csv"}).status_code == 404


def test_a_csv_download_defuses_formulas(signed_in, listings):
    from directory.models import ServiceType

    ServiceType.objects.create(name="=HYPERLINK(1)", slug="formula")
    body = downloaded(signed_in.get(DASHBOARD, {"download": "supply-service-type.csv"}))
    assert b"'=HYPERLINK(1)" in body


def test_each_table_has_a_summary_caption_and_scoped_headers(signed_in):
    response = signed_in.get(DASHBOARD)
    html = response.content.decode()
    found = tables(response)
    assert len(found) == 18
    for table in found.values():
        summary = html.index(f"<p>{table.summary}</p>".replace("'", "&#x27;"))
        caption = html.index(f'<caption class="w-sr-only">{table.caption}</caption>')
        assert summary < caption, table.id
    assert '<th scope="col">Listings</th>' in html
    assert '<th scope="row">All kinds</th>' in html
    assert "There are 5 listings in the directory" in html
    assert '<form method="get"' in html


def test_weekday_names(db):
    assert [str(day) for day in weekdays(6, 7)] == ["Saturday", "Sunday"]


def test_tables_have_a_bar_chart_described_for_screen_readers(signed_in):
    response = signed_in.get(DASHBOARD)
    html = response.content.decode()
    kind = tables(response)["supply-kind"]
    assert kind.bars["aria_label"] == (
        "Bar chart of listings in the directory by kind, listings: Short break services: 3; "
        "Personal assistants: 1; Inclusive clubs and activities: 1; All kinds: 5"
    )
    assert f'role="img" aria-label="{kind.bars["aria_label"]}"' in html
    assert [bar["width"] for bar in kind.bars["bars"]] == [216, 72, 72, 360]
    assert tables(response)["brokerage"].bars is None
    assert html.count('role="img"') == 17
