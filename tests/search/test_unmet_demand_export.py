"""Unmet demand downloaded as CSV and XLSX by commissioners: councils by name as well as code,
the list's filters and search applied, rows checked against the database."""

import datetime

import pytest

from core.dates import today
from gazetteer.models import LocalAuthority
from search.models import UnmetDemand
from tests.factories.directory import NEWCASTLE, NORTHUMBERLAND
from tests.helpers import assert_denied, csv_rows, downloaded, xlsx_rows

UNMET_DEMAND = "/admin/unmet_demand/"
FORMATS = ["csv", "xlsx"]
HEADINGS = [
    "Searched on",
    "Postcode district",
    "Council code",
    "Council",
    "Rural",
    "Rural or urban by",
    "Mode",
    "Kinds",
    "Service type",
    "Needs",
    "Age band",
    "Days",
    "Source",
    "Results",
    "Radius (miles)",
    "Reasons",
]


def record(**fields) -> UnmetDemand:
    values = {
        "searched_on": today(),
        "outcode": "NE48",
        "local_authority_code": NORTHUMBERLAND,
        "rural": True,
        "classified_by": "rural-urban classification",
        "mode": "any",
        "kinds": "short_break",
        "needs": "autism",
        "age_band": "5-10",
        "days": "sat",
        "results": 0,
        "radius_miles": 10.0,
    }
    return UnmetDemand.objects.create(**{**values, **fields})


@pytest.fixture
def demand(db):
    return [
        record(),
        record(
            searched_on=today() - datetime.timedelta(days=3),
            outcode="NE1",
            local_authority_code=NEWCASTLE,
            rural=False,
            needs="adhd",
            results=2,
            radius_miles=None,
        ),
        record(outcode="NE46", source="brokerage", reasons="no_capacity", age_band="11-15"),
    ]


def download(client, export_format, **params):
    body = downloaded(client.get(UNMET_DEMAND, {"export": export_format, **params}))
    return csv_rows(body) if export_format == "csv" else xlsx_rows(body)


def row_of(item: UnmetDemand, export_format):
    council = LocalAuthority.objects.get(code=item.local_authority_code).name
    values = [
        item.searched_on,
        item.outcode,
        item.local_authority_code,
        council,
        "Yes" if item.rural else "No",
        item.classified_by,
        item.mode,
        item.kinds,
        item.service_type,
        item.needs,
        item.age_band,
        item.days,
        item.get_source_display(),
        item.results,
        item.radius_miles,
        item.reasons,
    ]
    if export_format == "csv":
        return [
            "" if v is None else v.isoformat() if isinstance(v, datetime.date) else str(v)
            for v in values
        ]
    return ["" if v is None else v for v in values]


def read_back(row, export_format):
    if export_format == "csv":
        return row
    return [v.date() if isinstance(v, datetime.datetime) else v for v in row]


@pytest.mark.parametrize("export_format", FORMATS)
def test_commissioners_download_unmet_demand_with_councils_by_name(
    client, moderator, demand, export_format
):
    client.force_login(moderator)
    rows = download(client, export_format)
    assert rows[0] == HEADINGS
    expected = UnmetDemand.objects.order_by("-searched_on", "-id")
    assert [read_back(row, export_format) for row in rows[1:]] == [
        row_of(item, export_format) for item in expected
    ]
    councils = {row[3] for row in rows[1:]}
    assert councils == {"Northumberland", "Newcastle upon Tyne"}


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize(
    ("params", "outcodes"),
    [
        ({"local_authority_code": NEWCASTLE}, ["NE1"]),
        ({"source": "brokerage"}, ["NE46"]),
        ({"rural": "true", "age_band": "5-10"}, ["NE48"]),
        ({"q": "adhd"}, ["NE1"]),
        ({"searched_on": today().isoformat()}, ["NE46", "NE48"]),
    ],
    ids=["council", "source", "rural-and-age", "search", "date"],
)
def test_the_unmet_demand_download_has_the_filters_and_search_applied(
    client, moderator, demand, export_format, params, outcodes
):
    client.force_login(moderator)
    rows = download(client, export_format, **params)
    assert rows[0] == HEADINGS
    assert sorted(row[1] for row in rows[1:]) == outcodes
    for row in rows[1:]:
        item = UnmetDemand.objects.get(pk=next(i.pk for i in demand if i.outcode == row[1]))
        assert read_back(row, export_format) == row_of(item, export_format)


def test_the_list_names_councils_and_shows_download_buttons_keeping_its_filters(
    client, moderator, demand
):
    client.force_login(moderator)
    content = client.get(UNMET_DEMAND, {"source": "brokerage"}).content.decode()
    assert "Northumberland" in content  # the column and the council filter, by name
    assert "Download CSV" in content and "Download XLSX" in content
    assert "source=brokerage&amp;export=csv" in content


@pytest.mark.parametrize("role", ["provider_a", "family", "broker", None])
def test_only_commissioners_may_download_unmet_demand(client, request, demand, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    for export_format in FORMATS:
        response = client.get(UNMET_DEMAND, {"export": export_format})
        assert_denied(response)
        assert b"NE48" not in response.content
