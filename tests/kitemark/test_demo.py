"""The kitemark demo data: audits in several states, at least two awarded listings showing
the badge, and the demo auditor with visits of their own."""

import pytest
from django.core import mail

from core.roles import KITEMARK_COORDINATORS, YOUNG_AUDITORS
from demo.kitemark import seed_kitemark_demo
from directory import services as directory_services
from directory.models import ListingStatus
from kitemark.choices import AuditStatus as S
from kitemark.models import Audit, AuditorProfile
from tests.factories.directory import InclusiveClubPageFactory, ShortBreakServicePageFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(org_a):
    provider = make_user("demo-provider")
    directory_services.organisation_add_editor(organisation=org_a, user=provider)
    return {
        "demo-coordinator": make_user("demo-coordinator", KITEMARK_COORDINATORS),
        "jamie": make_user("jamie", YOUNG_AUDITORS, first_name="Jamie"),
        "demo-provider": provider,
    }


@pytest.fixture
def demo_listings(org_a, org_b):
    for n in range(4):
        ShortBreakServicePageFactory(organisation=org_b, title=f"Short break {n}")
        InclusiveClubPageFactory(organisation=org_b, title=f"Club {n}")
    return ShortBreakServicePageFactory(organisation=org_a, title="Demo provider's club")


def test_the_demo_has_audits_in_several_states_and_two_or_more_awards(
    demo_users, demo_listings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = seed_kitemark_demo(users=demo_users)
    assert made
    states = set(Audit.objects.values_list("status", flat=True))
    assert states >= {
        S.AWARDED,
        S.RENEWAL_DUE,
        S.NOT_YET,
        S.WITH_PANEL,
        S.IN_PROGRESS,
        S.SCHEDULED,
        S.REQUESTED,
    }
    kitemarked = [s for s in ListingStatus.objects.all() if s.kitemarked()]
    assert len(kitemarked) >= 3
    jamie = AuditorProfile.objects.get(user=demo_users["jamie"])
    assert jamie.ready_for_visits() and jamie.assignments.count() >= 3
    # Every demo auditor has the kind of short username a coordinator gives one.
    usernames = set(AuditorProfile.objects.values_list("user__username", flat=True))
    assert usernames == {"jamie", "amira", "callum", "freya"}
    assert Audit.objects.get(status=S.REQUESTED).requested_by == demo_users["demo-provider"]
    assert mail.outbox == []  # demo data tells nobody


def test_the_demo_is_seeded_once(demo_users, demo_listings):
    seed_kitemark_demo(users=demo_users)
    count = Audit.objects.count()
    assert seed_kitemark_demo(users=demo_users) == {}
    assert Audit.objects.count() == count
