"""The family's timeline says what was done for them, never the broker's working notes or the
names of providers the broker weighed and did not ask."""

import pytest
from django.urls import reverse

from brokerage import services
from brokerage.timeline import family_timeline
from tests.factories.directory import PersonalAssistantPageFactory

pytestmark = pytest.mark.django_db


def test_the_timeline_shows_the_steps_and_how_many_were_asked_never_the_shortlist(
    client, family, assigned, broker_ready, listing
):
    never_asked = PersonalAssistantPageFactory(
        dbs=True, title="Joanne C., personal assistant in Bedlington"
    )
    second = PersonalAssistantPageFactory(dbs=True, title="Kim, PA in Corbridge")
    services.first_contact_record(
        user=broker_ready, request=assigned, note="Spoke to mum; worried about evenings"
    )
    services.candidate_add(user=broker_ready, request=assigned, listing=never_asked)
    services.candidate_remove(user=broker_ready, request=assigned, listing=never_asked)
    services.offers_send(user=broker_ready, request=assigned, listings=[listing, second])

    client.force_login(family)
    page = client.get(reverse("brokerage:detail", args=[assigned.pk])).content.decode()
    history = page.split("What has happened so far", 1)[1].split("</ol>", 1)[0]
    assert "You sent your request. It is waiting for a broker." in history
    assert "A broker is finding support for you." in history
    assert "Your broker asked 2 providers if they can help." in history
    for secret in ("Joanne", "Bedlington", "Candidate", "worried about evenings", "First contact"):
        assert secret not in page, secret
    assert [step.words for step in family_timeline(assigned)] == [
        "You sent your request. It is waiting for a broker.",
        "A broker is finding support for you.",
        "Your broker asked 2 providers if they can help.",
    ]
