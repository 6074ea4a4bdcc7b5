"""A young auditor pressing "Save" or "Send my review" twice (a double tap, a slow
connection): one answer, one review sent, one message to the coordinator."""

import pytest
from django.urls import reverse

from kitemark.choices import AuditStatus as S
from kitemark.models import Answer
from tests.factories.kitemark import audit_to

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def scheduled(coordinator, listing, auditors):
    return audit_to(S.SCHEDULED, listing=listing, coordinator=coordinator, auditors=auditors)


def standard_url(assignment, number):
    return reverse("kitemark:review_standard", args=[assignment.pk, number])


def test_an_answer_sent_twice_is_one_answer_and_starts_the_reviews_once(client, scheduled, ruby):
    mine = scheduled.assignments.get(auditor=ruby)
    client.force_login(ruby.user)
    answer = {"rating": "partly", "comment": "The ramp is steep"}
    first = client.post(standard_url(mine, 1), answer)
    second = client.post(standard_url(mine, 1), answer)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == standard_url(mine, 2)
    assert Answer.objects.filter(assignment=mine).count() == 1
    assert scheduled.events.filter(to_status=S.IN_PROGRESS).count() == 1


def test_the_last_review_sent_twice_submits_the_audit_once_and_tells_the_coordinator_once(
    client, scheduled, auditors, mailoutbox, django_capture_on_commit_callbacks
):
    presses = []
    for auditor in auditors:
        client.force_login(auditor.user)
        mine = scheduled.assignments.get(auditor=auditor)
        for standard in scheduled.standard_set.standards.all():
            client.post(standard_url(mine, standard.number), {"rating": "yes"})
        check = reverse("kitemark:review_check", args=[mine.pk])
        with django_capture_on_commit_callbacks(execute=True):
            presses = [client.post(check), client.post(check)]
    assert [p.status_code for p in presses] == [302, 302]
    assert presses[1]["Location"] == reverse("kitemark:auditor_home")
    assert scheduled.events.filter(to_status=S.SUBMITTED).count() == 1
    told = [m for m in mailoutbox if "coordinator@example.org" in m.to]
    assert len(told) == 1
