"""Staff forms that read ids refuse other scripts' digits, numbers too big for the database,
and NUL bytes with a page, never a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOSTILE_IDS = ("²", "٣", "9" * 40, "99999999999999999999", "\x00", "-1", "1.5")


def test_a_broker_adding_a_listing_by_an_id_that_is_not_one_is_told_it_was_not_found(
    client, assigned, broker_ready
):
    client.force_login(broker_ready)
    url = reverse("brokerage_admin:matching", args=[assigned.pk])
    for value in HOSTILE_IDS:
        response = client.post(url, {"action": "add", "listing_id": value})
        assert response.status_code == 404, value


def test_council_staff_granting_areas_by_ids_that_are_not_ones_get_the_form_with_its_message(
    client, moderator, broker_ready
):
    client.force_login(moderator)
    url = reverse("brokerage_admin:broker_areas", args=[broker_ready.pk])
    for value in HOSTILE_IDS:
        response = client.post(url, {"areas": [value]})
        assert response.status_code == 200, value
        assert "Choose councils from the list" in response.content.decode()
