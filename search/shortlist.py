"""A family's shortlist: listings they want to come back to.

Kept in the session for anyone (no account needed), and in the family's account once they
sign in (what they saved before signing in joins it). Printable, and shareable as a link that
holds only listing numbers."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from core import parsing
from directory.models import ListingPage

from .models import SavedListing

SESSION_KEY = "shortlist"
MAX_ITEMS = 50


def _session_ids(session) -> list[int]:
    return [i for i in session.get(SESSION_KEY, []) if isinstance(i, int)][:MAX_ITEMS]


def _signed_in(request) -> bool:
    return request.user.is_authenticated


def ids_in(request) -> list[int]:
    if _signed_in(request):
        saved = SavedListing.objects.filter(user=request.user).order_by("added_at", "pk")
        return list(saved.values_list("listing_id", flat=True)[:MAX_ITEMS])
    return _session_ids(request.session)


def on_it(request, listing_id: int) -> bool:
    """Whether the listing is on the shortlist; read once per request, however many listings a
    page asks about."""
    ids = getattr(request, "_shortlist_ids", None)
    if ids is None:
        ids = request._shortlist_ids = set(ids_in(request))
    return listing_id in ids


def add(request, listing_id: int) -> None:
    if _signed_in(request):
        if SavedListing.objects.filter(user=request.user).count() < MAX_ITEMS:
            SavedListing.objects.get_or_create(user=request.user, listing_id=listing_id)
        return
    ids = _session_ids(request.session)
    if listing_id not in ids:
        ids.append(listing_id)
    request.session[SESSION_KEY] = ids[-MAX_ITEMS:]


def remove(request, listing_id: int) -> None:
    if _signed_in(request):
        SavedListing.objects.filter(user=request.user, listing_id=listing_id).delete()
        return
    request.session[SESSION_KEY] = [i for i in _session_ids(request.session) if i != listing_id]


@receiver(user_logged_in, dispatch_uid="search.shortlist.keep_on_sign_in")
def keep_on_sign_in(sender, request, user, **kwargs):
    """What a family saved before signing in joins the shortlist in their account."""
    if request is None or not hasattr(request, "session"):
        return
    ids = _session_ids(request.session)
    if not ids:
        return
    live = set(ListingPage.objects.filter(pk__in=ids).values_list("pk", flat=True))
    have = set(SavedListing.objects.filter(user=user).values_list("listing_id", flat=True))
    room = MAX_ITEMS - len(have)
    new = [i for i in ids if i in live and i not in have][: max(room, 0)]
    SavedListing.objects.bulk_create([SavedListing(user=user, listing_id=i) for i in new])
    request.session.pop(SESSION_KEY, None)


def parse_ids(text: str) -> list[int]:
    """`ids` from a shared link: numbers only, no repeats, at most MAX_ITEMS."""
    return parsing.parse_ids((text or "").split(",")[: MAX_ITEMS * 2])[:MAX_ITEMS]


def public_listings(ids: list[int]) -> list[ListingPage]:
    """The listings still in the public directory, in the order they were saved."""
    found = ListingPage.objects.in_directory().filter(pk__in=ids).with_card_data().in_bulk()
    return [found[i] for i in ids if i in found]


def saved_by(user) -> list[dict]:
    """A signed-in person's shortlist as they would read it: for their download of their data."""
    saved = SavedListing.objects.filter(user=user).select_related("listing").order_by("added_at")
    return [
        {"service": s.listing.title, "link": s.listing.url or "", "saved_at": s.added_at}
        for s in saved
    ]
