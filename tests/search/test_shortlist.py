"""A family keeps a shortlist in their session, shares it as a link, and prints it."""

import pytest
from django.urls import reverse

from tests.factories.directory import ShortBreakServicePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(org_a):
    return [
        ShortBreakServicePageFactory(organisation=org_a, title="Hexham Holiday Club"),
        ShortBreakServicePageFactory(organisation=org_a, title="Prudhoe Play Scheme"),
    ]


def test_a_family_adds_listings_and_sees_them_on_their_shortlist(client, two):
    for listing in two:
        client.post(reverse("search:shortlist_add", args=[listing.pk]))
    client.post(reverse("search:shortlist_add", args=[two[0].pk]))  # twice: kept once
    content = client.get(reverse("search:shortlist")).content.decode()
    assert content.count("Hexham Holiday Club") >= 1
    assert content.index("Hexham Holiday Club") < content.index("Prudhoe Play Scheme")
    assert f"ids={two[0].pk},{two[1].pk}" in content


def test_a_shared_link_shows_the_list_and_can_be_saved_by_someone_else(client, two):
    url = reverse("search:shortlist_shared") + f"?ids={two[1].pk},{two[0].pk}"
    content = client.get(url).content.decode()
    assert "A shortlist shared with you" in content
    assert content.index("Prudhoe Play Scheme") < content.index("Hexham Holiday Club")
    client.post(reverse("search:shortlist_save_shared"), {"ids": f"{two[1].pk},{two[0].pk}"})
    assert "Prudhoe Play Scheme" in client.get(reverse("search:shortlist")).content.decode()


def test_removing_takes_a_listing_off_the_shortlist(client, two):
    client.post(reverse("search:shortlist_add", args=[two[0].pk]), follow=True)
    client.post(reverse("search:shortlist_remove", args=[two[0].pk]), follow=True)
    assert "Hexham Holiday Club" not in client.get(reverse("search:shortlist")).content.decode()


@pytest.mark.parametrize("ids", ["", "abc", "1,,2,x", "9" * 40, ",".join(["1"] * 500)])
def test_a_mangled_shared_link_never_breaks(client, directory, ids):
    response = client.get(reverse("search:shortlist_shared"), {"ids": ids})
    assert response.status_code == 200


def test_hidden_and_draft_listings_cannot_be_shortlisted(client, org_a):
    draft = ShortBreakServicePageFactory(organisation=org_a, live=False)
    assert client.post(reverse("search:shortlist_add", args=[draft.pk])).status_code == 404
    content = client.get(reverse("search:shortlist_shared"), {"ids": str(draft.pk)}).content
    assert draft.title.encode() not in content


def test_adding_returns_the_family_to_where_they_were_but_never_off_site(client, two):
    url = reverse("search:shortlist_add", args=[two[0].pk])
    response = client.post(url, {"next": "/search/?postcode=NE1+4ST"})
    assert response["Location"] == "/search/?postcode=NE1+4ST"
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("search:shortlist")


def test_shortlist_changes_need_a_post(client, two):
    assert client.get(reverse("search:shortlist_add", args=[two[0].pk])).status_code == 405


def test_a_signed_in_family_keeps_their_shortlist_in_their_account(client, family, two):
    client.force_login(family)
    client.post(reverse("search:shortlist_add", args=[two[1].pk]))
    client.logout()
    assert "Prudhoe Play Scheme" not in client.get(reverse("search:shortlist")).content.decode()
    client.force_login(family)
    content = client.get(reverse("search:shortlist")).content.decode()
    assert "Prudhoe Play Scheme" in content
    assert "kept in your account" in content


def test_what_a_family_saved_before_signing_in_joins_their_account(client, family, two):
    client.force_login(family)
    client.post(reverse("search:shortlist_add", args=[two[0].pk]))
    client.logout()
    client.post(reverse("search:shortlist_add", args=[two[1].pk]))
    client.post(reverse("search:shortlist_add", args=[two[0].pk]))
    response = client.post(
        reverse("account:sign_in"),
        {"email": family.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert list(family.saved_listings.values_list("listing_id", flat=True)) == [
        two[0].pk,
        two[1].pk,
    ]


def test_one_familys_shortlist_is_never_shown_to_another(client, family, two):
    from tests.helpers import make_user

    client.force_login(family)
    client.post(reverse("search:shortlist_add", args=[two[0].pk]), follow=True)
    client.force_login(make_user("another-family"))
    assert "Hexham Holiday Club" not in client.get(reverse("search:shortlist")).content.decode()


def test_removing_from_an_account_shortlist_removes_it_for_good(client, family, two):
    client.force_login(family)
    client.post(reverse("search:shortlist_add", args=[two[0].pk]))
    client.post(reverse("search:shortlist_remove", args=[two[0].pk]))
    assert not family.saved_listings.exists()
