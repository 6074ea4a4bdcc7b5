"""Keeps personal data and secrets out of the logs."""

import logging
import re

# DBS certificate numbers are 12 digits; emails, UK postcodes and phone numbers identify people
# too.
PATTERNS = [
    # UK telephone numbers: 0 or +44 (or "(0191)") and 9 or 10 more digits, spaced or not (before
    # certificate numbers: +447700900123 is 12 digits too).
    (
        re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d(?:[\s)-]{0,2}\d){8,9}(?!\w)"),
        "[phone]",
    ),
    (re.compile(r"\b\d{12}\b"), "[certificate-number]"),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE), "[postcode]"),
    (re.compile(r"(password|token|secret|signature)=[^&\s]+", re.IGNORECASE), r"\1=[redacted]"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactPersonalDataFilter(logging.Filter):
    """Redacts the message, and the traceback too: an exception's text can quote what a family
    typed. The traceback is formatted here and kept on the record as `exc_text`, which every
    `logging.Formatter` prints instead of formatting `exc_info` again."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
