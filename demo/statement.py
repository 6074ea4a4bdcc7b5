"""The demo council's Short Breaks Services Statement: published, with a consultation log that
shows families' views changing the range, so `make run` shows the public page and its PDF."""

import datetime

from core.dates import add_months, today
from home.models import ConsultationEntry, ShortBreaksStatementPage

CONSULTATIONS = [
    (
        -10,
        "Parent carers' forum (24 families)",
        "Families in the west of the county said they could not reach any Saturday club without "
        "a 40-minute drive.",
        "We funded an inclusive Saturday club in Haltwhistle, and a travel grant for families "
        "more than 10 miles from the nearest club.",
    ),
    (
        -6,
        "Young people's kitemark panel",
        "Young people said they wanted to go to ordinary clubs with their friends, with support, "
        "not only to specialist groups.",
        "Clubs can now ask the council for an extra worker for a child who needs one, and the "
        "directory shows which clubs have the kitemark.",
    ),
    (
        -2,
        "Survey of families on the short breaks waiting list (61 replies)",
        "Families waiting for overnight short breaks asked for something in the meantime.",
        "Families waiting more than 8 weeks are now offered a personal assistant through a "
        "direct payment while they wait.",
    ),
]


def seed_statement_demo() -> ShortBreaksStatementPage | None:
    """Publish the statement with the demo consultations, once."""
    statement = ShortBreaksStatementPage.objects.first()
    if statement is None or statement.live:
        return statement
    statement.consultations.all().delete()
    for months, who, said, changed in CONSULTATIONS:
        when = add_months(today(), months)
        statement.consultations.add(
            ConsultationEntry(date=when, who=who, what_they_said=said, what_changed=changed)
        )
    statement.review_date = today() + datetime.timedelta(days=365)
    statement.save_revision().publish()
    return statement
