"""Errors reported to Sentry when `SENTRY_DSN` is set, with personal data scrubbed first.

`send_default_pii=False` keeps cookies, user details and IP addresses out; `scrub` then runs the
logs' redaction over every string in the event (messages, exception values, local variables,
breadcrumbs) and drops request bodies and the query string of pages that describe a child.
"""

import os

from core.logging import redact

from .logging import redact_url

DROPPED_REQUEST_KEYS = ("data", "cookies", "env")


def scrub_value(value, depth: int = 0):
    if depth > 20:
        return value
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: scrub_value(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_value(item, depth + 1) for item in value]
    return value


def scrub(event: dict, hint: dict | None = None) -> dict:
    request = event.get("request")
    if isinstance(request, dict):
        for key in DROPPED_REQUEST_KEYS:
            request.pop(key, None)
        url = request.get("url", "")
        if request.get("query_string"):
            query = request["query_string"]
            if isinstance(query, str):
                full = redact_url(f"{url}?{query}")
                request["query_string"] = full.partition("?")[2]
        headers = request.get("headers") or {}
        for name in list(headers):
            if name.lower() in ("cookie", "authorization", "referer", "x-forwarded-for"):
                headers[name] = "[redacted]"
    return scrub_value(event)


def init_sentry(dsn: str | None = None) -> bool:
    dsn = dsn if dsn is not None else os.environ.get("SENTRY_DSN", "")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        before_send=scrub,
        before_send_transaction=scrub,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("SENTRY_RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        max_request_body_size="never",
    )
    return True
