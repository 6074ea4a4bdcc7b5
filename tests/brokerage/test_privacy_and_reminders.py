"""A family's data: download, delete (anonymised outcomes stay), retention; and reminders that
are sent once only."""

import datetime
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from brokerage import services
from brokerage.choices import OfferStatus, Outcome, Status
from brokerage.models import Agreement, RequestOutcome, SupportRequest
from core.models import SentReminder
from directory.services import organisation_add_editor
from tests.factories.directory import PersonalAssistantPageFactory
from tests.helpers import make_user

from .conftest import accept, make_request, tomorrow, write_up


@pytest.fixture
def offer(assigned, broker_ready):
    listing = PersonalAssistantPageFactory(dbs=True)
    [offer] = services.offers_send(user=broker_ready, request=assigned, listings=[listing])
    return offer


def test_a_family_downloads_everything_held_about_them(client, family, offer):
    client.force_login(family)
    response = client.get(reverse("brokerage:my_data"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == family.email
    [request] = data["requests"]
    assert request["contact_name"] == "Leila Khan" and request["needs"] == ["Autism"]
    assert request["offers"][0]["status"] == OfferStatus.SENT
    assert any(e["to"] == Status.SUBMITTED for e in request["history"])
    saved = {row["question"]: row["answer"] for row in data["saved_answers"]}
    assert saved["Area"] == "NE46 3"


def test_deleting_an_account_withdraws_and_deletes_but_keeps_the_anonymous_outcome(
    client, family, offer, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(family)
    response = client.post(reverse("brokerage:delete_account"), {"confirm": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=family.pk).exists()
    assert not SupportRequest.objects.exists()
    outcome = RequestOutcome.objects.get()
    assert outcome.outcome == Outcome.WITHDRAWN and outcome.request is None
    assert outcome.outcode == "NE46" and outcome.offers_sent == 1
    fields = json.dumps(list(RequestOutcome.objects.values()), default=str)
    assert "Leila" not in fields and "NE46 3" not in fields


def test_deleting_an_account_needs_a_clear_yes(client, family, submitted):
    client.force_login(family)
    response = client.post(reverse("brokerage:delete_account"), {})
    assert "Select yes to delete your account" in response.content.decode()
    assert SupportRequest.objects.filter(pk=submitted.pk).exists()


def test_retention_deletes_old_drafts_and_old_closed_requests_only(
    family, northumberland, settings
):
    old_draft = make_request(family, submit=False)
    new_draft = make_request(family, submit=False)
    closed = make_request(family)
    services.request_withdraw(user=family, request=closed)
    open_request = make_request(family)
    long_ago = timezone.now() - datetime.timedelta(days=800)
    SupportRequest.objects.filter(pk=old_draft.pk).update(updated_at=long_ago)
    SupportRequest.objects.filter(pk=closed.pk).update(closed_at=long_ago)
    SupportRequest.objects.filter(pk=open_request.pk).update(updated_at=long_ago)
    call_command("apply_retention", stdout=open("/dev/null", "w"))
    left = set(SupportRequest.objects.values_list("pk", flat=True))
    assert left == {new_draft.pk, open_request.pk}
    assert RequestOutcome.objects.filter(outcome=Outcome.WITHDRAWN).exists()


def test_reminders_are_sent_once_however_often_the_command_runs(
    submitted, broker_ready, mailoutbox, django_capture_on_commit_callbacks
):
    SupportRequest.objects.filter(pk=submitted.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=14)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_brokerage_reminders", stdout=open("/dev/null", "w"))
        call_command("send_brokerage_reminders", stdout=open("/dev/null", "w"))
    overdue = [m for m in mailoutbox if "waiting for first contact" in m.subject]
    assert len(overdue) == 1 and overdue[0].to == [broker_ready.email]
    assert SentReminder.objects.filter(kind="brokerage_sla_overdue").count() == 1


def test_providers_are_reminded_before_an_offer_expires_and_it_then_expires(
    offer, mailoutbox, django_capture_on_commit_callbacks
):
    editor = make_user("pa-editor")
    organisation_add_editor(organisation=offer.organisation, user=editor)
    type(offer).objects.filter(pk=offer.pk).update(
        expires_at=timezone.now() + datetime.timedelta(hours=12)
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.reminders_send()
    assert counts["offers_expiring"] == 1
    assert any("expires soon" in m.subject for m in mailoutbox)
    later = timezone.now() + datetime.timedelta(days=1)
    assert services.reminders_send(now=later)["offers_expired"] == 1
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED


def test_a_review_reminder_goes_to_the_broker_and_the_family(
    offer, broker_ready, family, mailoutbox, django_capture_on_commit_callbacks
):
    editor = make_user("pa-editor")
    organisation_add_editor(organisation=offer.organisation, user=editor)
    accept(offer, editor)
    services.offer_choose(user=family, offer=offer)
    agreement = write_up(offer.request, broker=broker_ready, family=family)
    services.agreement_confirm(user=editor, agreement=agreement)
    Agreement.objects.filter(pk=agreement.pk).update(review_date=tomorrow())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send()["reviews_due"] == 1
        assert services.reminders_send()["reviews_due"] == 0
    review_mail = [m for m in mailoutbox if "review" in m.subject.lower() or "review" in m.body]
    recipients = {address for m in review_mail for address in m.to}
    assert {broker_ready.email, family.email} <= recipients
