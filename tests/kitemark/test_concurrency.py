"""Two people acting on one audit at the same moment: the row lock makes one wait, and the
second is refused because the audit changed while they looked at it. Nothing is lost and
nothing is done twice. Needs real row locks across connections, so PostgreSQL."""

import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

from core.workflow import TransitionRefused
from kitemark import services
from kitemark.choices import AuditStatus as S
from tests.factories.kitemark import audit_to

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks across connections are tested on PostgreSQL",
    ),
]


@pytest.fixture(autouse=True)
def gazetteer(transactional_db):
    """Transactional tests empty every table afterwards, the gazetteer included: load the
    postcodes the listing needs if a test before this one took them away."""
    from gazetteer.models import Postcode

    if not Postcode.objects.exists():
        call_command("load_gazetteer", areas=["NE"], verbosity=0)


def test_two_coordinators_deciding_at_once_make_exactly_one_decision(
    coordinator, listing, auditors
):
    audit = audit_to(S.WITH_PANEL, listing=listing, coordinator=coordinator, auditors=auditors)
    barrier = threading.Barrier(2)
    outcomes = []

    def decide(awarded: bool):
        try:
            barrier.wait()
            services.audit_decide(
                user=coordinator,
                audit=audit,
                decision=services.Decision(
                    awarded=awarded,
                    reasons="Decided at the same moment",
                    advice="Advice",
                    reaudit_due_on=services.today().replace(year=services.today().year + 1),
                ),
                expected_status=S.WITH_PANEL,
            )
            outcomes.append("decided")
        except TransitionRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(flag,)) for flag in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["decided", "refused"]
    audit.refresh_from_db()
    assert audit.status in (S.AWARDED, S.NOT_YET)
    assert audit.events.filter(to_status__in=[S.AWARDED, S.NOT_YET]).count() == 1
