"""Logs that are safe to keep: every line redacted, one JSON object a line when asked.

`LOG_FORMAT=json` turns each log record into a JSON line carrying the request id that
`ops.middleware.RequestIdMiddleware` gives each request, so one family's failed search can be
followed from the access log to the traceback without the log ever holding their postcode.
Redaction runs on the whole formatted record, traceback included, because an exception's text
can quote a value a family typed.
"""

import contextvars
import datetime
import json
import logging
from urllib.parse import urlsplit, urlunsplit

from core.logging import redact

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# Paths whose query string describes a child (age, needs, where the family lives): the whole
# query string is dropped from anything logged, not just the parts that look like a postcode.
PRIVATE_QUERY_PATHS = ("/search/",)


def redact_url(url: str) -> str:
    """A URL (absolute, or a path with its query) fit for a log."""
    if not url or url == "-":
        return url
    parts = urlsplit(url)
    if parts.query and parts.path.startswith(PRIVATE_QUERY_PATHS):
        parts = parts._replace(query="[redacted]")
    return redact(urlunsplit(parts))


class RequestIdFilter(logging.Filter):
    """Stamps each record with the id of the request being answered ("-" outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class RedactingFormatter(logging.Formatter):
    """Plain text, or JSON lines with `json=True`; redacted after formatting, so the message,
    its arguments and any traceback are all covered."""

    def __init__(self, *args, json: bool = False, **kwargs):
        kwargs.setdefault("fmt", "%(levelname)s %(name)s [%(request_id)s] %(message)s")
        super().__init__(*args, **kwargs)
        self.json = json

    def formatException(self, ei) -> str:
        # logging.Formatter caches this on the record (exc_text) for every other handler of
        # the same record, so it is redacted here, not only in the finished line.
        return redact(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return redact(super().formatStack(stack_info))

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not self.json:
            return redact(super().format(record))
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "request_id": record.request_id,
            "message": redact(record.getMessage()),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)
