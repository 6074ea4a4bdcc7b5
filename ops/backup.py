"""Backups that restore: the database and the media files, with a manifest to check them by.

A backup directory holds `database.sqlite3` (SQLite, through sqlite3's online backup API) or
`database.dump` (PostgreSQL, `pg_dump --format=custom`), `media/` (a copy of MEDIA_ROOT) and
`manifest.json`: the row count of every table and the SHA-256 of every file. Row counts are
taken from the very data that was saved (the SQLite copy; the same PostgreSQL snapshot that
pg_dump reads), so a backup of a live site still checks exactly.

A restore refuses a target that already holds data unless forced, checks every hash before
touching anything, and compares every table's row count afterwards.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def count_rows(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quoted(table)}")  # noqa: S608 (catalogue names)
        counts[table] = cursor.fetchone()[0]
    return counts


def sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return [name for (name,) in rows]


def postgres_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    return [name for (name,) in cursor.fetchall()]


def pg_environment(connection) -> dict[str, str]:
    params = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PGHOST=str(params.get("HOST") or "127.0.0.1"),
        PGPORT=str(params.get("PORT") or 5432),
        PGUSER=str(params.get("USER") or "postgres"),
        PGDATABASE=str(params["NAME"]),
    )
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return env


def run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


# --- backup -------------------------------------------------------------------------------


def backup(destination: Path, *, using: str = "default") -> dict:
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty: back up into a new directory")
    destination.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        database_file, counts = backup_sqlite(connection, destination / "database.sqlite3")
    elif connection.vendor == "postgresql":
        database_file, counts = backup_postgres(connection, destination / "database.dump")
    else:
        raise BackupError(f"No backup method for {connection.vendor}")

    media_root = Path(settings.MEDIA_ROOT)
    media = {}
    for path in media_files(media_root):
        relative = path.relative_to(media_root).as_posix()
        target = destination / "media" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
        media[relative] = sha256(target)

    manifest = {
        "format": FORMAT_VERSION,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "database": {"file": database_file.name, "sha256": sha256(database_file)},
        "tables": counts,
        "media": media,
    }
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def backup_sqlite(connection, target: Path) -> tuple[Path, dict[str, int]]:
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        counts = count_rows(copy.cursor(), sqlite_tables(copy))
    finally:
        copy.close()
    return target, counts


def backup_postgres(connection, target: Path) -> tuple[Path, dict[str, int]]:
    # One snapshot for the counts and the dump, so they agree even while families use the site.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = count_rows(cursor, postgres_tables(cursor))
            run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                pg_environment(connection),
            )
            cursor.execute("COMMIT")
    finally:
        raw.close()
    return target, counts


# --- restore ------------------------------------------------------------------------------


def read_manifest(source: Path) -> dict:
    path = Path(source) / MANIFEST
    if not path.exists():
        raise BackupError(f"{path} is missing: not a backup directory")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}")
    return manifest


def verify_files(source: Path, manifest: dict) -> None:
    expected = {manifest["database"]["file"]: manifest["database"]["sha256"]}
    expected.update({f"media/{name}": digest for name, digest in manifest["media"].items()})
    for name, digest in expected.items():
        path = source / name
        if not path.exists():
            raise BackupError(f"{name} is missing from the backup")
        if sha256(path) != digest:
            raise BackupError(f"{name} does not match its SHA-256 in the manifest")


def target_row_count(connection) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = postgres_tables(cursor)
        else:
            tables = [
                name
                for name in connection.introspection.table_names(cursor)
                if not name.startswith("sqlite_")
            ]
        return sum(count_rows(cursor, tables).values())


def restore(source: Path, *, force: bool = False, using: str = "default") -> dict:
    source = Path(source)
    manifest = read_manifest(source)
    verify_files(source, manifest)
    connection = connections[using]
    if connection.vendor != manifest["vendor"]:
        raise BackupError(
            f"This backup is of a {manifest['vendor']} database; the target is {connection.vendor}"
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        if target_row_count(connection):
            raise BackupError("The target database already holds data: use --force to replace it")
        if media_files(media_root):
            raise BackupError(f"{media_root} already holds files: use --force to replace them")

    database_file = source / manifest["database"]["file"]
    if connection.vendor == "sqlite":
        restore_sqlite(connection, database_file)
    else:
        restore_postgres(connection, database_file, force=force)

    for name, digest in manifest["media"].items():
        target = media_root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / "media" / name, target)
        if sha256(target) != digest:
            raise BackupError(f"media/{name} was not copied faithfully")

    connection.close()
    with connection.cursor() as cursor:
        restored = count_rows(cursor, manifest["tables"])
    differences = {
        table: (count, restored[table])
        for table, count in manifest["tables"].items()
        if restored[table] != count
    }
    if differences:
        raise BackupError(f"Row counts differ after restoring (expected, found): {differences}")
    return manifest


def restore_sqlite(connection, database_file: Path) -> None:
    connection.ensure_connection()
    saved = sqlite3.connect(database_file)
    try:
        saved.backup(connection.connection)  # replaces the whole target database
    finally:
        saved.close()


def restore_postgres(connection, database_file: Path, *, force: bool) -> None:
    connection.close()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    if force:
        command += ["--clean", "--if-exists"]
    else:
        command += ["--single-transaction"]
    run(
        [*command, f"--dbname={connection.settings_dict['NAME']}", str(database_file)],
        pg_environment(connection),
    )
