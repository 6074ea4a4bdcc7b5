"""A family's shortlist: listings they want to come back to. Kept in their session (no
account needed), printable, and shareable as a link that holds only listing numbers."""

from directory.models import ListingPage

SESSION_KEY = "shortlist"
MAX_ITEMS = 50


def ids_in(session) -> list[int]:
    return [i for i in session.get(SESSION_KEY, []) if isinstance(i, int)][:MAX_ITEMS]


def add(session, listing_id: int) -> None:
    ids = ids_in(session)
    if listing_id not in ids:
        ids.append(listing_id)
    session[SESSION_KEY] = ids[-MAX_ITEMS:]


def remove(session, listing_id: int) -> None:
    session[SESSION_KEY] = [i for i in ids_in(session) if i != listing_id]


def parse_ids(text: str) -> list[int]:
    """`ids` from a shared link: numbers only, no repeats, at most MAX_ITEMS."""
    seen = []
    for part in (text or "").split(",")[: MAX_ITEMS * 2]:
        part = part.strip()
        if part.isdigit() and len(part) < 10 and int(part) not in seen:
            seen.append(int(part))
    return seen[:MAX_ITEMS]


def public_listings(ids: list[int]) -> list[ListingPage]:
    """The listings still in the public directory, in the order they were saved."""
    found = ListingPage.objects.in_directory().filter(pk__in=ids).with_card_data().in_bulk()
    return [found[i] for i in ids if i in found]
