"""The listing editor's areas served, and the comparison a moderator reads.

Areas served are the councils that commission short breaks (upper-tier and unitary), grouped
by region with the provider's own council first; a county covers every district in it, which
is what search and brokerage match a family's district against. A moderator's comparison
shows times, prices and lists in words and does not mark untouched rich text as changed."""

import re

import pytest
from django.urls import reverse
from wagtail.models import Page

from directory.models import ListingPage
from gazetteer.councils import councils, districts_of
from tests.admin_forms import edit_url, submit_change
from tests.factories.directory import ShortBreakServicePageFactory
from tests.helpers import assert_denied, postcode_in

pytestmark = pytest.mark.django_db

NORTHUMBERLAND, WEST_SUSSEX, ADUR = "E06000057", "E10000032", "E07000223"


@pytest.fixture
def listing_a(org_a):
    org_a.postcode = postcode_in("NE46 3")  # Hexham, Northumberland
    org_a.save()
    return ShortBreakServicePageFactory(organisation=org_a, title="Hexham Saturday Club")


def served_choices(html: str) -> list[str]:
    return re.findall(r'name="served_local_authorities" value="([^"]+)"', html)


def test_areas_served_are_the_commissioning_councils_by_region_with_the_providers_own_first(
    client, provider_a, listing_a
):
    client.force_login(provider_a)
    html = client.get(edit_url(listing_a)).content.decode()
    offered = served_choices(html)
    assert offered[0] == NORTHUMBERLAND
    assert len(offered) == len(councils()) == 153  # not the 297 districts
    assert WEST_SUSSEX in offered and ADUR not in offered
    regions = re.findall(r"<summary[^>]*>([^<(]+)", html)
    assert regions[0].strip() == "North East"
    assert {"London", "South West", "East Midlands"} <= {r.strip() for r in regions}
    assert re.search(r"<details open>\s*<summary[^>]*>North East", html)  # only the own region
    assert html.count("<details open>") == 1


def test_a_county_chosen_covers_each_of_its_districts_and_shows_as_the_county_again(
    client, provider_a, listing_a
):
    client.force_login(provider_a)
    response = submit_change(client, listing_a, served_local_authorities=[WEST_SUSSEX])
    assert response.status_code == 302
    revision = ListingPage.objects.get(pk=listing_a.pk).get_latest_revision()
    served = revision.as_object().served_local_authorities.all()
    assert sorted(la.code for la in served) == districts_of([WEST_SUSSEX])
    assert ADUR in {la.code for la in served}
    html = client.get(edit_url(listing_a)).content.decode()
    assert re.search(rf'value="{WEST_SUSSEX}"[^>]*checked', html)
    assert "South East (1 chosen)" in html


@pytest.mark.parametrize("bad", [ADUR, "E99999999", "<script>"])
def test_a_council_not_on_the_list_is_refused_with_a_clear_message(
    client, provider_a, listing_a, bad
):
    client.force_login(provider_a)
    response = submit_change(client, listing_a, served_local_authorities=[bad])
    assert response.status_code == 200
    assert "Choose councils from the list" in response.content.decode()


# --- what the moderator compares -------------------------------------------------------------


def compare_url(listing):
    revision = Page.objects.get(pk=listing.pk).get_latest_revision()
    return reverse("wagtailadmin_pages:revisions_compare", args=[listing.pk, "live", revision.pk])


def test_a_moderator_reads_times_prices_and_lists_in_words_and_untouched_text_is_unchanged(
    client, provider_a, moderator, listing_a
):
    client.force_login(provider_a)
    response = submit_change(
        client,
        listing_a,
        time_from="08:00",
        cost_amount="50.5",
        days=["6", "7", "1"],  # ticked in another order than the week
    )
    assert response.status_code == 302, response.context["form"].errors
    client.force_login(moderator)
    html = client.get(compare_url(listing_a)).content.decode()
    assert '<span class="deletion">10am</span> <span class="addition">8am</span>' in html
    assert '<span class="deletion">£45.00</span> <span class="addition">£50.50</span>' in html
    assert '<span class="addition">Monday</span>, Saturday, <span class="addition">Sunday' in (html)
    assert "Description:" not in html  # the provider did not touch it
    assert "10:00:0008:00:00" not in html and "10:00:00" not in html


def test_another_provider_cannot_compare_a_listings_versions(
    client, provider_a, provider_b, listing_a
):
    client.force_login(provider_a)
    submit_change(client, listing_a, time_from="08:00")
    client.force_login(provider_b)
    assert_denied(client.get(compare_url(listing_a)))


def test_untouched_rich_text_is_not_a_change_however_the_editor_keyed_its_blocks():
    from wagtail.admin.compare import comparison_class_registry

    field = ListingPage._meta.get_field("description")
    comparison_class = comparison_class_registry.get(field)
    old = ListingPage(description="<p>Trained staff.</p>\n<ul><li>Swimming</li></ul>")
    same = ListingPage(
        description='<p data-block-key="a1b2c">Trained staff.</p>'
        '<ul><li data-block-key="x9y8z">Swimming</li></ul>'
    )
    bolder = ListingPage(description="<p><b>Trained</b> staff.</p><ul><li>Swimming</li></ul>")
    assert not comparison_class(field, old, same).has_changed()
    assert comparison_class(field, old, bolder).has_changed()


@pytest.mark.parametrize(
    ("hour", "minute", "words"),
    [
        (10, 0, "10am"),
        (15, 30, "3:30pm"),
        (12, 0, "midday"),
        (0, 0, "midnight"),
        (12, 15, "12:15pm"),
    ],
)
def test_times_are_written_as_govuk_writes_them(hour, minute, words):
    import datetime

    from directory.compare import time_in_words

    assert time_in_words(datetime.time(hour, minute)) == words
