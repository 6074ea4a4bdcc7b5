"""Only council staff and commissioners (and superusers) see the dashboard, its downloads and
its menu item; providers, brokers, kitemark coordinators, families and anonymous people are
refused."""

import pytest

from tests.helpers import assert_denied

from .helpers import DASHBOARD, sign_in

pytestmark = pytest.mark.django_db

REFUSED = ["provider_a", "broker", "coordinator", "family", "young_auditor"]


@pytest.mark.parametrize("role", ["moderator", "superuser"])
def test_council_staff_see_the_dashboard_and_its_menu_item(client, request, role, listings):
    sign_in(client, request.getfixturevalue(role))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "Supply: listings in the directory today" in response.content.decode()
    menu = client.get("/admin/").content.decode()
    assert DASHBOARD in menu
    assert client.get(DASHBOARD, {"download": "supply-kind.csv"}).status_code == 200


@pytest.mark.parametrize("role", REFUSED)
def test_everyone_else_is_refused(client, request, role, directory):
    sign_in(client, request.getfixturevalue(role))
    assert_denied(client.get(DASHBOARD))
    assert_denied(client.get(DASHBOARD, {"download": "supply-kind.csv"}))
    menu = client.get("/admin/")
    assert DASHBOARD not in menu.content.decode()


def test_anonymous_people_are_sent_to_sign_in(client, directory):
    for params in ({}, {"download": "supply-kind.csv"}):
        response = client.get(DASHBOARD, params)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_a_site_with_nothing_in_it_shows_zeros(client, moderator):
    sign_in(client, moderator)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "There are 0 listings in the directory" in response.content.decode()
