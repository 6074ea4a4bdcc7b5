"""Gunicorn's logs with the same redaction as the site's own (`config/gunicorn.conf.py`).

The access log never holds the query string of a search (a child's age and needs, the family's
postcode), nor a postcode, email address or token anywhere else in a URL or the referrer. With
`LOG_FORMAT=json` each access line is a JSON object carrying the request id the site sent back.
"""

import datetime
import json
import logging
import os

from gunicorn import glogging

from core.logging import redact

from .logging import RedactingFormatter, redact_url

URL_ATOMS = ("U", "f", "{referer}i")


class RedactingLogger(glogging.Logger):
    def setup(self, cfg):
        super().setup(cfg)
        as_json = os.environ.get("LOG_FORMAT", "text").lower() == "json"
        self.as_json = as_json
        error_formatter = RedactingFormatter(
            fmt="%(asctime)s [%(process)d] %(levelname)s %(message)s", json=as_json
        )
        for handler in self.error_log.handlers:
            handler.setFormatter(error_formatter)
        for handler in self.access_log.handlers:
            handler.setFormatter(logging.Formatter("%(message)s"))

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = environ.get("PATH_INFO", "")
        query = environ.get("QUERY_STRING", "")
        raw = redact_url(environ.get("RAW_URI", path))
        atoms["r"] = f"{environ['REQUEST_METHOD']} {raw} {environ['SERVER_PROTOCOL']}"
        atoms["q"] = redact_url(f"{path}?{query}").partition("?")[2] if query else ""
        for key in URL_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = redact_url(atoms[key])
        for key, value in list(atoms.items()):
            if isinstance(value, str) and key.endswith("}e"):
                atoms[key] = "-"  # the WSGI environ holds the raw query string and cookies
            elif isinstance(value, str) and key not in ("r", "q", *URL_ATOMS):
                atoms[key] = redact(value)
        atoms["{cookie}i"] = "-"
        return atoms

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        if not getattr(self, "as_json", False):
            return super().access(resp, req, environ, request_time)
        atoms = self.atoms(resp, req, environ, request_time)
        entry = {
            "time": datetime.datetime.now(datetime.UTC).isoformat(),
            "level": "INFO",
            "logger": "gunicorn.access",
            "request_id": atoms.get("{x-request-id}o", "-"),
            "method": atoms["m"],
            "path": redact_url(atoms["U"] or ""),
            "query": atoms["q"],
            "status": int(atoms["s"]) if str(atoms["s"]).isdigit() else atoms["s"],
            "bytes": atoms["B"],
            "duration_ms": atoms["M"],
            "remote_addr": atoms["h"],
            "user_agent": atoms["a"],
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False, default=str))
        except Exception:
            self.exception("Could not write the access log")
