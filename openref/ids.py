"""Ids in the open data: stable UUIDs, never database ids.

Listings, organisations and taxonomy terms kept in the database have their own `uuid`. The
records the open data builds from a listing (its location, address, schedule, cost, contact,
attributes...) take a UUID derived from the listing's, so they stay the same from one request
to the next without being stored.
"""

import uuid

# Fixed for ever: changing it would change every derived id a consumer has stored.
NAMESPACE = uuid.UUID("b6daad3e-b75c-4d68-b35c-c3da68acdb9b")


def derived(parent: uuid.UUID | str, *parts: object) -> str:
    """The id of a record built from `parent` (a listing's or organisation's uuid)."""
    if not isinstance(parent, uuid.UUID):
        parent = uuid.UUID(str(parent))
    return str(uuid.uuid5(parent, ":".join(str(part) for part in parts)))


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
    Open Referral UK consumers expect optional fields to be absent, never null or empty."""
    if isinstance(value, dict):
        cleaned = {key: compact(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if not _empty(item)}
    if isinstance(value, list):
        cleaned = [compact(item) for item in value]
        return [item for item in cleaned if not _empty(item)]
    return value


def _empty(value) -> bool:
    return value is None or (isinstance(value, str | list | dict) and len(value) == 0)
