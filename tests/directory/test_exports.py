"""The organisations list and the safeguarding (DBS) list downloaded as CSV and XLSX: who may,
the list's filters and search applied, every row checked against the database, certificate
numbers masked as on the list, and no text a spreadsheet would run as a formula."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.dates import today
from directory import dbs_reviews, services
from directory.choices import CouncilRelationship, DBSCheckMethod, DBSLevel, OrganisationKind
from directory.models import DBSCheck, Organisation, StaffMember
from directory.safeguarding_views import SafeguardingIndexView
from tests.factories.directory import (
    DBSCheckFactory,
    OrganisationFactory,
    ShortBreakServicePageFactory,
    StaffMemberFactory,
)
from tests.helpers import (
    assert_denied,
    csv_rows,
    downloaded,
    xlsx_rows,
    xlsx_sheet,
    xlsx_text,
)

FORMATS = ["csv", "xlsx"]
ORGANISATIONS = reverse("organisations:index")
DBS_CHECKS = reverse("directory_admin:dbs_checks")
CERTIFICATE = "001234567890"
MASKED = "••••••••7890"


def download(client, url, export_format, **params):
    body = downloaded(client.get(url, {"export": export_format, **params}))
    return csv_rows(body) if export_format == "csv" else xlsx_rows(body)


def as_written(value, export_format):
    """A database value as the download holds it: text in a CSV; a date (read back as a
    datetime), number or text in an XLSX."""
    if value is None:
        return ""
    if export_format == "csv":
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return value


def read_back(row, export_format):
    if export_format == "csv":
        return row
    return [v.date() if isinstance(v, datetime.datetime) else v for v in row]


# --- Organisations ---------------------------------------------------------------------------

ORGANISATION_HEADINGS = [
    "Name",
    "Kind",
    "Council relationship",
    "Email",
    "Phone",
    "Website",
    "Postcode",
    "Ofsted URN",
    "CQC location ID",
    "Public liability insurer",
    "Insurance expires on",
    "Listings",
    "Created on",
]


@pytest.fixture
def organisations(org_a, org_b):
    blyth = OrganisationFactory(
        name="Blyth Valley Play",
        kind=OrganisationKind.COUNCIL,
        council_relationship=CouncilRelationship.BLOCK,
        ofsted_urn="EY123456",
        cqc_location_id="1-123456789",
        website="https://blyth.example.org/",
    )
    ShortBreakServicePageFactory(organisation=org_a)
    ShortBreakServicePageFactory(organisation=org_a, live=False)
    ShortBreakServicePageFactory(organisation=blyth)
    return [org_a, org_b, blyth]


def organisation_row(organisation, export_format):
    values = [
        organisation.name,
        organisation.get_kind_display(),
        organisation.get_council_relationship_display(),
        organisation.email,
        organisation.phone,
        organisation.website,
        organisation.postcode,
        organisation.ofsted_urn,
        organisation.cqc_location_id,
        organisation.insurer,
        organisation.insurance_expiry,
        organisation.listings.count(),
        timezone.localdate(organisation.created_at),
    ]
    return [as_written(value, export_format) for value in values]


@pytest.mark.parametrize("export_format", FORMATS)
def test_council_staff_download_the_organisations_a_row_each(
    client, moderator, organisations, export_format
):
    client.force_login(moderator)
    rows = download(client, ORGANISATIONS, export_format)
    assert rows[0] == ORGANISATION_HEADINGS
    expected = [
        organisation_row(organisation, export_format)
        for organisation in Organisation.objects.order_by("name")
    ]
    assert [read_back(row, export_format) for row in rows[1:]] == expected
    assert {row[0]: row[11] for row in rows[1:]}["Tynedale Short Breaks"] in ("2", 2)


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"kind": "charity"}, ["Tynedale Short Breaks"]),
        ({"council_relationship": "block"}, ["Blyth Valley Play"]),
        ({"q": "coquet"}, ["Coquet Valley Care"]),
        ({"kind": "private", "q": "tynedale"}, []),
    ],
    ids=["kind", "council-relationship", "search", "nothing"],
)
def test_the_organisations_download_has_the_filters_and_search_applied(
    client, moderator, organisations, export_format, params, names
):
    client.force_login(moderator)
    rows = download(client, ORGANISATIONS, export_format, **params)
    assert rows[0] == ORGANISATION_HEADINGS
    assert [row[0] for row in rows[1:]] == names
    for row in rows[1:]:
        organisation = Organisation.objects.get(name=row[0])
        assert read_back(row, export_format) == organisation_row(organisation, export_format)


def test_the_organisations_list_shows_download_buttons_keeping_its_filters(
    client, moderator, organisations
):
    client.force_login(moderator)
    content = client.get(ORGANISATIONS, {"kind": "charity"}).content.decode()
    assert "Download CSV" in content and "Download XLSX" in content
    assert "kind=charity&amp;export=csv" in content


@pytest.mark.parametrize("role", ["provider_a", "family", "broker", None])
def test_only_those_who_may_see_the_organisations_may_download_them(
    client, request, organisations, role
):
    if role:
        client.force_login(request.getfixturevalue(role))
    for export_format in FORMATS:
        response = client.get(ORGANISATIONS, {"export": export_format})
        assert_denied(response)
        assert b"Tynedale" not in response.content


def test_an_organisation_named_like_a_formula_is_text_in_both_downloads(
    client, moderator, directory
):
    OrganisationFactory(name="=cmd|' /C calc'!A0", phone="+44 191 498 0000")
    client.force_login(moderator)
    (row,) = download(client, ORGANISATIONS, "csv")[1:]
    assert row[0] == "'=cmd|' /C calc'!A0" and row[4] == "'+44 191 498 0000"
    body = downloaded(client.get(ORGANISATIONS, {"export": "xlsx"}))
    assert "<f>" not in xlsx_text(body)
    cell = xlsx_sheet(body)["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=cmd|' /C calc'!A0", "s", True)


# --- Safeguarding: DBS checks ----------------------------------------------------------------

DBS_HEADINGS = [
    "Person",
    "Role",
    "Organisation",
    "Level",
    "Certificate",
    "Council review",
    "Status",
    "Issued",
    "Next due",
    "Verified on",
]


@pytest.fixture
def people(org_a, org_b, provider_a, moderator):
    priya = StaffMember.objects.create(organisation=org_a, full_name="Priya Shah", role="Support")
    services.dbs_check_submit(
        user=provider_a,
        person=priya,
        level=DBSLevel.ENHANCED_CHILDREN,
        certificate_number=CERTIFICATE,
        issue_date=today() - datetime.timedelta(days=100),
    )
    bob = StaffMember.objects.create(organisation=org_b, full_name="Bob Hall", role="Driver")
    dbs_reviews.dbs_check_verify(
        user=moderator,
        check=DBSCheckFactory(person=bob, verified=False, refresh=False),
        method=DBSCheckMethod.CERTIFICATE,
    )
    nobody = StaffMember.objects.create(organisation=org_a, full_name="Alex Young")
    return {"priya": priya, "bob": bob, "nobody": nobody}


def dbs_row(person, export_format):
    check = DBSCheck.objects.filter(person=person).order_by("-issue_date", "-pk").first()
    if check is None:
        values = [person.full_name, person.role, person.organisation.name]
        values += ["", "", "", "No DBS check recorded", None, None, None]
    else:
        values = [
            person.full_name,
            person.role,
            person.organisation.name,
            check.get_level_display(),
            "••••••••" + check.certificate_number[-4:],
            check.get_review_display(),
            check.status(today()).label,
            check.issue_date,
            check.next_due_date,
            timezone.localdate(check.verified_at) if check.verified_at else None,
        ]
    return [as_written(value, export_format) for value in values]


@pytest.mark.parametrize("export_format", FORMATS)
def test_council_staff_download_the_dbs_list_with_certificates_masked(
    client, moderator, people, export_format
):
    client.force_login(moderator)
    body = downloaded(client.get(DBS_CHECKS, {"export": export_format}))
    rows = csv_rows(body) if export_format == "csv" else xlsx_rows(body)
    assert rows[0] == DBS_HEADINGS
    # In the list's order: by organisation, then name.
    expected = [people["bob"], people["nobody"], people["priya"]]
    assert [read_back(row, export_format) for row in rows[1:]] == [
        dbs_row(person, export_format) for person in expected
    ]
    assert rows[3][4] == MASKED  # exactly as the list shows it
    assert rows[3][6] == "Self-declared, not yet verified"
    assert rows[1][5] == "Verified by the council"
    # The full number nowhere in the file: not in the CSV, not in any part of the XLSX.
    text = body.decode("utf-8") if export_format == "csv" else xlsx_text(body)
    assert MASKED in text
    for check in DBSCheck.objects.all():
        assert check.certificate_number not in text
        assert check.certificate_number.encode() not in body


@pytest.mark.parametrize("export_format", FORMATS)
@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"organisation": "org_b"}, ["Bob Hall"]),
        ({"status": "none"}, ["Alex Young"]),
        ({"status": "awaiting"}, ["Priya Shah"]),
        ({"name": "priya"}, ["Priya Shah"]),
        ({"organisation": "org_a", "name": "bob"}, []),
    ],
    ids=["organisation", "no-check", "awaiting", "name", "nothing"],
)
def test_the_dbs_download_has_the_lists_filters_applied(
    client, request, moderator, people, export_format, params, names
):
    if "organisation" in params:
        params = {**params, "organisation": request.getfixturevalue(params["organisation"]).pk}
    client.force_login(moderator)
    rows = download(client, DBS_CHECKS, export_format, **params)
    assert rows[0] == DBS_HEADINGS
    assert [row[0] for row in rows[1:]] == names
    by_name = {person.full_name: person for person in people.values()}
    for row in rows[1:]:
        assert read_back(row, export_format) == dbs_row(by_name[row[0]], export_format)


def test_the_dbs_list_shows_council_staff_download_buttons_keeping_its_filters(
    client, moderator, people
):
    client.force_login(moderator)
    content = client.get(DBS_CHECKS, {"status": "none"}).content.decode()
    assert "Add a person" in content
    assert "Download CSV" in content and "Download XLSX" in content
    assert "status=none&amp;export=csv" in content


def test_a_provider_sees_their_own_dbs_list_but_may_not_download_it(client, provider_a, people):
    client.force_login(provider_a)
    page = client.get(DBS_CHECKS)
    assert page.status_code == 200 and b"Priya Shah" in page.content
    assert b"Download CSV" not in page.content and b"export=csv" not in page.content
    for export_format in FORMATS:
        response = client.get(DBS_CHECKS, {"export": export_format})
        assert_denied(response)
        assert b"Priya" not in response.content


@pytest.mark.parametrize("role", ["family", "broker", "coordinator", None])
def test_nobody_else_may_download_the_dbs_list(client, request, people, role):
    if role:
        client.force_login(request.getfixturevalue(role))
    for export_format in FORMATS:
        response = client.get(DBS_CHECKS, {"export": export_format})
        assert_denied(response)
        assert b"Priya" not in response.content


def test_the_dbs_download_reads_people_and_checks_a_chunk_at_a_time(
    client, moderator, people, org_a, monkeypatch
):
    for _ in range(4):
        DBSCheckFactory(person=StaffMemberFactory(organisation=org_a), refresh=False)
    monkeypatch.setattr(SafeguardingIndexView, "export_chunk_size", 2)
    client.force_login(moderator)
    rows = download(client, DBS_CHECKS, "csv")
    assert len(rows) == StaffMember.objects.count() + 1
    people_by_name = {person.full_name: person for person in StaffMember.objects.all()}
    for row in rows[1:]:
        assert row == dbs_row(people_by_name[row[0]], "csv")
