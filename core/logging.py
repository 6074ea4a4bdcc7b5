"""Keeps personal data and secrets out of the logs."""

import logging
import re

# DBS certificate numbers are 12 digits; emails and UK postcodes identify people too.
PATTERNS = [
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
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
