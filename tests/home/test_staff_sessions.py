"""Staff sessions end after 30 minutes without a request (STAFF_SESSION_IDLE_MINUTES); each
request starts the 30 minutes again. Families keep Django's usual session, so a parent who
steps away from a long request form does not lose their place."""

import datetime

import pytest
from freezegun import freeze_time

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=datetime.UTC)


def minutes(n: int) -> datetime.datetime:
    return START + datetime.timedelta(minutes=n)


@pytest.mark.parametrize("role", ["moderator", "broker", "coordinator", "provider_a"])
def test_a_staff_session_ends_after_30_minutes_idle(client, request, role):
    with freeze_time(START):
        client.force_login(request.getfixturevalue(role))
        assert client.get("/admin/").status_code == 200
    with freeze_time(minutes(31)):
        response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_each_request_starts_a_staff_members_30_minutes_again(client, broker):
    with freeze_time(START):
        client.force_login(broker)
        client.get("/admin/")
    for at in (25, 50, 75):
        with freeze_time(minutes(at)):
            assert client.get("/admin/").status_code == 200


def test_a_familys_session_lasts_beyond_30_minutes_idle(client, family):
    with freeze_time(START):
        client.force_login(family)
        assert client.get("/account/").status_code == 200
    with freeze_time(minutes(60 * 24)):
        assert client.get("/account/").status_code == 200
