"""Reminders that go once: the daily jobs may run twice, or catch up after a day missed."""

from django.db import IntegrityError, transaction

from .models import SentReminder


def send_once(kind: str, key: str) -> bool:
    """Record that the reminder `kind` about `key` is going out now. False if it went before,
    so the caller sends nothing. Two jobs at once: the unique constraint lets one through."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=kind, key=key)
    except IntegrityError:
        return False
    return True
