"""A broker's council areas are granted by council staff, never chosen by the broker, and a
broker sees waiting requests (the child's name, the family's phone, care notes) only in the
areas granted to them. Every change is in the audit trail: who, when, what."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from brokerage import permissions, services
from brokerage.choices import Status
from brokerage.models import BrokerProfile
from core.audit import trail_of
from core.models import AuditEvent
from core.roles import BROKERS, COUNCIL_MODERATORS
from gazetteer.models import LocalAuthority
from tests.helpers import assert_denied, make_user

from .conftest import grant_areas, make_request

NEWCASTLE = "E08000021"


@pytest.fixture
def newcastle(db):
    area, _ = LocalAuthority.objects.get_or_create(
        code=NEWCASTLE, defaults={"name": "Newcastle upon Tyne"}
    )
    return area


@pytest.fixture
def broker_no_areas(broker):
    services.code_of_conduct_accept(user=broker)
    return broker


def area_changes(profile):
    return trail_of(profile).filter(action__startswith="broker_areas").order_by("at", "id")


def areas_of(user) -> list[str]:
    return sorted(BrokerProfile.objects.get(user=user).areas.values_list("code", flat=True))


# --- Brokers cannot choose their own areas -------------------------------------------------


def test_a_broker_cannot_give_themselves_council_areas_from_their_profile(
    client, broker_no_areas, northumberland, newcastle
):
    client.force_login(broker_no_areas)
    response = client.post(
        reverse("brokerage_admin:profile"),
        {"action": "areas", "areas": [str(northumberland.pk), str(newcastle.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Council staff grant brokers their council areas" in response.content.decode()
    assert areas_of(broker_no_areas) == []


def test_a_broker_cannot_grant_council_areas_to_themselves_or_another_broker(
    broker_no_areas, other_broker, northumberland
):
    for target in (broker_no_areas, other_broker):
        with pytest.raises(PermissionDenied):
            services.broker_areas_grant(user=broker_no_areas, broker=target, areas=[northumberland])
    assert areas_of(broker_no_areas) == []


def test_a_broker_without_granted_areas_sees_no_waiting_requests_and_cannot_take_one(
    client, broker_no_areas, family, northumberland
):
    waiting = make_request(family)
    assert list(permissions.requests_for_broker(broker_no_areas)) == []
    with pytest.raises(PermissionDenied):
        services.request_assign(user=broker_no_areas, request=waiting)
    client.force_login(broker_no_areas)
    page = client.get(reverse("brokerage_admin:request", args=[waiting.pk]))
    assert_denied(page)
    queue = client.get(reverse("brokerage_admin:queue")).content.decode()
    assert waiting.reference not in queue
    assert "You have no council areas yet" in queue


# --- Council staff grant them, audited -------------------------------------------------------


def test_council_staff_grant_a_broker_areas_and_the_audit_trail_says_who_when_and_what(
    client, moderator, broker_no_areas, northumberland, newcastle
):
    client.force_login(moderator)
    url = reverse("brokerage_admin:broker_areas", args=[broker_no_areas.pk])
    response = client.post(url, {"areas": [str(northumberland.pk), str(newcastle.pk)]})
    assert response.status_code == 302
    assert areas_of(broker_no_areas) == [NORTHUMBERLAND_CODE, NEWCASTLE]
    profile = BrokerProfile.objects.get(user=broker_no_areas)
    assert profile.areas_granted_by == moderator and profile.areas_granted_at is not None
    client.post(url, {"areas": [str(newcastle.pk)]})
    rows = list(area_changes(profile).values_list("actor", "action", "summary"))
    assert rows == [
        (
            moderator.pk,
            "broker_areas_granted",
            "Council areas added Newcastle upon Tyne, Northumberland",
        ),
        (moderator.pk, "broker_areas_granted", "Council areas removed Northumberland"),
    ]
    history = client.get(url).content.decode()
    assert "Council areas removed Northumberland" in history and "by Morag" in history


def test_saving_the_same_areas_again_records_nothing(moderator, broker_no_areas, northumberland):
    services.broker_areas_grant(user=moderator, broker=broker_no_areas, areas=[northumberland])
    services.broker_areas_grant(user=moderator, broker=broker_no_areas, areas=[northumberland])
    assert area_changes(BrokerProfile.objects.get(user=broker_no_areas)).count() == 1


def test_council_staff_cannot_grant_areas_to_themselves(client, northumberland):
    both = make_user("both", COUNCIL_MODERATORS, BROKERS, first_name="Bo")
    with pytest.raises(PermissionDenied):
        services.broker_areas_grant(user=both, broker=both, areas=[northumberland])
    client.force_login(both)
    url = reverse("brokerage_admin:broker_areas", args=[both.pk])
    assert "Ask another member of council staff" in client.get(url).content.decode()
    response = client.post(url, {"areas": [str(northumberland.pk)]}, follow=True)
    assert "You cannot grant council areas to yourself" in response.content.decode()
    assert areas_of(both) == []


def test_areas_are_granted_only_to_brokers(client, moderator, provider_a, northumberland):
    with pytest.raises(ValidationError):
        services.broker_areas_grant(user=moderator, broker=provider_a, areas=[northumberland])
    client.force_login(moderator)
    url = reverse("brokerage_admin:broker_areas", args=[provider_a.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"areas": [str(northumberland.pk)]}).status_code == 404


@pytest.mark.parametrize("bad", [["abc"], ["999999"], ["1; DROP TABLE"]])
def test_an_unknown_area_is_a_clear_message_not_a_500(client, moderator, broker_no_areas, bad):
    client.force_login(moderator)
    url = reverse("brokerage_admin:broker_areas", args=[broker_no_areas.pk])
    response = client.post(url, {"areas": bad})
    assert response.status_code == 200
    assert "Choose councils from the list" in response.content.decode()
    assert areas_of(broker_no_areas) == []


def test_a_council_outside_england_cannot_be_granted(moderator, broker_no_areas):
    wales, _ = LocalAuthority.objects.get_or_create(code="W06000001", defaults={"name": "Anglesey"})
    with pytest.raises(ValidationError):
        services.broker_areas_grant(user=moderator, broker=broker_no_areas, areas=[wales])


# --- What a broker sees ----------------------------------------------------------------------


def test_a_broker_sees_waiting_requests_only_in_the_areas_granted_to_them(
    client, moderator, broker_no_areas, family, northumberland, newcastle
):
    waiting = make_request(family)  # in Northumberland
    services.broker_areas_grant(user=moderator, broker=broker_no_areas, areas=[newcastle])
    assert list(permissions.requests_for_broker(broker_no_areas)) == []
    services.broker_areas_grant(user=moderator, broker=broker_no_areas, areas=[northumberland])
    assert list(permissions.requests_for_broker(broker_no_areas)) == [waiting]
    client.force_login(broker_no_areas)
    assert client.get(reverse("brokerage_admin:request", args=[waiting.pk])).status_code == 200
    services.broker_areas_grant(user=moderator, broker=broker_no_areas, areas=[])
    assert list(permissions.requests_for_broker(broker_no_areas)) == []
    assert_denied(client.get(reverse("brokerage_admin:request", args=[waiting.pk])))


def test_removing_an_area_leaves_requests_already_assigned_with_the_broker(
    moderator, broker_no_areas, family, northumberland
):
    grant_areas(broker_no_areas, northumberland)
    mine = services.request_assign(user=broker_no_areas, request=make_request(family))
    services.broker_areas_grant(user=moderator, broker=broker_no_areas, areas=[])
    assert list(permissions.requests_for_broker(broker_no_areas)) == [mine]
    assert mine.status == Status.ASSIGNED


def test_only_brokers_granted_the_area_are_told_of_a_new_request(
    broker_no_areas, other_broker, family, newcastle
):
    grant_areas(broker_no_areas, newcastle)  # other_broker has Northumberland
    make_request(family)  # in Northumberland
    assert other_broker.notifications.count() == 1
    assert broker_no_areas.notifications.count() == 0


def test_the_broker_sees_their_granted_areas_read_only_with_who_to_ask(
    client, moderator, broker_no_areas, northumberland
):
    services.broker_areas_grant(user=moderator, broker=broker_no_areas, areas=[northumberland])
    client.force_login(broker_no_areas)
    page = client.get(reverse("brokerage_admin:profile")).content.decode()
    assert "<li>Northumberland</li>" in page
    assert "Granted by Morag" in page
    assert "ask Morag (moderator@example.org)" in page
    assert 'name="areas"' not in page


# --- Who may open the council's pages ---------------------------------------------------------

ROLES = [
    "anonymous",
    "family",
    "young_auditor",
    "provider_a",
    "broker_no_areas",
    "coordinator",
    "moderator",
    "superuser",
]
ALLOWED = {"moderator", "superuser"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["brokers", "broker_areas"])
def test_only_council_staff_open_the_brokers_areas_pages(
    client, request, role, page, other_broker, northumberland
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    args = [other_broker.pk] if page == "broker_areas" else []
    url = reverse(f"brokerage_admin:{page}", args=args)
    response = client.get(url)
    if role in ALLOWED:
        assert response.status_code == 200
        assert other_broker.username in response.content.decode() or "Bea" in (
            response.content.decode()
        )
    else:
        assert_denied(response)
        if page == "broker_areas":
            before = areas_of(other_broker)
            assert_denied(client.post(url, {"areas": []}))
            assert areas_of(other_broker) == before


# --- Existing brokers' self-chosen areas ----------------------------------------------------


def test_the_migration_removes_self_chosen_areas_and_records_them_for_council_staff(
    broker_no_areas, other_broker, northumberland, newcastle
):
    migration = importlib.import_module("brokerage.migrations.0003_granted_areas_and_care_notes")
    profile = BrokerProfile.objects.get(user=broker_no_areas)
    profile.areas.set([northumberland, newcastle])  # chosen by the broker, before
    AuditEvent.objects.all().delete()
    migration.remove_self_chosen_areas(apps, None)
    assert areas_of(broker_no_areas) == [] and areas_of(other_broker) == []
    rows = sorted(AuditEvent.objects.values_list("object_id", "action", "summary"))
    assert rows == sorted(
        [
            (
                str(profile.pk),
                "broker_areas_removed",
                "Self-chosen council areas removed (not granted by council staff): "
                "Newcastle upon Tyne, Northumberland",
            ),
            (
                str(other_broker.broker_profile.pk),
                "broker_areas_removed",
                "Self-chosen council areas removed (not granted by council staff): Northumberland",
            ),
        ]
    )


def test_a_long_list_of_removed_areas_is_cut_short_with_how_many_more():
    migration = importlib.import_module("brokerage.migrations.0003_granted_areas_and_care_notes")
    names = [f"Council number {i:03d}" for i in range(298)]
    summary = migration.removed_summary(names)
    assert len(summary) <= 255
    assert summary.endswith(" more") and "Council number 000" in summary


NORTHUMBERLAND_CODE = "E06000057"


def test_an_overdue_request_in_a_council_no_broker_has_is_told_to_council_staff(
    family, moderator, broker_no_areas, mailoutbox, django_capture_on_commit_callbacks
):
    waiting = make_request(family)  # in Northumberland, granted to nobody
    later = waiting.first_contact_due() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=later)["first_contact_overdue"] == 1
    [overdue] = [m for m in mailoutbox if "waiting for first contact" in m.subject]
    assert overdue.to == [moderator.email]
    assert "No broker has been granted the family's council area" in overdue.body
    assert "/admin/brokerage/brokers/" in overdue.body
