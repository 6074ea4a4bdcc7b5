"""Every plain-text email of every app (directory, brokerage, kitemark, home) is written
without HTML escaping: a name with an apostrophe or an ampersand arrives as typed, in the
subject and in the body."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings

from core import outbox

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    path
    for path in ROOT.glob("*/templates/messages/*.txt")
    if not path.name.endswith("_subject.txt")
)
NAME = "O'Brien & Daughters' \"Saturday\" Club"
ENTITIES = ("&#x27;", "&#39;", "&amp;", "&quot;", "&#34;")
NOT_NAMES = {"if", "elif", "else", "endif", "not", "and", "or", "for", "endfor", "in"}
DAY = datetime.date(2027, 3, 1)
WHEN = datetime.datetime(2027, 3, 1, 9, 30, tzinfo=datetime.UTC)


def value_for(name: str):
    """A date where the email shows a date, else the name."""
    if name.endswith("_at"):
        return WHEN
    if name == "due" or name.endswith(("_on", "date")):
        return DAY
    return Named()


class Named:
    """Any record or value an email may read: every attribute of it is the same name."""

    def __str__(self):
        return NAME

    def __getattr__(self, attribute):
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return value_for(attribute)

    def __iter__(self):
        return iter([self])


def context_for(kind: str) -> dict:
    text = "".join(
        (path.parent / f"{kind}{suffix}.txt").read_text()
        for path in TEMPLATES
        if path.stem == kind
        for suffix in ("", "_subject")
    )
    names = set(re.findall(r"{[{%]\s*(?:(?:if|elif)\s+)?(?:not\s+)?([a-z_]+)", text))
    context = {name: value_for(name) for name in names - NOT_NAMES}
    context["url"] = "/somewhere/"
    return context


def test_every_app_has_plain_text_emails_to_check():
    apps = {path.parts[-4] for path in TEMPLATES}
    assert {"directory", "brokerage", "kitemark", "home"} <= apps


@pytest.mark.parametrize("kind", [path.stem for path in TEMPLATES])
def test_an_email_says_a_name_with_an_apostrophe_as_it_was_typed(kind):
    context = context_for(kind)
    subject, body = outbox.render(kind, context)
    text = subject + "\n" + body
    if any(isinstance(value, Named) for value in context.values()):
        assert NAME in text or NAME.lower() in text, kind
    for entity in ENTITIES:
        assert entity not in text, (kind, entity)
