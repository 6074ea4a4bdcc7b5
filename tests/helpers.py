"""Helpers tests share: people with roles, real postcodes from the test gazetteer, what a
refusal looks like, and what an admin list's spreadsheet download holds."""

import csv
import io
import zipfile

import openpyxl
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from gazetteer.models import Postcode

PASSWORD = "correct horse battery staple"


def make_user(username: str, *groups: str, **fields):
    """A person who can sign in with PASSWORD, in the named groups."""
    user = get_user_model().objects.create_user(
        username=username,
        email=fields.pop("email", f"{username}@example.org"),
        password=PASSWORD,
        **fields,
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def authenticator_for(user) -> TOTPDevice:
    """The person's authenticator app (a confirmed TOTP device), set up if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def pass_second_factor(client, user) -> None:
    """Finish the test client's sign-in as the verification page would, for a person who has
    an authenticator app or whose role requires one (tests/conftest.py does this for every
    `client.force_login` and `client.login`, unless the test is marked `password_only`)."""
    from home.two_factor.rules import has_authenticator, must_use_second_factor

    if not (has_authenticator(user) or must_use_second_factor(user)):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()


def postcode_in(sector: str) -> str:
    """The first real postcode in a postcode sector ("NE1 4") of the test gazetteer."""
    return Postcode.objects.filter(sector=sector).order_by("postcode").first().postcode


def assert_denied(response):
    """The admin turns a PermissionDenied into a redirect to the dashboard with a message;
    elsewhere it is a 403. Either way, nothing is shown or changed."""
    if response.status_code == 302:
        assert response["Location"] in ("/admin/", "/admin/login/") or response[
            "Location"
        ].startswith("/admin/login/"), response["Location"]
    else:
        assert response.status_code == 403, response.status_code


def downloaded(response) -> bytes:
    """The whole body of a download, streamed (CSV, XLSX) or not."""
    assert response.status_code == 200, response.status_code
    if response.streaming:
        # Reading it to the end closes it, as the test client arranges. Closing it again would
        # send request_finished with the connection-closing handler connected, and on
        # PostgreSQL close the test's own database connection.
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(body: bytes) -> list[list[str]]:
    """A CSV download's rows, read by the csv module (after its UTF-8 byte order mark)."""
    assert body.startswith(b"\xef\xbb\xbf"), "a CSV for spreadsheets starts with a BOM"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def xlsx_sheet(body: bytes):
    """An XLSX download's first sheet, opened by openpyxl."""
    return openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]


def xlsx_rows(body: bytes) -> list[list]:
    """An XLSX download's rows by openpyxl, empty cells as ""."""
    return [
        ["" if value is None else value for value in row]
        for row in xlsx_sheet(body).iter_rows(values_only=True)
    ]


def xlsx_text(body: bytes) -> str:
    """Every part of an XLSX (a zip of XML files), as one text to search."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def run_task_worker() -> None:
    """The background task worker (`manage.py db_worker`) working through every queued task
    once, as in production. Between tasks it closes stale database connections; inside a test's
    transaction that would close the test's own PostgreSQL connection (SQLite in memory ignores
    it), so here it leaves the connection alone."""
    from unittest import mock

    from django.core.management import call_command

    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command("db_worker", batch=True, queue_name="*", verbosity=0)
