"""Who can reach which part of the admin. Families and young auditors never see the admin;
providers see only their own organisation's work; council staff run the directory."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission

from directory.models import Need, Organisation, ProviderPage
from tests.helpers import assert_denied

COUNCIL_ONLY = [
    ("wagtailadmin_home", None, False),
    ("organisations:index", None, True),
    ("organisations:add", None, True),
    ("directory_admin:applications", None, True),
    ("directory_admin:reports", None, True),
    ("need:index", None, True),
    ("need:add", None, True),
]


@pytest.mark.parametrize("role", ["family", "young_auditor"])
def test_families_and_young_auditors_never_get_into_the_admin(client, request, role, directory):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(("name", "args", "council_only"), COUNCIL_ONLY)
def test_a_provider_cannot_reach_council_pages(client, provider_a, name, args, council_only):
    client.force_login(provider_a)
    response = client.get(reverse(name, args=args))
    if council_only:
        assert_denied(response)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(("name", "args", "council_only"), COUNCIL_ONLY)
def test_council_staff_reach_every_council_page(
    client, moderator, directory, name, args, council_only
):
    client.force_login(moderator)
    assert client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize("role", ["broker", "coordinator"])
def test_brokers_and_kitemark_coordinators_cannot_manage_the_directory(
    client, request, role, directory
):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    for name, args, council_only in COUNCIL_ONLY:
        if council_only:
            assert_denied(client.get(reverse(name, args=args)))


def test_the_council_dashboard_shows_what_needs_attention(client, moderator, directory):
    client.force_login(moderator)
    response = client.get(reverse("wagtailadmin_home"))
    assert b"Needs the council" in response.content
    assert b"Your listings" not in response.content


def test_a_provider_dashboard_shows_their_listings_not_the_councils_queue(
    client, provider_a, directory
):
    client.force_login(provider_a)
    response = client.get(reverse("wagtailadmin_home"))
    assert b"Your listings" in response.content
    assert b"Needs the council" not in response.content


def test_council_staff_add_an_organisation_with_its_editors_group_and_page(
    client, moderator, directory
):
    client.force_login(moderator)
    response = client.post(
        reverse("organisations:add"),
        {
            "name": "Blyth Valley Play",
            "kind": "charity",
            "council_relationship": "framework",
            "ofsted_urn": "EY123456",
            "cqc_location_id": "",
            "insurer": "",
            "insurance_expiry": "",
            "email": "play@blyth.example",
            "phone": "",
            "website": "",
            "postcode": "NE24 1AA",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Blyth Valley Play")
    page = ProviderPage.objects.get(organisation=organisation)
    assert organisation.editors.name == "Provider: blyth-valley-play"
    assert GroupPagePermission.objects.filter(group=organisation.editors, page=page).count() == 2


def test_a_bad_organisation_is_a_clear_form_error(client, moderator, directory):
    client.force_login(moderator)
    response = client.post(
        reverse("organisations:add"),
        {"name": "", "kind": "charity", "council_relationship": "spot", "ofsted_urn": "NOPE"},
    )
    assert response.status_code == 200
    assert b"Enter an Ofsted URN" in response.content
    assert not Organisation.objects.exists()
    assert not Group.objects.filter(name__startswith="Provider: ").exists()


def test_council_staff_can_reword_a_taxonomy_without_breaking_its_links(
    client, moderator, directory
):
    need = Need.objects.get(slug="autism")
    client.force_login(moderator)
    response = client.post(
        reverse("need:edit", args=[need.pk]),
        {"name": "Autism (including PDA)", "description": need.description, "sort_order": 1},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.name == "Autism (including PDA)"
    assert need.slug == "autism"


def test_taxonomies_are_seeded_with_sensible_defaults(db):
    from directory.models import AccessFeature, FundingRoute, ServiceType, Skill

    assert ServiceType.objects.filter(name__icontains="overnight").exists()
    assert Need.objects.filter(slug="autism").exists()
    assert Skill.objects.filter(name__icontains="Makaton").exists()
    assert AccessFeature.objects.filter(name__icontains="Changing Places").exists()
    assert FundingRoute.objects.filter(name="Direct payment").exists()
