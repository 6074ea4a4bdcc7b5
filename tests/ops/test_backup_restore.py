"""A backup is only as good as its restore: back up a site with listings, a family's request
and an uploaded photo, restore into an empty database, and nothing is lost.

Runs on the suite's database: SQLite always, PostgreSQL when DATABASE_URL names one (CI runs
both). The restore runs as `manage.py restore` in a separate process against a new, empty
database, as it would on the day."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from brokerage.models import SupportRequest
from ops.backup import sha256
from tests.brokerage.conftest import make_request
from tests.factories.directory import PersonalAssistantPageFactory
from tests.helpers import make_user

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def gazetteer(transactional_db):
    """Transactional tests empty every table afterwards, the gazetteer included (pytest-django
    runs them last): load the NE postcodes again if a test before this one took them away."""
    from gazetteer.models import Postcode

    if not Postcode.objects.exists():
        call_command("load_gazetteer", areas=["NE"], verbosity=0)


@pytest.fixture
def site_with_data(gazetteer, directory, settings, tmp_path):
    from core.roles import FAMILIES
    from gazetteer.models import LocalAuthority

    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "kitemark" / "photos").mkdir(parents=True)
    (tmp_path / "media" / "kitemark" / "photos" / "visit.jpg").write_bytes(b"\xff\xd8photo")
    PersonalAssistantPageFactory(dbs=True, title="Sam, PA in Hexham")
    LocalAuthority.objects.get_or_create(code="E06000057", defaults={"name": "Northumberland"})
    make_request(make_user("family", FAMILIES))
    return tmp_path


@pytest.fixture
def empty_target(tmp_path):
    """A new, empty database of the same kind as the suite's, and how to count rows in it;
    dropped afterwards."""
    url, count, drop = make_empty_target(tmp_path)
    yield url, count
    drop()


def make_empty_target(tmp_path) -> tuple[str, callable, callable]:
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def count(table):
            with sqlite3.connect(path) as db:
                return db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608

        return f"sqlite:///{path}", count, lambda: None
    params = connection.settings_dict
    name = f"{params['NAME']}_restore"
    server = dict(host=params["HOST"] or "127.0.0.1", port=params["PORT"] or 5432)
    server["user"] = params["USER"]
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def count(table):
        with psycopg.connect(dbname=name, **server) as db:
            return db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608

    def drop():
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    url = f"postgres://{server['user']}@{server['host']}:{server['port']}/{name}"
    return url, count, drop


def manage(*args, database_url, media_root):
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_backup_restores_into_an_empty_database_with_nothing_lost(site_with_data, empty_target):
    tmp_path = site_with_data
    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["brokerage_supportrequest"] == 1
    assert manifest["tables"]["directory_personalassistantpage"] == 1
    assert manifest["tables"]["search_postcode"] > 10_000  # the NE gazetteer
    assert manifest["media"] == {
        "kitemark/photos/visit.jpg": sha256(Path(tmp_path / "media" / "kitemark/photos/visit.jpg"))
    }

    url, count = empty_target
    restored_media = tmp_path / "restored-media"
    result = manage(
        "restore", str(tmp_path / "backup"), database_url=url, media_root=restored_media
    )
    assert result.returncode == 0, result.stderr
    assert "counts checked" in result.stdout

    for table in ("brokerage_supportrequest", "wagtailcore_page", "auth_user", "search_postcode"):
        assert count(table) == manifest["tables"][table], table
    assert count("brokerage_supportrequest") == SupportRequest.objects.count() == 1
    photo = restored_media / "kitemark" / "photos" / "visit.jpg"
    assert photo.read_bytes() == b"\xff\xd8photo"

    # Restoring again would overwrite what is now there: refused without --force.
    again = manage("restore", str(tmp_path / "backup"), database_url=url, media_root=restored_media)
    assert again.returncode != 0
    assert "already holds data" in again.stderr
    forced = manage(
        "restore", str(tmp_path / "backup"), "--force", database_url=url, media_root=restored_media
    )
    assert forced.returncode == 0, forced.stderr
    assert count("brokerage_supportrequest") == 1


def test_a_damaged_backup_is_refused_before_anything_is_touched(site_with_data):
    tmp_path = site_with_data
    call_command("backup", str(tmp_path / "backup"))
    with (tmp_path / "backup" / "media" / "kitemark" / "photos" / "visit.jpg").open("ab") as f:
        f.write(b"corrupted")
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("restore", str(tmp_path / "backup"), force=True)
    assert SupportRequest.objects.count() == 1


def test_a_backup_never_writes_over_an_earlier_one(site_with_data):
    tmp_path = site_with_data
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "manifest.json").write_text("{}")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "backup"))
