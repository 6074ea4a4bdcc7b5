"""Personal data never reaches a log: not in a message, its arguments, nor a traceback."""

import io
import logging
import sys

import pytest

from core.logging import RedactPersonalDataFilter, redact
from ops.logging import RedactingFormatter

SECRETS = ("leila@example.org", "07700 900123", "001234567890", "NE46 3NR")


def failing_record():
    try:
        raise ValueError(
            "No DBS match for leila@example.org, phone 07700 900123, "
            "certificate 001234567890, living at NE46 3NR"
        )
    except ValueError:
        return logging.LogRecord(
            "directory", logging.ERROR, __file__, 1, "Check failed", None, sys.exc_info()
        )


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "+44 7700 900123",
        "+447700900123",
        "0191 498 0000",
        "(0191) 498 0000",
        "01434 600600",
        "0191-498-0000",
    ],
)
def test_uk_phone_numbers_are_redacted(phone):
    assert redact(f"Call {phone} after 5") == "Call [phone] after 5"


@pytest.mark.parametrize(
    "text", ["took 1234 ms", "request_id=0123456789ab", "listing 4501 on 2026-12-07", "id 12345"]
)
def test_numbers_that_are_not_phone_numbers_are_kept(text):
    assert redact(text) == text


def test_a_traceback_is_redacted_by_the_filter_whatever_formatter_the_handler_uses():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactPersonalDataFilter())
    handler.setFormatter(logging.Formatter("%(message)s"))  # a plain formatter, no redaction
    handler.handle(failing_record())
    logged = stream.getvalue()
    assert "ValueError: No DBS match for [email], phone [phone]" in logged
    assert "certificate [certificate-number], living at [postcode]" in logged
    for secret in SECRETS:
        assert secret not in logged, secret


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_the_redacting_formatter_never_caches_an_unredacted_traceback(as_json):
    entry = failing_record()
    logged = RedactingFormatter(json=as_json).format(entry)
    # Another handler of the same record reuses the cached exc_text: it must be clean too.
    reused = logging.Formatter("%(message)s").format(entry)
    for secret in SECRETS:
        assert secret not in logged, secret
        assert secret not in reused, secret
    assert "[phone]" in logged and "[phone]" in reused
