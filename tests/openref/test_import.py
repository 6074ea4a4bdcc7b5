"""Council staff import listings from a spreadsheet or an Open Referral UK feed: a dry run
first, nothing written until they say, bad rows reported and skipped, importing again updates."""

import csv
import http.server
import io
import json
import pathlib
import threading
from io import StringIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from core.roles import BROKERS, FAMILIES
from directory.choices import ListingKind
from directory.models import ListingPage, Organisation
from openref.importer import engine, runs, sources
from openref.models import ImportedRecord, ImportRun
from tests.helpers import assert_denied, make_user, postcode_in

pytestmark = pytest.mark.django_db

EXAMPLE_FEED = pathlib.Path(__file__).parent / "data" / "oruk-example-feed.json"
HEADERS = [
    "Listing id", "Organisation name", "Kind", "Name", "Summary", "Postcode", "Youngest age",
    "Oldest age", "Needs supported", "Days", "Opens at", "Closes at", "Cost (£)", "Cost per",
    "Comes to the family", "Travels up to (miles)", "Inclusion support",
]  # fmt: skip


def sheet(*rows, headers=HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode()


def club(ref="club-1", name="Saturday swimming club", org="Tynedale Swimmers", **changes):
    row = {
        "Listing id": ref,
        "Organisation name": org,
        "Kind": "Inclusive club or activity",
        "Name": name,
        "Summary": "Swimming for disabled and non-disabled children together.",
        "Postcode": postcode_in("NE46 1"),
        "Youngest age": "5",
        "Oldest age": "16",
        "Needs supported": "Autism; Learning disability",
        "Days": "Saturday",
        "Opens at": "10:00",
        "Closes at": "12:00",
        "Cost (£)": "4.50",
        "Cost per": "session",
        "Comes to the family": "No",
        "Travels up to (miles)": "",
        "Inclusion support": "An extra helper in the water, and a quiet changing room.",
    }
    row.update(changes)
    return [row.get(h, "") for h in HEADERS]


def pa(ref="pa-1", name="Sam Example, personal assistant", **changes):
    return club(
        ref=ref,
        name=name,
        org="Sam Example",
        **{
            "Kind": "Personal assistant",
            "Postcode": "NE46",
            "Comes to the family": "Yes",
            "Travels up to (miles)": "10",
            "Cost per": "hour",
            "Cost (£)": "14",
            **changes,
        },
    )


def start(content: bytes, user=None, format=ImportRun.Format.CSV, source="Council list"):
    return runs.start(user=user, source=source, origin="listings.csv", format=format,
                      content=content)  # fmt: skip


def apply_now(run, user, publish=True, on_commit=None):
    with on_commit(execute=True):
        assert runs.queue(run, user=user, publish=publish)
    run.refresh_from_db()
    return run


@pytest.fixture
def needs(directory):
    from directory.models import Need

    for name in ("Autism", "Learning disability"):
        Need.objects.get_or_create(name=name)


# --- The dry run ---------------------------------------------------------------------------


def test_the_check_says_what_would_happen_and_writes_nothing(needs, moderator):
    listings, organisations = ListingPage.objects.count(), Organisation.objects.count()
    run = start(sheet(club(), pa(), club(ref="bad", **{"Postcode": "ZZ99 9ZZ"})), moderator)
    assert run.preview["counts"] == {"create": 2, "update": 0, "unchanged": 0, "error": 1}
    bad = next(r for r in run.preview["rows"] if r["outcome"] == "error")
    assert bad["row"] == 4 and "Postcode" in bad["messages"][0]
    assert ListingPage.objects.count() == listings
    assert Organisation.objects.count() == organisations
    assert run.state == ImportRun.State.CHECKED


def test_an_age_above_the_directorys_is_recorded_as_its_oldest_with_a_warning(needs, moderator):
    run = start(sheet(club(**{"Oldest age": "99"})), moderator)
    row = run.preview["rows"][0]
    assert row["outcome"] == "create" and "25 is recorded" in " ".join(row["messages"])


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"Name": ""}, "Name"),
        ({"Youngest age": "12", "Oldest age": "8"}, "oldest age"),
        ({"Youngest age": "five"}, "not a whole number"),
        ({"Opens at": "25:00"}, "not a time"),
        ({"Opens at": "14:00", "Closes at": "09:00"}, "end time must be after"),
        ({"Cost (£)": "lots"}, "not an amount"),
        ({"Cost per": "fortnight"}, "Cost per"),
        ({"Kind": "Zoo"}, "Kind"),
        ({"Days": "Caturday"}, "not days of the week"),
        ({"Comes to the family": "maybe"}, "say Yes or No"),
        ({"Comes to the family": "Yes", "Travels up to (miles)": ""}, "how far you travel"),
        ({"Postcode": "EH1 1AA"}, "outside England"),
        ({"Organisation name": ""}, "Organisation name"),
    ],
)
def test_each_bad_row_is_reported_with_why_and_left_out(needs, moderator, changes, message):
    run = start(sheet(club(ref="good"), club(ref="bad", **changes)), moderator)
    bad = [r for r in run.preview["rows"] if r["outcome"] == "error"]
    assert len(bad) == 1 and bad[0]["row"] == 3
    assert message.lower() in " ".join(bad[0]["messages"]).lower()
    assert run.preview["counts"]["create"] == 1


def test_a_personal_assistant_may_give_only_their_district(needs, moderator):
    run = start(sheet(pa()), moderator)
    assert run.preview["counts"]["create"] == 1, run.preview["rows"]


def test_a_personal_assistant_comes_to_the_family_unless_the_row_says_otherwise(needs, moderator):
    headers = ["Organisation name", "Kind", "Name", "Summary", "Postcode", "Travels up to (miles)"]
    row = ["Sam Example", "Personal assistant", "Sam E.", "Support at home.", "NE46", "10"]
    run = start(sheet(row, headers=headers), moderator)
    assert run.preview["counts"]["create"] == 1, run.preview["rows"]


@pytest.mark.parametrize(
    "given, stored",
    [
        ("", "open"),
        ("Open access", "open"),
        ("Referral by a professional", "referral"),
        ("Needs an assessment by the council", "assessment"),
        ("direct_payment", "direct_payment"),
    ],
)
def test_who_can_use_it_is_read_from_its_words_or_its_code(needs, moderator, given, stored):
    from openref.importer.rows import Lookups, clean_row

    values = dict(zip(HEADERS, club(), strict=True))
    row = {"title": values["Name"], "summary": values["Summary"], "postcode": values["Postcode"],
           "organisation_name": "Swimmers", "kind": values["Kind"], "eligibility": given,
           "inclusion_support": "Help."}  # fmt: skip
    assert clean_row(2, row, Lookups()).fields["eligibility"] == stored


def test_an_unknown_eligibility_is_refused_with_the_choices(needs, moderator):
    run = start(sheet(club(), headers=HEADERS) + b"", moderator)
    assert run.preview["counts"]["create"] == 1
    headers = [*HEADERS, "Who can use it"]
    run = start(sheet([*club(), "Members only"], headers=headers), moderator, source="other")
    assert "Who can use it" in run.preview["rows"][0]["messages"][0]


def test_a_venue_must_give_its_full_postcode(needs, moderator):
    run = start(sheet(club(**{"Postcode": "NE46"})), moderator)
    assert run.preview["counts"]["error"] == 1


def test_unknown_needs_are_left_out_with_a_warning_not_refused(needs, moderator):
    run = start(sheet(club(**{"Needs supported": "Autism; Dragons"})), moderator)
    row = run.preview["rows"][0]
    assert row["outcome"] == "create"
    assert "Dragons" in " ".join(row["messages"])


def test_a_repeated_listing_id_is_reported_on_its_second_row(needs, moderator):
    run = start(sheet(club(), club(name="Another name")), moderator)
    assert run.preview["rows"][1]["outcome"] == "error"
    assert "row 2" in run.preview["rows"][1]["messages"][0]


def test_columns_are_recognised_by_other_names_and_can_be_chosen(needs, moderator):
    headers = ["Ref", "Provider", "Service name", "About", "Post code", "Mystery"]
    row = ["r1", "Tynedale Swimmers", "Swim club", "Swimming for all.", postcode_in("NE46 1"), "8"]
    run = start(sheet(row, headers=headers), moderator)
    assert run.mapping == {"0": "source_id", "1": "organisation_name", "2": "title",
                           "3": "summary", "4": "postcode"}  # fmt: skip
    mapping = {int(k): v for k, v in run.mapping.items()} | {5: "age_min"}
    preview = runs.recheck(ImportRun.objects.get(pk=run.pk), mapping=mapping)
    assert preview["counts"]["create"] == 1
    assert preview["mapping"]["5"] == "age_min"


def test_a_new_organisation_sharing_an_existing_ones_email_domain_is_flagged(
    needs, moderator, org_a
):
    org_a.email = "hello@tynedale-swimmers.org.uk"
    org_a.save()
    headers = [*HEADERS, "Organisation email"]
    row = [*club(org="Tynedale Swimming Club"), "info@tynedale-swimmers.org.uk"]
    run = start(sheet(row, headers=headers), moderator)
    assert run.preview["possible_duplicates"] == [
        {"name": "Tynedale Swimming Club", "duplicate_of": org_a.name,
         "kind_assumed": "Charity or voluntary group"}
    ]  # fmt: skip


def test_an_excel_workbook_is_read_like_a_csv(needs, moderator):
    book = openpyxl.Workbook()
    sheet_ = book.active
    sheet_.append(HEADERS)
    row = club()
    row[HEADERS.index("Youngest age")] = 5  # numbers and times as Excel keeps them
    sheet_.append(row)
    out = io.BytesIO()
    book.save(out)
    run = start(out.getvalue(), moderator, format=ImportRun.Format.XLSX)
    assert run.preview["counts"]["create"] == 1, run.preview["rows"]


@pytest.mark.parametrize(
    "content, format, message",
    [
        (b"", ImportRun.Format.CSV, "empty"),
        (b"not a workbook", ImportRun.Format.XLSX, "not an Excel workbook"),
        (b"{not json", ImportRun.Format.ORUK, "neither JSON nor NDJSON"),
        (b'{"hello": 1}', ImportRun.Format.ORUK, None),
        (b"[1, 2]", ImportRun.Format.ORUK, "does not hold"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_message_and_nothing_kept(
    directory, moderator, content, format, message
):
    before = ImportRun.objects.count()
    if message is None:  # one "service" with nothing in it: a row with problems, not a crash
        run = start(content, moderator, format=format)
        assert run.preview["counts"]["error"] == 1
        return
    with pytest.raises(sources.SourceError, match=message):
        start(content, moderator, format=format)
    assert ImportRun.objects.count() == before


# --- Importing -----------------------------------------------------------------------------


def test_importing_publishes_the_listings_where_families_find_them(
    needs, moderator, django_capture_on_commit_callbacks
):
    run = apply_now(start(sheet(club(), pa()), moderator), moderator,
                    on_commit=django_capture_on_commit_callbacks)  # fmt: skip
    assert run.state == ImportRun.State.APPLIED
    assert run.result["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "error": 0}
    assert run.done == 2
    listing = ListingPage.objects.in_directory().get(title="Saturday swimming club")
    assert listing.kind == ListingKind.INCLUSIVE_CLUB
    assert listing.organisation.name == "Tynedale Swimmers"
    assert sorted(listing.needs.values_list("name", flat=True)) == ["Autism", "Learning disability"]
    assistant = ListingPage.objects.in_directory().get(kind=ListingKind.PERSONAL_ASSISTANT)
    assert assistant.public_location == "Based in the NE46 area"
    assert assistant.organisation.kind == "self_employed_pa"


def test_importing_as_drafts_sends_each_listing_to_moderation(
    needs, moderator, django_capture_on_commit_callbacks
):
    apply_now(start(sheet(club()), moderator), moderator, publish=False,
              on_commit=django_capture_on_commit_callbacks)  # fmt: skip
    listing = ListingPage.objects.get(title="Saturday swimming club")
    assert not listing.live
    assert listing.workflow_in_progress
    assert not ListingPage.objects.in_directory().filter(pk=listing.pk).exists()


def test_importing_the_same_source_again_updates_and_never_duplicates(
    needs, moderator, django_capture_on_commit_callbacks
):
    on_commit = django_capture_on_commit_callbacks
    apply_now(start(sheet(club(), pa()), moderator), moderator, on_commit=on_commit)
    again = start(sheet(club(**{"Summary": "Now with a quiet changing room."}), pa()), moderator)
    assert again.preview["counts"] == {"create": 0, "update": 1, "unchanged": 1, "error": 0}
    run = apply_now(again, moderator, on_commit=on_commit)
    assert run.result["counts"]["updated"] == 1 and run.result["counts"]["unchanged"] == 1
    assert ListingPage.objects.count() == 2
    assert Organisation.objects.filter(name="Tynedale Swimmers").count() == 1
    assert ListingPage.objects.get(title="Saturday swimming club").summary.startswith("Now with")


def test_another_source_with_the_same_ids_makes_its_own_listings(
    needs, moderator, django_capture_on_commit_callbacks
):
    on_commit = django_capture_on_commit_callbacks
    apply_now(start(sheet(club()), moderator), moderator, on_commit=on_commit)
    other = start(sheet(club(org="Hexham Otters")), moderator, source="Another council")
    assert other.preview["counts"]["create"] == 1


def test_a_row_that_fails_while_saving_leaves_nothing_half_written(
    needs, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    """An organisation's new listings go in together; when that fails they go in one by one,
    so only the row at fault is left out, and nothing of it stays (not even its new
    organisation)."""
    real_batch, real_finish = engine.bulk.add_listings, engine._finish

    def batch_fails_with_the_bad_row(provider, listings, *args, **kwargs):
        if any(listing.title == "Otters" for listing in listings):
            raise RuntimeError("disk full")
        return real_batch(provider, listings, *args, **kwargs)

    def fail_for_the_bad_row(page, row, *args, **kwargs):
        if row.external_id in ("club-2", "club-4"):
            raise RuntimeError("disk full")
        return real_finish(page, row, *args, **kwargs)

    monkeypatch.setattr(engine.bulk, "add_listings", batch_fails_with_the_bad_row)
    monkeypatch.setattr(engine, "_finish", fail_for_the_bad_row)
    content = sheet(
        club(),
        club(ref="club-2", name="Otters"),  # same organisation as the first
        club(ref="club-3", name="Splash", org="Hexham Otters"),
        club(ref="club-4", name="Otters", org="Alnwick Otters"),  # its organisation is new
    )
    run = apply_now(start(content, moderator), moderator,
                    on_commit=django_capture_on_commit_callbacks)  # fmt: skip
    assert run.result["counts"]["created"] == 2 and run.result["counts"]["error"] == 2
    assert [error["row"] for error in run.result["errors"]] == [3, 5]
    assert "disk full" not in json.dumps(run.result)  # the kind of error, never the contents
    assert set(ListingPage.objects.values_list("title", flat=True)) == {
        "Saturday swimming club",
        "Splash",
    }
    assert not Organisation.objects.filter(name="Alnwick Otters").exists()
    assert not ImportedRecord.objects.filter(external_id__in=["club-2", "club-4"]).exists()


def test_moderators_hear_once_about_imported_drafts_not_once_a_listing(
    needs, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    rows = [club(ref=f"c{n}", name=f"Club {n}") for n in range(5)]
    apply_now(start(sheet(*rows), moderator), moderator, publish=False,
              on_commit=django_capture_on_commit_callbacks)  # fmt: skip
    to_moderator = [m for m in mailoutbox if moderator.email in m.to]
    assert [m.subject for m in to_moderator] == ["5 imported listings to review"]
    assert "Nothing is shown to families until it is approved" in to_moderator[0].body
    assert ListingPage.objects.filter(live=False).count() == 5
    assert all(page.workflow_in_progress for page in ListingPage.objects.all())


def test_pressing_import_twice_imports_once(needs, moderator, django_capture_on_commit_callbacks):
    run = start(sheet(club()), moderator)
    with django_capture_on_commit_callbacks(execute=True):
        assert runs.queue(run, user=moderator, publish=True)
        assert not runs.queue(run, user=moderator, publish=True)
    assert runs.execute(run.pk) is None  # already done: a second worker finds nothing to do
    assert ListingPage.objects.filter(title="Saturday swimming club").count() == 1


def test_values_the_export_protected_from_spreadsheets_come_back_as_they_were(
    needs, moderator, django_capture_on_commit_callbacks
):
    headers = [*HEADERS, "Contact phone"]
    row = [*club(name="'=Fun club"), "'+44 191 000 0000"]
    apply_now(start(sheet(row, headers=headers), moderator), moderator,
              on_commit=django_capture_on_commit_callbacks)  # fmt: skip
    listing = ListingPage.objects.get(title="=Fun club")
    assert listing.contact_phone == "+44 191 000 0000"


def test_the_open_referral_example_feed_imports(directory, moderator):
    run = start(EXAMPLE_FEED.read_bytes(), moderator, format=ImportRun.Format.ORUK,
                source="Example feed")  # fmt: skip
    assert run.preview["counts"]["create"] == 1, run.preview["rows"]
    run = ImportRun.objects.get(pk=run.pk)
    run.publish = True
    result = engine.apply(run, user=moderator)
    assert result["counts"]["created"] == 1
    listing = ListingPage.objects.get(title="Community Counselling")
    assert listing.organisation.name == "Example Organization Inc."
    assert listing.postcode == "NE46 1BG"
    assert listing.age_max == 25  # the example's 99, as old as the directory lists
    assert listing.cost_unit == "hour" and listing.cost_amount == 35
    assert sorted(listing.days.values_list("name", flat=True)) == ["Friday", "Thursday"]


# --- The command ---------------------------------------------------------------------------


def test_the_command_dry_run_says_what_would_happen_and_changes_nothing(needs, tmp_path, moderator):
    path = tmp_path / "listings.csv"
    path.write_bytes(sheet(club(), club(ref="bad", **{"Postcode": "nowhere"})))
    out = StringIO()
    call_command("import_listings", str(path), "--dry-run", stdout=out)
    assert "1 to create" in out.getvalue() and "1 with errors" in out.getvalue()
    assert "row 3" in out.getvalue()
    assert not ListingPage.objects.filter(title="Saturday swimming club").exists()


def test_the_command_imports_and_says_what_it_did(needs, tmp_path, moderator):
    path = tmp_path / "listings.csv"
    path.write_bytes(sheet(club(), pa()))
    out = StringIO()
    call_command("import_listings", str(path), "--publish", "--as-user", "moderator", stdout=out)
    assert "2 created" in out.getvalue()
    assert ListingPage.objects.in_directory().count() == 2


def test_the_command_refuses_what_it_cannot_read(directory, tmp_path):
    with pytest.raises(CommandError, match="not a file"):
        call_command("import_listings", str(tmp_path / "missing.csv"))
    odd = tmp_path / "listings.pdf"
    odd.write_bytes(b"%PDF")
    with pytest.raises(CommandError, match=r"\.csv"):
        call_command("import_listings", str(odd))


class FeedHandler(http.server.BaseHTTPRequestHandler):
    """An ORUK feed of two pages, served on the loopback address by the test itself."""

    def do_GET(self):  # noqa: N802
        example = json.loads(EXAMPLE_FEED.read_text())["contents"][0]
        second = dict(example, id="b3a6b9c2-8d8e-4c44-9d52-0c6a3f1f0a01", name="Second service")
        page = 2 if "page=2" in self.path else 1
        body = {
            "total_items": 2, "total_pages": 2, "page_number": page, "size": 1,
            "first_page": page == 1, "last_page": page == 2, "empty": False,
            "contents": [example if page == 1 else second],
        }  # fmt: skip
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def feed_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/api/openreferral/"
    server.shutdown()


def test_the_command_reads_every_page_of_a_feed_at_its_address(directory, feed_server, settings):
    settings.IMPORT_FEED_ALLOWED_HOSTS = ["127.0.0.1"]
    out = StringIO()
    call_command("import_listings", feed_server, "--dry-run", stdout=out)
    assert "2 to create" in out.getvalue()


def test_a_feed_inside_this_servers_network_is_refused(directory, feed_server):
    with pytest.raises(CommandError, match="not on the public internet"):
        call_command("import_listings", feed_server, "--dry-run", stdout=StringIO())


# --- The admin screens ---------------------------------------------------------------------


@pytest.fixture
def staff_client(client, moderator):
    client.force_login(moderator)
    return client


def upload(client, content: bytes, name="listings.csv", **data):
    return client.post(
        "/admin/open-data/import/",
        {"file": SimpleUploadedFile(name, content), "source": "", **data},
    )


def test_council_staff_upload_see_the_check_and_import(
    needs, staff_client, django_capture_on_commit_callbacks
):
    response = upload(staff_client, sheet(club(), club(ref="bad", **{"Oldest age": "old"})))
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{run.pk}/")
    page = staff_client.get(response["Location"]).content.decode()
    assert "1</strong> listing to create" in page
    assert "Left out" in page and "Oldest age" in page
    assert "Import 1 listing" in page
    assert not ListingPage.objects.filter(title="Saturday swimming club").exists()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(response["Location"], {"action": "apply", "publish": "1"})
    page = staff_client.get(response["Location"]).content.decode()
    assert "1 listing created" in page and "1 not imported" in page
    assert ListingPage.objects.in_directory().filter(title="Saturday swimming club").exists()


def test_the_progress_page_can_be_stopped_from_updating(needs, staff_client):
    run = start(sheet(club()), None)
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.APPLYING, done=0)
    page = staff_client.get(f"/admin/open-data/import/{run.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page and "Stop updating it" in page
    still = staff_client.get(f"/admin/open-data/import/{run.pk}/?still=1").content.decode()
    assert 'http-equiv="refresh"' not in still


def test_columns_can_be_chosen_on_the_check_page(needs, staff_client):
    headers = ["Ref", "Provider", "Service name", "About", "Post code", "Mystery"]
    row = ["r1", "Tynedale Swimmers", "Swim club", "Swimming for all.", postcode_in("NE46 1"), "8"]
    upload(staff_client, sheet(row, headers=headers))
    run = ImportRun.objects.get()
    data = {"action": "recheck", **{f"column_{i}": v for i, v in run.mapping.items()}}
    staff_client.post(f"/admin/open-data/import/{run.pk}/", {**data, "column_5": "age_min"})
    run.refresh_from_db()
    assert run.mapping["5"] == "age_min"
    repeated = staff_client.post(
        f"/admin/open-data/import/{run.pk}/", {**data, "column_5": "title"}
    )
    assert "for one column only" in repeated.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose a file, or enter a feed"),
        ({"url": "https://example.org/feed", "file": "both"}, "not both"),
        ({"file": "pdf"}, "Choose a .csv, .xlsx"),
        ({"file": "empty"}, "file is empty"),
        ({"url": "ftp://example.org/feed"}, "starting https://"),
        ({"url": "not an address"}, "Enter a valid URL"),
        ({"url": "http://127.0.0.1:9/feed"}, "not on the public internet"),
    ],
)
def test_bad_uploads_get_a_clear_message_and_keep_nothing(staff_client, directory, data, message):
    files = {
        "both": SimpleUploadedFile("a.csv", b"x"),
        "pdf": SimpleUploadedFile("a.pdf", b"%PDF"),
        "empty": SimpleUploadedFile("a.csv", b""),
    }
    post = dict(data)
    if "file" in post:
        post["file"] = files[post["file"]]
    response = staff_client.post("/admin/open-data/import/", post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_finished_import_cannot_be_applied_again(needs, staff_client):
    run = start(sheet(club()), None)
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.APPLIED)
    staff_client.post(f"/admin/open-data/import/{run.pk}/", {"action": "apply", "publish": "1"})
    assert not ListingPage.objects.filter(title="Saturday swimming club").exists()


def test_do_not_import_keeps_nothing_of_the_file(needs, staff_client):
    run = start(sheet(club()), None)
    staff_client.post(f"/admin/open-data/import/{run.pk}/", {"action": "cancel"})
    run.refresh_from_db()
    assert run.state == ImportRun.State.CANCELLED and bytes(run.content) == b""


@pytest.mark.parametrize("who", ["anonymous", "provider", "broker", "family"])
def test_only_council_staff_may_import(client, needs, provider_a, who):
    run = start(sheet(club()), None)
    users = {
        "provider": provider_a,
        "broker": make_user("bea", BROKERS),
        "family": make_user("fay", FAMILIES),
    }
    if who != "anonymous":
        client.force_login(users[who])
    for response in (
        client.get("/admin/open-data/import/"),
        upload(client, sheet(club(ref="x"))),
        client.get(f"/admin/open-data/import/{run.pk}/"),
        client.post(f"/admin/open-data/import/{run.pk}/", {"action": "apply", "publish": "1"}),
    ):
        assert_denied(response)
    assert ImportRun.objects.count() == 1
    assert not ListingPage.objects.filter(title="Saturday swimming club").exists()


def test_the_example_spreadsheet_in_the_docs_imports_without_a_problem(directory, moderator):
    example = (
        pathlib.Path(__file__).parents[2] / "docs" / "examples" / "listings-import-example.csv"
    )
    run = start(example.read_bytes(), moderator, source="Docs example")
    assert run.preview["counts"] == {"create": 3, "update": 0, "unchanged": 0, "error": 0}
    assert not any(row["messages"] for row in run.preview["rows"]), run.preview["rows"]


def test_an_imported_draft_approved_by_a_moderator_is_published_as_imported(
    needs, moderator, django_capture_on_commit_callbacks
):
    apply_now(start(sheet(club()), moderator), moderator, publish=False,
              on_commit=django_capture_on_commit_callbacks)  # fmt: skip
    listing = ListingPage.objects.get(title="Saturday swimming club").specific
    with django_capture_on_commit_callbacks(execute=True):
        listing.current_workflow_state.current_task_state.approve(user=moderator)
    published = ListingPage.objects.in_directory().get(pk=listing.pk).specific
    assert published.inclusion_support.startswith("An extra helper")
    assert sorted(published.needs.values_list("name", flat=True)) == [
        "Autism",
        "Learning disability",
    ]
    assert published.live_revision_id == published.latest_revision_id
    assert listing.revisions.count() == 1


def test_the_import_history_shows_in_each_listings_audit_trail(
    needs, moderator, django_capture_on_commit_callbacks
):
    from core.audit import trail_of

    apply_now(start(sheet(club()), moderator), moderator,
              on_commit=django_capture_on_commit_callbacks)  # fmt: skip
    listing = ListingPage.objects.get(title="Saturday swimming club")
    assert trail_of(listing).filter(action="listing_imported", actor=moderator).exists()
    assert listing.status.assured_date is not None


class RedirectHandler(http.server.BaseHTTPRequestHandler):
    """A feed on an allowed host that sends the importer on to this machine's own network."""

    def do_GET(self):  # noqa: N802
        self.send_response(302)
        self.send_header("Location", f"http://localhost:{self.server.server_port}/internal")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_feed_that_redirects_into_this_servers_network_is_refused(directory, settings):
    settings.IMPORT_FEED_ALLOWED_HOSTS = ["127.0.0.1"]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RedirectHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(sources.SourceError, match="not on the public internet"):
            sources.fetch_feed(f"http://127.0.0.1:{server.server_port}/api/openreferral/")
    finally:
        server.shutdown()
