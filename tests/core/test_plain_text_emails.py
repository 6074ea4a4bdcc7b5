"""Plain-text emails are plain text: names with apostrophes and ampersands arrive as typed,
never as HTML entities, in the subject and the body."""

import datetime

import pytest
from django.core import mail

from core.dates import today
from directory import notifications
from directory.services import organisation_add_editor
from tests.factories.directory import ShortBreakServicePageFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def test_an_email_says_names_as_they_were_typed(django_capture_on_commit_callbacks, org_a):
    listing = ShortBreakServicePageFactory(
        organisation=org_a, title="O'Brien & Daughters' \"Saturday\" Club"
    )
    organisation_add_editor(organisation=org_a, user=make_user("editor", first_name="Siobhán"))
    with django_capture_on_commit_callbacks(execute=True):
        notifications.freshness_reminder(
            listing,
            weeks=13,
            hidden_on=today() + datetime.timedelta(weeks=13),
        )
    assert mail.outbox
    text = " ".join(m.subject + "\n" + m.body for m in mail.outbox)
    assert "O'Brien & Daughters' \"Saturday\" Club" in text
    for entity in ("&#x27;", "&amp;", "&quot;", "&#34;"):
        assert entity not in text
