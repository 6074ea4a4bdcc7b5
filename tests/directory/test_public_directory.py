"""What families see: browsing by kind and type, a listing with everything they need, and a
way to report a problem that reaches the council."""

import pytest
from django.urls import reverse

from directory.models import ListingReport
from tests.factories.directory import (
    DBSCheckFactory,
    InclusiveClubPageFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
)


@pytest.fixture
def listings(org_a, org_b):
    return {
        "short_break": ShortBreakServicePageFactory(
            organisation=org_a, title="Hexham Holiday Scheme"
        ),
        "club": InclusiveClubPageFactory(organisation=org_b, title="Morpeth Friday Youth Club"),
        "pa": PersonalAssistantPageFactory(title="Sam R., personal assistant", dbs=True),
    }


def test_the_directory_lists_every_kind_of_public_listing(client, listings):
    response = client.get("/directory/")
    for listing in listings.values():
        assert listing.title.encode() in response.content
    assert b"3 results" in response.content


@pytest.mark.parametrize(
    ("kind", "shown"),
    [
        ("short_break", "Hexham Holiday Scheme"),
        ("inclusive_club", "Morpeth Friday Youth Club"),
        ("personal_assistant", "Sam R., personal assistant"),
    ],
)
def test_families_can_browse_by_kind(client, listings, kind, shown):
    response = client.get("/directory/", {"kind": kind})
    assert shown.encode() in response.content
    assert b"1 result" in response.content


def test_families_can_browse_by_type_of_service(client, listings):
    response = client.get("/directory/", {"type": "youth-club"})
    assert b"Morpeth Friday Youth Club" in response.content
    assert b"Hexham Holiday Scheme" not in response.content


@pytest.mark.parametrize(
    "params", [{"kind": "spaceship"}, {"type": "no-such-type"}, {"page": "999"}, {"page": "x"}]
)
def test_nonsense_in_the_address_bar_never_breaks_the_directory(client, listings, params):
    response = client.get("/directory/", params)
    assert response.status_code == 200


def test_a_short_break_page_tells_a_family_what_they_need_to_know(client, listings):
    listing = listings["short_break"]
    content = client.get(listing.url).content.decode()
    for words in [
        listing.title,
        listing.summary,
        "Who it is for",
        "Ages",
        "Cost and paying",
        "Access, language and culture",
        "Contact",
        "DBS",
        "it used to be called a CRB check",
        "Last checked",
        "Report a problem with this listing",
        listing.postcode,
        "openstreetmap.org",
    ]:
        assert words in content, words
    assert "data-map" in content  # enhanced into a map where JavaScript runs


def test_a_personal_assistants_home_is_shown_only_to_postcode_district(client, listings):
    pa = listings["pa"]
    content = client.get(pa.url).content.decode()
    assert pa.postcode_district in content
    assert pa.postcode not in content
    assert f"{pa.latitude}" not in content
    assert "data-map" not in content


def test_the_pa_page_shows_the_dbs_badge_and_advice_on_direct_payments(client, listings):
    content = client.get(listings["pa"].url).content.decode()
    assert "verified" in content
    assert "direct payment" in content.lower()


def test_a_verified_check_shows_its_level_and_date_but_never_its_number(client, org_a):
    from tests.factories.directory import StaffMemberFactory

    check = DBSCheckFactory(person=StaffMemberFactory(organisation=org_a))
    listing = ShortBreakServicePageFactory(organisation=org_a)
    content = client.get(listing.url).content.decode()
    assert "Enhanced DBS check with children&#x27;s barred list, verified" in content
    assert check.certificate_number not in content
    assert check.certificate_number[-4:] not in content.replace(listing.postcode, "")


def test_reporting_a_problem_reaches_the_council(
    client, listings, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    listing = listings["club"]
    url = reverse("directory:report_problem", args=[listing.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"safety": "no", "reason": "closed", "details": "The club stopped in July."},
        )
    assert response.status_code == 302
    report = ListingReport.objects.get()
    assert report.listing_id == listing.pk
    recipients = {address for m in mailoutbox for address in m.to}
    assert moderator.email in recipients
    client.force_login(moderator)
    assert b"The club stopped in July." in client.get(reverse("directory_admin:reports")).content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "other", "details": "x"}, "Choose yes if this is about a child"),
        ({"safety": "maybe", "reason": "other", "details": "x"}, "Choose yes or no"),
        ({"safety": "no", "details": "x"}, "Choose what the problem is"),
        ({"safety": "no", "reason": "closed"}, "Tell us what is wrong"),
        ({"safety": "no", "reason": "gossip", "details": "x"}, "Select a valid choice"),
        ({"safety": "yes", "reason": "gossip", "details": "x"}, "Select a valid choice"),
        ({"safety": "yes"}, "Tell us what is wrong"),
        (
            {"safety": "no", "reason": "other", "details": "x" * 2001},
            "Keep it to 2,000 characters or fewer",
        ),
        (
            {"safety": "no", "reason": "other", "details": "x", "reply_email": "not-an-email"},
            "Enter an email address in the right format",
        ),
    ],
)
def test_a_bad_report_is_a_clear_error_and_what_was_typed_is_kept(client, listings, data, message):
    url = reverse("directory:report_problem", args=[listings["club"].pk])
    response = client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "govuk-error-summary" in content
    assert not ListingReport.objects.exists()
    if data.get("details") == "x":
        assert ">x</textarea>" in content


def test_problems_cannot_be_reported_on_listings_the_public_cannot_see(client, org_a):
    draft = ShortBreakServicePageFactory(organisation=org_a, live=False)
    url = reverse("directory:report_problem", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "other", "details": "x"}).status_code == 404
    assert client.get(reverse("directory:report_problem", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ["provider_a", "family", "young_auditor", "broker"])
def test_only_council_staff_see_or_close_reports(client, request, role, listings):
    from tests.helpers import assert_denied

    report = ListingReport.objects.create(listing=listings["club"], reason="other", details="x")
    client.force_login(request.getfixturevalue(role))
    assert_denied(client.get(reverse("directory_admin:reports")))
    url = reverse("directory_admin:report", args=[report.pk])
    assert_denied(client.post(url, {"action": "deal_with", "deal_with-note": "Fixed"}))
    report.refresh_from_db()
    assert report.resolved_at is None


def test_council_staff_close_a_report_saying_what_was_done_and_it_stays_on_record(
    client, moderator, listings
):
    report = ListingReport.objects.create(listing=listings["club"], reason="other", details="x")
    client.force_login(moderator)
    url = reverse("directory_admin:report", args=[report.pk])
    client.post(url, {"action": "deal_with", "deal_with-note": "Phone number corrected"})
    report.refresh_from_db()
    assert report.resolved_by == moderator
    assert report.status == "dealt_with"
    assert report.events.last().note == "Phone number corrected"
    response = client.get(reverse("directory_admin:reports"), {"show": "all"})
    assert b"Dealt with" in response.content
    assert b"Phone number corrected" in client.get(url).content


def test_a_report_cannot_be_marked_dealt_with_without_saying_what_was_done(
    client, moderator, listings
):
    report = ListingReport.objects.create(listing=listings["club"], reason="other", details="x")
    client.force_login(moderator)
    url = reverse("directory_admin:report", args=[report.pk])
    response = client.post(url, {"action": "deal_with", "deal_with-note": "  "})
    assert response.status_code == 200
    assert b"Say what was done about the report" in response.content
    report.refresh_from_db()
    assert report.resolved_at is None


def test_a_report_that_does_not_exist_is_not_found(client, moderator, directory):
    client.force_login(moderator)
    assert client.get("/admin/directory/reports/999999/").status_code == 404
    assert client.get("/admin/directory/reports/abc/").status_code == 404


def test_the_listing_and_browse_pages_use_a_bounded_number_of_queries(
    client, org_a, django_assert_max_num_queries
):
    for n in range(12):
        ShortBreakServicePageFactory(organisation=org_a, title=f"Scheme {n}")
    listing = PersonalAssistantPageFactory(dbs=True)
    client.get("/directory/")  # warm the site and content-type caches
    with django_assert_max_num_queries(15):
        client.get("/directory/")
    with django_assert_max_num_queries(15):
        client.get("/directory/", {"kind": "short_break", "page": "1"})
    with django_assert_max_num_queries(25):
        client.get(listing.url)


def test_the_page_title_names_the_kind_being_browsed(client, listings):
    response = client.get("/directory/", {"kind": "personal_assistant"})
    assert "<title>Personal assistant – " in response.content.decode()


@pytest.mark.parametrize(
    "role",
    [None, "family", "young_auditor", "provider_a", "broker", "coordinator", "moderator"],
)
def test_every_role_can_read_the_public_site(client, request, role, listings):
    if role:
        client.force_login(request.getfixturevalue(role))
    for url in [
        "/",
        "/directory/",
        listings["pa"].url,
        listings["club"].url,
        reverse("directory:report_problem", args=[listings["club"].pk]),
        reverse("directory:apply"),
        "/accessibility/",
        "/privacy/",
        "/cookies/",
    ]:
        assert client.get(url).status_code == 200, (role, url)


def test_a_listing_behind_a_view_restriction_is_not_in_the_directory(org_a):
    from wagtail.models import PageViewRestriction

    from directory.models import ListingPage
    from tests.factories.directory import ShortBreakServicePageFactory

    listing = ShortBreakServicePageFactory(organisation=org_a)
    assert ListingPage.objects.in_directory().filter(pk=listing.pk).exists()
    PageViewRestriction.objects.create(
        page=listing.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert not ListingPage.objects.in_directory().filter(pk=listing.pk).exists()
