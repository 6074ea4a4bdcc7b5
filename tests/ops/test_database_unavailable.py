"""The database goes away in the middle of a family's search: they see a plain "try again
shortly" page (503, no traceback), and the site answers again as soon as the database is back,
without anyone restarting it."""

import pytest
from django.db import connection
from django.db.utils import InterfaceError, OperationalError

from directory.models import ListingPage

pytestmark = pytest.mark.django_db


def fail_queries_while(flag: dict, error_class=OperationalError):
    def execute(execute, sql, params, many, context):
        if flag["down"]:
            raise error_class("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return execute


@pytest.mark.parametrize("error_class", [OperationalError, InterfaceError])
def test_a_database_outage_mid_request_shows_the_503_page_then_the_site_recovers(
    client, directory, error_class
):
    assert client.get("/directory/").status_code == 200
    flag = {"down": True}
    with connection.execute_wrapper(fail_queries_while(flag, error_class)):
        response = client.get("/directory/")
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        page = response.content.decode()
        assert "Sorry, the service is unavailable" in page
        assert "Traceback" not in page and "OperationalError" not in page
        assert "InterfaceError" not in page
        flag["down"] = False
        assert client.get("/directory/").status_code == 200


def test_the_503_page_needs_nothing_from_the_database(client, django_assert_num_queries):
    from ops.middleware import unavailable_response

    with django_assert_num_queries(0):
        response = unavailable_response()
    assert response.status_code == 503
    assert b"Try again in a minute" in response.content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_postgresql_connection_killed_by_the_server_recovers_on_the_next_request(
    client, directory
):
    """The real thing on PostgreSQL: the server ends this site's connection (as a failover or
    restart does); the request in flight gets the 503 page, and the next one reconnects."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL to end a server connection")
    assert client.get("/directory/").status_code == 200
    pid = connection.connection.info.backend_pid
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname="postgres",
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The site's connection is kept between requests (CONN_MAX_AGE), so the next request runs
    # on the dead one.
    response = client.get("/directory/")
    assert response.status_code == 503
    assert client.get("/directory/").status_code == 200
    assert ListingPage.objects.exists() in (True, False)  # this connection works again too


def test_a_database_error_raised_outside_the_view_also_shows_the_503_page(rf):
    """A middleware saving the session after the view answered, for instance."""
    from ops.views import server_error

    request = rf.get("/")
    try:
        raise OperationalError("could not connect to server")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize(
    ("who", "path"), [("family", "/requests/"), ("moderator", "/admin/"), (None, "/")]
)
def test_signed_in_families_and_staff_get_the_503_page_too_then_their_pages_come_back(
    request, who, path
):
    """Signed in, the first query runs in a middleware (the session, the second factor),
    before any view: the site's 500 handler answers with the same plain 503 page."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    if who:
        client.force_login(request.getfixturevalue(who))
    request.getfixturevalue("directory")  # the site's pages, the home page among them
    expected = client.get(path).status_code
    assert expected in (200, 302)
    flag = {"down": True}
    with connection.execute_wrapper(fail_queries_while(flag)):
        response = client.get(path)
        page = response.content.decode()
        assert response.status_code == 503, page[:300]
        assert "Sorry, the service is unavailable" in page
        assert "Traceback" not in page and "OperationalError" not in page
        flag["down"] = False
        assert client.get(path).status_code == expected


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_that_stays_away_answers_503_every_time_until_it_is_back(client, directory):
    """The drill: the database server cannot be reached at all for a while (its address now
    refuses connections), then it is back; the same process serves families again at once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database reached over the network")
    assert client.get("/directory/").status_code == 200
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = closed_port()
    try:
        for _ in range(3):
            response = client.get("/directory/")
            assert response.status_code == 503
            assert b"Sorry, the service is unavailable" in response.content
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port
    assert client.get("/directory/").status_code == 200
