"""A family the search cannot help still gets a next step: which council they live in, which
councils this directory covers, a link to their own council's Local Offer (kept by council
staff in the admin), and only the filters they actually chose offered for removal."""

import re

import pytest
from django.urls import reverse

from gazetteer.models import Postcode
from search.models import LocalOffer, UnmetDemand
from tests.factories.directory import InclusiveClubPageFactory
from tests.helpers import assert_denied, postcode_in

pytestmark = pytest.mark.django_db

GLOUCESTERSHIRE_LOCAL_OFFER = (
    "https://www.glosfamiliesdirectory.org.uk/kb5/gloucs/glosfamilies/advice.page?id=wuqVE7zhde8"
)


@pytest.fixture
def club(org_a):
    return InclusiveClubPageFactory(
        organisation=org_a, title="Hexham Friday club", postcode=postcode_in("NE46 3")
    )


@pytest.fixture
def cotswold_postcode(db):
    """GL54 1AA, in Cotswold (a district of Gloucestershire): outside the test gazetteer's
    NE area, so added here as the ONS directory has it."""
    Postcode.objects.create(
        postcode="GL54 1AA",
        outcode="GL54",
        sector="GL54 1",
        latitude=51.8856,
        longitude=-1.9636,
        local_authority_code="E07000079",
    )
    return "GL54 1AA"


def search(client, **params):
    return client.get("/search/", params).content.decode()


def test_a_family_outside_the_area_is_told_their_council_and_sent_to_its_local_offer(
    client, club, cotswold_postcode
):
    page = search(client, postcode=cotswold_postcode)
    assert "0 results" in page
    assert "GL54 1 is in Cotswold" in page
    assert "This directory only lists services in Northumberland." in page
    # Cotswold is a district: Gloucestershire County Council publishes its Local Offer.
    assert "Gloucestershire County Council publishes the Local Offer for Cotswold" in page
    assert (
        f'<a class="govuk-link" href="{GLOUCESTERSHIRE_LOCAL_OFFER}">'
        "Go to Gloucestershire County Council’s Local Offer</a>"
    ) in page
    # No filters were chosen and the furthest distance was searched: nothing to remove.
    assert "fewer filters" not in page and "Remove “" not in page
    assert "Search up to 30 miles away" not in page
    assert 'href="/requests/">Ask for help finding support</a>' in page
    # What nobody found is still noted for the council, without the family's details.
    (record,) = UnmetDemand.objects.all()
    assert record.local_authority_code == "E07000079" and record.outcode == "GL54"


def test_a_council_without_a_known_local_offer_is_found_through_gov_uk(
    client, club, cotswold_postcode
):
    LocalOffer.objects.filter(council_code="E07000079").update(url="")
    page = search(client, postcode=cotswold_postcode)
    assert "GL54 1 is in Cotswold" in page
    assert '<a class="govuk-link" href="https://www.gov.uk/find-local-council">' in page
    assert "Find your local council on GOV.UK</a>" in page


def test_the_local_offer_table_is_seeded_only_with_councils_own_addresses():
    offers = dict(LocalOffer.objects.values_list("council_code", "publisher"))
    assert offers["E06000057"] == "Northumberland County Council"
    assert offers["E07000079"] == "Gloucestershire County Council"  # Cotswold
    assert offers["E07000081"] == "Gloucestershire County Council"  # Gloucester
    assert all(
        url.startswith("https://") for url in LocalOffer.objects.values_list("url", flat=True)
    )


def test_nothing_found_inside_the_area_names_only_the_filters_chosen_each_with_a_link(client, club):
    near = postcode_in("NE48 2")
    page = search(client, postcode=near, age="7", kind="personal_assistant", verified_dbs="on")
    assert "0 results" in page
    removals = re.findall(r'<a class="govuk-link" href="\?([^"]*)">Remove “([^”]*)”</a>', page)
    labels = [label for _, label in removals]
    assert labels == [
        "Kind of support: Personal assistant",
        "Age of your child or young person: 7",
        "Only show DBS checks verified by the council",
    ]
    without_kind = removals[0][0]
    assert (
        "kind=" not in without_kind
        and "age=7" in without_kind
        and "verified_dbs=on" in without_kind
    )
    assert "Northumberland County Council publishes the Local Offer for Northumberland" in page
    assert "is in Cotswold" not in page


def test_nothing_found_with_no_filters_chosen_suggests_removing_none(client, directory):
    page = search(client, postcode=postcode_in("NE48 2"), mode="both", sort="distance")
    assert "0 results" in page and "What you can do next" in page
    assert "Remove “" not in page and "fewer filters" not in page
    assert "Search up to 30 miles away" not in page  # the furthest was searched already


def test_a_shorter_distance_chosen_is_offered_the_furthest(client, club):
    page = search(client, postcode=postcode_in("NE48 2"), radius="1", kind="personal_assistant")
    assert "0 results" in page
    assert re.search(r'href="\?[^"]*radius=30[^"]*">Search up to 30 miles away</a>', page)


def test_results_inside_the_area_show_no_out_of_area_message(client, club):
    page = search(client, postcode=postcode_in("NE46 3"))
    assert "Hexham Friday club" in page
    assert "This directory only lists services in" not in page
    assert "What you can do next" not in page


# --- The Local Offer table in the admin: council staff only --------------------------------


def test_council_staff_keep_the_local_offer_addresses(client, moderator):
    client.force_login(moderator)
    index = client.get(reverse("local_offers:index"))
    assert index.status_code == 200
    assert "Gloucestershire County Council" in index.content.decode()
    response = client.post(
        reverse("local_offers:add"),
        {
            "council_code": "e08000037",
            "publisher": "Gateshead Council",
            "url": "https://example.org/gateshead-local-offer",
        },
    )
    assert response.status_code == 302
    assert LocalOffer.objects.get(council_code="E08000037").publisher == "Gateshead Council"


def test_a_local_offer_address_typed_without_https_is_kept_as_https(client, moderator):
    """Staff often paste "www..." from a letter: families are sent to the secure address,
    never to plain http."""
    client.force_login(moderator)
    response = client.post(
        reverse("local_offers:add"),
        {
            "council_code": "E08000037",
            "publisher": "Gateshead Council",
            "url": "www.example.org/gateshead-local-offer",
        },
    )
    assert response.status_code == 302
    saved = LocalOffer.objects.get(council_code="E08000037").url
    assert saved == "https://www.example.org/gateshead-local-offer"


def test_a_council_code_that_is_not_a_council_is_refused_clearly(client, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("local_offers:add"),
        {"council_code": "NOTACODE", "publisher": "Somewhere", "url": "not a web address"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter the code of a council in England, like E07000079 for Cotswold" in content
    assert "Enter a valid URL" in content
    assert not LocalOffer.objects.filter(publisher="Somewhere").exists()


def test_nobody_but_council_staff_sees_or_changes_the_local_offer_addresses(
    client, provider_a, broker, coordinator, family, young_auditor
):
    offer = LocalOffer.objects.get(council_code="E07000079")
    edit = reverse("local_offers:edit", args=[offer.pk])
    anonymous = client.get(reverse("local_offers:index"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    for user in (provider_a, broker, coordinator, family, young_auditor):
        client.force_login(user)
        assert_denied(client.get(reverse("local_offers:index")))
        assert_denied(client.get(edit))
        assert_denied(client.post(edit, {"council_code": "E07000079", "publisher": "X", "url": ""}))
    offer.refresh_from_db()
    assert offer.publisher == "Gloucestershire County Council"
