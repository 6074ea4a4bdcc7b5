"""A provider's very first listing, from an empty organisation: the editor asks only for the
service's details (no slugs, no search-engine settings), and "Submit" sends it to the council
moderators with a web address made from its name, kept unique by the product."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from directory.models import ShortBreakServicePage
from tests.admin_forms import form_data
from tests.helpers import postcode_in

pytestmark = pytest.mark.django_db

DETAILS = {
    "title": "Tynedale Saturday Club",
    "summary": "A Saturday club for young people aged 8 to 16.",
    "age_min": "8",
    "age_max": "16",
    "at_venue": "on",
    "address_line_1": "Community Centre",
    "town": "Hexham",
    "cost_unit": "free",
    "capacity_now": "4",
    "capacity_unit": "places",
    "contact_email": "club@tynedale.example",
    "action-submit": "Submit to Council check",
}


def add_url(org):
    return reverse(
        "wagtailadmin_pages:add", args=["directory", "shortbreakservicepage", org.provider_page.pk]
    )


def first_listing(client, org, **changes):
    response = client.get(add_url(org))
    assert response.status_code == 200
    data = form_data(response, **{**DETAILS, "postcode": postcode_in("NE46 3"), **changes})
    return response, client.post(add_url(org), data)


def test_a_new_providers_first_listing_is_submitted_with_an_address_made_from_its_name(
    client, provider_a, org_a
):
    client.force_login(provider_a)
    editor, response = first_listing(client, org_a)
    errors = response.context["form"].errors if response.status_code == 200 else {}
    assert response.status_code == 302, errors
    listing = ShortBreakServicePage.objects.get(title="Tynedale Saturday Club")
    assert listing.slug == "tynedale-saturday-club"
    assert not listing.live  # waiting for a moderator
    assert listing.current_workflow_state is not None

    page = editor.content.decode()
    for hidden in ('name="slug"', 'name="seo_title"', 'name="search_description"', "Promote"):
        assert hidden not in page, hidden


def test_a_second_listing_with_the_same_name_gets_its_own_address(client, provider_a, org_a):
    client.force_login(provider_a)
    first_listing(client, org_a)
    _, response = first_listing(client, org_a)
    assert response.status_code == 302
    slugs = sorted(
        Page.objects.filter(title="Tynedale Saturday Club").values_list("slug", flat=True)
    )
    assert slugs == ["tynedale-saturday-club", "tynedale-saturday-club-2"]
