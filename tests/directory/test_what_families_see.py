"""A provider's dashboard says, for each listing, what families see of it today (shown, shown
as out of date, hidden, not yet), why, and what to do: never "Live: Yes" for a listing the
public cannot open."""

import datetime

import pytest

from core.dates import today
from directory.models import ListingStatus
from tests.factories.directory import ShortBreakServicePageFactory

pytestmark = pytest.mark.django_db


def weeks_ago(n):
    return today() - datetime.timedelta(weeks=n)


def row_for(dashboard: str, title: str) -> str:
    start = dashboard.index(f">{title}</a>")
    return dashboard[start : dashboard.index("</tr>", start)]


def test_the_dashboard_says_what_families_see_of_each_listing_and_what_to_do(
    client, provider_a, org_a
):
    current = ShortBreakServicePageFactory(organisation=org_a, title="Current club")
    stale = ShortBreakServicePageFactory(organisation=org_a, title="Stale club")
    expired = ShortBreakServicePageFactory(organisation=org_a, title="Expired club")
    lapsed = ShortBreakServicePageFactory(organisation=org_a, title="Lapsed club")
    ShortBreakServicePageFactory(organisation=org_a, title="Draft club", live=False)
    ListingStatus.objects.filter(listing=stale).update(assured_date=weeks_ago(14))
    ListingStatus.objects.filter(listing=expired).update(assured_date=weeks_ago(27))
    ListingStatus.objects.filter(listing=lapsed).update(
        dbs_lapsed_on=today() - datetime.timedelta(days=20)
    )

    client.force_login(provider_a)
    dashboard = client.get("/admin/").content.decode()

    assert "Shown to families</strong>" in row_for(dashboard, "Current club")
    row = row_for(dashboard, "Stale club")
    assert "Shown as out of date" in row and "will be hidden on" in row
    assert "Confirm still accurate" in row
    row = row_for(dashboard, "Expired club")
    assert "Hidden from families" in row and "Not confirmed as accurate since" in row
    row = row_for(dashboard, "Lapsed club")
    assert "Hidden from families" in row and "DBS check lapsed" in row
    assert "Not shown yet" in row_for(dashboard, "Draft club")
    assert ">Yes<" not in dashboard

    # What the dashboard says is what the public gets.
    assert client.get(current.url).status_code == 200
    assert client.get(stale.url).status_code == 200
    client.logout()
    assert client.get(expired.url).status_code == 404
    assert client.get(lapsed.url).status_code == 404
    assert client.get(f"{org_a.provider_page.url}draft-club/").status_code == 404
