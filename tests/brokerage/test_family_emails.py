"""Each email a family gets about their request says in its subject what it is about, and
greets them by their first name, written as they typed it (an apostrophe stays one)."""

import pytest
from django.core import mail

from brokerage import services

from .conftest import make_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def family_named(family):
    family.first_name = "D'Arcy"
    family.email = "darcy@example.org"
    family.save()
    return family


def family_mail(address):
    return [m for m in mail.outbox if address in m.to]


def test_each_family_email_has_its_own_subject_and_greets_them_by_name(
    django_capture_on_commit_callbacks, family_named, northumberland, broker_ready
):
    with django_capture_on_commit_callbacks(execute=True):
        request = make_request(family_named)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_assign(user=broker_ready, request=request)
    sent = family_mail(family_named.email)
    assert [m.subject for m in sent] == [
        f"We have your request for support ({request.reference})",
        f"A broker is looking for support ({request.reference})",
    ]
    for message in sent:
        assert message.body.startswith("Hello D'Arcy,\n")
        assert "&#x27;" not in message.body and "&#x27;" not in message.subject
