"""Free-text places ("Bellingham", "Hexham General Hospital") for deployments that allow it.

The offline gazetteer is always tried first (a postcode). Online geocoding through
Nominatim is off by default (`SEARCH_ONLINE_GEOCODER`); when on, it is limited to one request
a second as Nominatim's policy requires, restricted to Great Britain, and cached, so the same
place is never looked up twice a day. Tests replace `get_geocoder()`; they never use the
network.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

logger = logging.getLogger(__name__)
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Found:
    latitude: float
    longitude: float
    label: str


class NominatimGeocoder:
    def __init__(self):
        client = Nominatim(user_agent=settings.SEARCH_GEOCODER_USER_AGENT, timeout=3)
        self._geocode = RateLimiter(client.geocode, min_delay_seconds=1.0, max_retries=1)

    def geocode(self, text: str) -> Found | None:
        result = self._geocode(text, country_codes="gb", exactly_one=True)
        if result is None:
            return None
        return Found(result.latitude, result.longitude, result.address.split(",")[0])


def get_geocoder():
    if not settings.SEARCH_ONLINE_GEOCODER:
        return None
    return NominatimGeocoder()


def geocode_place(text: str) -> Found | None:
    """A place name to coordinates, or None (off, not found, or the service failed)."""
    text = " ".join((text or "").split())[:100]
    geocoder = get_geocoder()
    if not text or geocoder is None:
        return None
    key = "geocode:" + hashlib.sha256(text.lower().encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return Found(**cached) if cached else None
    try:
        found = geocoder.geocode(text)
    except Exception as error:  # noqa: BLE001 - a geocoder failure must not break a search
        logger.warning("Online geocoder failed (%s)", type(error).__name__)
        return None
    cache.set(key, found.__dict__ if found else {}, CACHE_SECONDS)
    return found
