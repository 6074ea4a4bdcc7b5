"""The address a request came from, for throttling sign-in per address.

Behind a reverse proxy every request reaches Django from the proxy's address, so throttling by
`REMOTE_ADDR` alone would lock every family out together. With `TRUSTED_PROXIES` set to the
number of proxies the council runs in front of the site, the client is the address that many
entries from the right of `X-Forwarded-For` (the proxies append; anything further left was
sent by the client and is not trusted)."""

from django.conf import settings


def client_ip(request, credentials=None) -> str:
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
