"""A provider in the admin sees only their own organisation's pages: Wagtail's reports (which
list every organisation's listings and the staff who changed them) are for council staff, and
the page chooser offers a provider only their own pages and the way down to them."""

import pytest
from django.urls import reverse

from tests.factories.directory import ShortBreakServicePageFactory
from tests.helpers import assert_denied

REPORTS = [
    "/admin/reports/locked/",
    "/admin/reports/locked/results/",
    "/admin/reports/site-history/",
    "/admin/reports/site-history/results/",
    "/admin/reports/aging-pages/",
    "/admin/reports/aging-pages/results/",
    "/admin/reports/workflow/",
    "/admin/reports/workflow/results/",
    "/admin/reports/workflow_tasks/",
    "/admin/reports/workflow_tasks/results/",
    "/admin/reports/page-types-usage/",
    "/admin/reports/site-history/?export=csv",
]


@pytest.fixture
def drafts(org_a, org_b):
    """Each provider has a listing waiting for moderation, its title not yet public."""
    return {
        "a": ShortBreakServicePageFactory(
            organisation=org_a, title="Tynedale draft sleepover", live=False
        ),
        "b": ShortBreakServicePageFactory(
            organisation=org_b, title="Coquet draft holiday club", live=False
        ),
    }


@pytest.mark.parametrize("url", REPORTS)
def test_a_provider_cannot_open_wagtails_reports(client, provider_a, drafts, url):
    client.force_login(provider_a)
    response = client.get(url)
    assert_denied(response)
    assert b"Coquet" not in response.content


@pytest.mark.parametrize("url", REPORTS)
def test_council_staff_open_wagtails_reports(client, moderator, drafts, url):
    client.force_login(moderator)
    assert client.get(url).status_code == 200


def test_a_signed_out_visitor_to_a_report_is_asked_to_sign_in(client, directory):
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_reports_menu_is_not_shown_to_a_provider(client, provider_a, moderator, drafts):
    client.force_login(provider_a)
    assert b"/admin/reports/" not in client.get(reverse("wagtailadmin_home")).content
    client.force_login(moderator)
    assert b"/admin/reports/site-history/" in client.get(reverse("wagtailadmin_home")).content


def test_the_page_chooser_offers_a_provider_only_their_own_pages(
    client, provider_a, org_a, org_b, drafts
):
    client.force_login(provider_a)
    directory_page = org_a.provider_page.get_parent()
    listed = client.get(reverse("wagtailadmin_choose_page_child", args=[directory_page.pk]))
    assert listed.status_code == 200
    assert b"Tynedale Short Breaks" in listed.content
    assert b"Coquet Valley Care" not in listed.content
    own = client.get(reverse("wagtailadmin_choose_page_child", args=[org_a.provider_page.pk]))
    assert b"Tynedale draft sleepover" in own.content


def test_a_provider_cannot_browse_another_organisations_pages_in_the_chooser(
    client, provider_a, org_b, drafts
):
    client.force_login(provider_a)
    for page in (org_b.provider_page, drafts["b"]):
        response = client.get(reverse("wagtailadmin_choose_page_child", args=[page.pk]))
        assert response.status_code == 404
        assert b"Coquet" not in response.content


def test_the_page_chooser_search_finds_only_a_providers_own_pages(client, provider_a, drafts):
    client.force_login(provider_a)
    search = reverse("wagtailadmin_choose_page_search")
    assert b"Coquet" not in client.get(search, {"q": "Coquet"}).content
    assert b"Tynedale draft sleepover" in client.get(search, {"q": "draft"}).content
    assert b"Coquet draft holiday club" not in client.get(search, {"q": "draft"}).content


def test_the_page_chooser_starts_at_the_top_so_a_provider_can_reach_their_pages(
    client, provider_a, drafts
):
    client.force_login(provider_a)
    response = client.get(reverse("wagtailadmin_choose_page"))
    assert response.status_code == 200
    assert b"Home" in response.content


def test_council_staff_choose_from_every_organisations_pages(client, moderator, drafts):
    client.force_login(moderator)
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "draft"})
    assert b"Tynedale draft sleepover" in search.content
    assert b"Coquet draft holiday club" in search.content


def test_a_provider_cannot_read_other_organisations_page_titles_by_their_ids(
    client, provider_a, drafts
):
    client.force_login(provider_a)
    chosen = reverse("wagtailadmin_choose_page_chosen_multiple")
    theirs = client.get(chosen, {"id": [drafts["a"].pk, drafts["b"].pk]})
    assert theirs.status_code == 404
    assert b"Coquet" not in theirs.content
    assert client.get(chosen, {"id": "not-a-number"}).status_code == 404
    own = client.get(chosen, {"id": drafts["a"].pk})
    assert own.status_code == 200
    assert b"Tynedale draft sleepover" in own.content
