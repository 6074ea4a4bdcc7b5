"""Council staff import listings from a spreadsheet in the admin, as they would on their first
day: upload, read the dry run, import, and a family finds the listing. Each admin page's
content passes axe."""

import csv
import io

import pytest

from core.roles import COUNCIL_MODERATORS
from tests.helpers import make_user

from .axe import assert_accessible
from .conftest import playwright_expect
from .signing_in import sign_in_to_admin

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def spreadsheet() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Listing id", "Organisation name", "Kind", "Name", "Summary", "Postcode",
                     "Inclusion support", "Travels up to (miles)"])  # fmt: skip
    writer.writerow(["T1", "Tynedale Swimmers", "Inclusive club or activity",
                     "Saturday inclusive swimming", "Swimming for everyone, together.",
                     "NE46 3NR", "An extra helper in the water.", ""])  # fmt: skip
    writer.writerow(["T2", "Sam Example", "Personal assistant", "Sam E., personal assistant",
                     "Support at home and out and about.", "NE46", "", "10"])  # fmt: skip
    writer.writerow(["T3", "Nowhere Club", "Inclusive club or activity", "Lost club",
                     "Somewhere.", "ZZ99 9ZZ", "Help.", ""])  # fmt: skip
    return out.getvalue().encode()


def test_council_staff_import_a_spreadsheet_and_families_find_the_listings(page, site):
    make_user("jo", COUNCIL_MODERATORS, first_name="Jo", last_name="Moderator")
    sign_in_to_admin(page, "jo")

    page.goto("/admin/open-data/import/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import listings")
    assert_accessible(page, within="main")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("Choose a file, or enter a feed's address")).to_be_visible()
    assert_accessible(page, within="main")

    page.get_by_label("Source name").fill("Council spreadsheet")
    page.get_by_label("Spreadsheet or feed file").set_input_files(
        files=[{"name": "listings.csv", "mimeType": "text/csv", "buffer": spreadsheet()}]
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("listings to create")).to_be_visible()
    expect(page.get_by_text("We could not find ZZ99 9ZZ")).to_be_visible()
    assert_accessible(page, within="main")

    page.get_by_label("Publish them at once").check()
    page.get_by_role("button", name="Import 2 listings").click()
    expect(page.get_by_text("2 listings created")).to_be_visible()
    expect(page.get_by_text("1 not imported")).to_be_visible()
    assert_accessible(page, within="main")

    family = page.context.new_page()
    family.goto("/directory/")
    expect(family.get_by_role("link", name="Saturday inclusive swimming")).to_be_visible()
    expect(family.get_by_role("link", name="Sam E., personal assistant")).to_be_visible()
    family.close()
