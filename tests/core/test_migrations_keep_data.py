"""A database built on main before the shared records moved to `core` migrates forward with
every row kept.

The old schema is main as it was before the reshaping: the audit trail, updates, sent reminders
and consent records belonged to `home` (home 0002), and DBS checks had no review (directory
0008). Only those apps are taken back; every other app stays at its latest migration, so the
postcode gazetteer loaded for the session is never touched. The test then migrates to whatever
the latest migrations are, so it keeps checking the same promise as migrations are added.
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.models import AuditEvent, Consent, Notification, SentReminder
from directory.models import DBSCheck

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Where main stood before the reshaping, for the apps the reshaping changed. `core` did not exist.
BEFORE_THE_RESHAPING = [
    ("home", "0002_consent"),
    ("directory", "0008_listing_position_holds_the_id"),
    ("core", None),
]
OLD_NODES = [target for target in BEFORE_THE_RESHAPING if target[1] is not None]

# The tables whose rows must all survive, as the old models named them.
OLD_MODELS = [
    ("home", "AuditEvent"),
    ("home", "Notification"),
    ("home", "SentReminder"),
    ("home", "Consent"),
    ("directory", "Organisation"),
    ("directory", "StaffMember"),
    ("directory", "DBSCheck"),
]


def count_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return cursor.fetchone()[0]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    return migrate(executor.loader.graph.leaf_nodes())


def seed_old_schema(apps) -> dict:
    """Rows as main wrote them, through the models main had."""
    User = apps.get_model(settings.AUTH_USER_MODEL)
    AuditEvent = apps.get_model("home", "AuditEvent")
    Notification = apps.get_model("home", "Notification")
    SentReminder = apps.get_model("home", "SentReminder")
    Consent = apps.get_model("home", "Consent")
    Organisation = apps.get_model("directory", "Organisation")
    StaffMember = apps.get_model("directory", "StaffMember")
    DBSCheck = apps.get_model("directory", "DBSCheck")

    parent = User.objects.create(username="old-parent", email="parent@example.org", password="!")
    officer = User.objects.create(username="old-officer", email="dbs@example.org", password="!")
    AuditEvent.objects.create(
        actor=officer,
        action="dbs.verified",
        object_type="dbscheck",
        object_id="1",
        summary="Verified the DBS check of Pat Example",
    )
    AuditEvent.objects.create(
        actor=None, action="reminder.sent", object_type="listing", object_id="7", summary="Sent"
    )
    Notification.objects.create(
        recipient=parent, kind="request.offered", subject="You have an offer", url="/requests/1/"
    )
    SentReminder.objects.create(kind="listing.stale", key="listing:7:2026-01")
    Consent.objects.create(
        user=parent, purpose="brokerage", wording="I agree to share my answers with a broker."
    )

    organisation = Organisation.objects.create(
        name="Tyneside Short Breaks", slug="tyneside-short-breaks", kind="charity"
    )
    checked = StaffMember.objects.create(organisation=organisation, full_name="Pat Example")
    waiting = StaffMember.objects.create(organisation=organisation, full_name="Sam Example")
    issued = datetime.date(2025, 3, 1)
    due = datetime.date(2028, 3, 1)
    verified = DBSCheck.objects.create(
        person=checked,
        level="enhanced_children",
        certificate_number="001234567890",
        issue_date=issued,
        next_due_date=due,
        verified_by=officer,
        verified_at=timezone.now(),
    )
    submitted = DBSCheck.objects.create(
        person=waiting,
        level="enhanced_children",
        certificate_number="009876543210",
        issue_date=issued,
        next_due_date=due,
    )
    return {"parent": parent.pk, "verified": verified.pk, "submitted": submitted.pk}


def test_a_database_built_on_main_before_the_reshaping_migrates_forward_with_every_row_kept():
    try:
        executor = migrate(BEFORE_THE_RESHAPING)
        old_apps = executor.loader.project_state(OLD_NODES).apps
        seeded = seed_old_schema(old_apps)
        tables = {name: old_apps.get_model(app, name)._meta.db_table for app, name in OLD_MODELS}
        before = {name: count_rows(table) for name, table in tables.items()}
        assert all(before.values()), before

        executor = migrate_to_latest()

        after = {name: count_rows(table) for name, table in tables.items()}
        assert after == before

        # Later migrations see every row through the models the migrations describe...
        new_apps = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
        for name in ("AuditEvent", "Notification", "SentReminder", "Consent"):
            assert new_apps.get_model("core", name).objects.count() == before[name], name
        assert new_apps.get_model("directory", "DBSCheck").objects.count() == before["DBSCheck"]

        # ...and the site sees them through today's models.
        assert AuditEvent.objects.count() == before["AuditEvent"]
        assert Notification.objects.count() == before["Notification"]
        assert SentReminder.objects.count() == before["SentReminder"]
        assert Consent.objects.count() == before["Consent"]
        assert DBSCheck.objects.count() == before["DBSCheck"]
        assert AuditEvent.objects.filter(
            action="dbs.verified", actor__username="old-officer"
        ).exists()
        assert Notification.objects.get(recipient_id=seeded["parent"]).subject == (
            "You have an offer"
        )
        assert SentReminder.objects.filter(kind="listing.stale").exists()
        consent = Consent.objects.get(user_id=seeded["parent"])
        assert (consent.purpose, consent.given) == ("brokerage", True)

        # Checks the council verified before reviews were recorded say so; the rest wait.
        assert DBSCheck.objects.get(pk=seeded["verified"]).review == "verified"
        assert DBSCheck.objects.get(pk=seeded["submitted"]).review == "submitted"

        # Permissions given on the moved models follow them to `core`.
        # (Read from the table, not through ContentType's cache: clearing that cache would leave
        # the next test's restore of the serialized database creating content types early.)
        for model in (AuditEvent, Notification, SentReminder, Consent):
            name = model._meta.model_name
            assert ContentType.objects.filter(app_label="core", model=name).exists(), name
            assert not ContentType.objects.filter(app_label="home", model=name).exists(), name
            assert Permission.objects.filter(
                content_type__app_label="core", codename=f"view_{name}"
            ).exists(), name
    finally:
        # Leave the database fully migrated, whatever happened, for the tests that follow.
        migrate_to_latest()

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
