"""Create a PostgreSQL database if it does not exist: `python config/create_database.py URL`.

Used by `make bench-postgres`, whose benchmark database is kept between runs."""

import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg


def main(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main(sys.argv[1])
