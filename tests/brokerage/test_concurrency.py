"""Two brokers pressing "Assign to me" at the same moment, really at once: two threads, two
database connections. The row lock decides; one wins, the other is told who has it.

Runs on PostgreSQL (SELECT ... FOR UPDATE). SQLite serialises writers at the file, so the
same rule is covered there by the `expected_status` test in test_workflow.py."""

import threading

import pytest
from django.db import connection, connections

from brokerage import services
from brokerage.choices import Status
from brokerage.models import SupportRequest
from core.roles import BROKERS, FAMILIES
from core.workflow import TransitionRefused
from gazetteer.models import LocalAuthority
from tests.brokerage.conftest import grant_areas
from tests.helpers import make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_brokers_assigning_at_the_same_moment_one_wins_and_the_other_is_told():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks; SQLite serialises writers")
    area, _ = LocalAuthority.objects.get_or_create(code="E06000057", defaults={"name": "N"})
    brokers = []
    for name in ("ann", "bob"):
        user = make_user(name, BROKERS)
        services.code_of_conduct_accept(user=user)
        grant_areas(user, area)
        brokers.append(user)
    family = make_user("fam", FAMILIES)
    request = SupportRequest.objects.create(
        family=family,
        status=Status.SUBMITTED,
        local_authority_code="E06000057",
        postcode_sector="NE46 3",
        age=12,
    )
    start = threading.Barrier(2)
    outcomes = {}

    def assign(user):
        try:
            start.wait()
            services.request_assign(
                user=user,
                request=SupportRequest.objects.get(pk=request.pk),
                expected_status=Status.SUBMITTED,
            )
            outcomes[user.username] = "won"
        except TransitionRefused as refused:
            outcomes[user.username] = refused.messages[0]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(b,)) for b in brokers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(v == "won" for v in outcomes.values()) == [False, True], outcomes
    loser = next(v for v in outcomes.values() if v != "won")
    assert "Someone else has changed this request" in loser
    request.refresh_from_db()
    assert request.status == Status.ASSIGNED
    assert request.events.filter(to_status=Status.ASSIGNED).count() == 1
