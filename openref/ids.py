"""Ids in the open data: stable UUIDs, never database ids.

Listings, organisations and taxonomy terms kept in the database have their own `uuid`. The
records the open data builds from a listing (its location, address, schedule, cost, contact,
attributes...) take a UUID derived from the listing's, so they stay the same from one request
to the next without being stored.
"""

import hashlib
import uuid

# Fixed for ever: changing it would change every derived id a consumer has stored.
NAMESPACE = uuid.UUID("b6daad3e-b75c-4d68-b35c-c3da68acdb9b")


def derived(parent: uuid.UUID | str, *parts: object) -> str:
    """The id of a record built from `parent` (a listing's or organisation's uuid).

    `str(uuid.uuid5(parent, name))`, written out: a fully nested service has dozens of these,
    and building UUID objects to print them was a tenth of the time streaming the directory
    took (tests/openref/test_batches.py checks it is the same)."""
    if not isinstance(parent, uuid.UUID):
        parent = uuid.UUID(str(parent))
    name = ":".join(str(part) for part in parts).encode()
    digest = bytearray(hashlib.sha1(parent.bytes + name).digest()[:16])  # noqa: S324 (UUID v5)
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def named(*parts: object) -> str:
    """The id of something defined in code (a taxonomy, a term taken from a fixed list)."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


def parse(text) -> uuid.UUID | None:
    """A UUID from a request, or None when it is not one (so the caller answers 404 or 400).
    Only ASCII: Python would otherwise read other scripts' digits as hex digits."""
    if not isinstance(text, str) or len(text) > 64 or not text.isascii():
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def compact(value):
    """Leave out what has no value: None, empty strings, lists and objects, at every depth.
    Open Referral UK consumers expect optional fields to be absent, never null or empty.

    (One pass, recursing only into lists and objects: it runs over every record streamed.)"""
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if isinstance(item, dict | list):
                item = compact(item)
            if item is not None and (item or not isinstance(item, str | list | dict)):
                cleaned[key] = item
        return cleaned
    if isinstance(value, list):
        kept = []
        for item in value:
            if isinstance(item, dict | list):
                item = compact(item)
            if item is not None and (item or not isinstance(item, str | list | dict)):
                kept.append(item)
        return kept
    return value
