"""The demo data shows brokerage in several states, and seeding twice adds nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from brokerage.choices import OfferStatus, Status
from brokerage.models import BrokerProfile, Offer, SupportRequest

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", seed=7, listings=30, stdout=StringIO())


def test_the_demo_family_has_requests_in_different_states_and_the_broker_is_ready():
    seed()
    family = get_user_model().objects.get(username="demo-family")
    statuses = sorted(SupportRequest.objects.filter(family=family).values_list("status", flat=True))
    assert Status.DRAFT in statuses and Status.SUBMITTED in statuses
    assert Status.CHOOSING in statuses or Status.OFFERS_SENT in statuses
    broker = BrokerProfile.objects.get(user__username="demo-broker")
    assert broker.accepted_code and broker.areas.exists()
    assert broker.user.broker_affiliations.exists()
    assert Offer.objects.filter(status=OfferStatus.ACCEPTED).exists()
    seed()
    assert SupportRequest.objects.filter(family=family).count() == len(statuses)
