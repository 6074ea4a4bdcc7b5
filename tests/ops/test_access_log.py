"""Gunicorn's plain-text access log never holds what a family searched for (a child's age and
needs, their postcode), in the request line, the query or the referrer, nor their cookies."""

import datetime
import io
from types import SimpleNamespace

from gunicorn.config import Config

from ops.gunicorn_logging import RedactingLogger

SEARCH = "postcode=NE46+3NR&age=7&needs=autism"


def test_the_text_access_log_drops_a_searchs_query_string_and_cookies():
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s %(q)s %({cookie}i)s')
    logger = RedactingLogger(config)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.stream = stream
    referer = f"https://shortbreaks.example.org/search/?{SEARCH}"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/search/?{SEARCH}",
        "PATH_INFO": "/search/",
        "QUERY_STRING": SEARCH,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_REFERER": referer,
        "HTTP_COOKIE": "sessionid=s3cret",
    }
    response = SimpleNamespace(
        status="200 OK", status_code=200, response_length=10, sent=10, headers=[]
    )
    request = SimpleNamespace(headers=[("REFERER", referer), ("COOKIE", "sessionid=s3cret")])
    logger.access(response, request, environ, datetime.timedelta(seconds=0.01))
    line = stream.getvalue()
    assert line.startswith('10.0.0.1 "GET /search/?[redacted] HTTP/1.1" 200')
    assert '"https://shortbreaks.example.org/search/?[redacted]" /search/ [redacted] -' in line
    for secret in ("NE46", "age=7", "autism", "s3cret"):
        assert secret not in line, secret
