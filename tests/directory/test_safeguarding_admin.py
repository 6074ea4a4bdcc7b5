"""DBS checks in the admin: who may see, submit and verify them, and that certificate numbers
reach only verifying staff and the person themself."""

import datetime

import pytest
from django.urls import reverse

from core.dates import today
from core.models import AuditEvent
from directory import services
from directory.choices import DBSLevel
from directory.models import DBSCheck, StaffMember
from tests.directory.conftest import CERTIFICATE
from tests.helpers import assert_denied


def test_anonymous_visitors_are_sent_to_log_in(client, directory):
    response = client.get(reverse("directory_admin:dbs_checks"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize("role", ["family", "young_auditor", "broker", "coordinator"])
def test_people_without_a_provider_or_council_role_cannot_open_safeguarding(
    client, request, role, check_a
):
    client.force_login(request.getfixturevalue(role))
    for url in (
        reverse("directory_admin:dbs_checks"),
        reverse("directory_admin:staff_add"),
        reverse("directory_admin:dbs_check_add", args=[check_a.person_id]),
        reverse("directory_admin:dbs_check_verify", args=[check_a.pk]),
    ):
        assert_denied(client.get(url))


def test_a_provider_sees_only_their_own_people_with_masked_certificates(
    client, provider_a, check_a, org_b
):
    StaffMember.objects.create(organisation=org_b, full_name="Other Provider Person")
    client.force_login(provider_a)
    response = client.get(reverse("directory_admin:dbs_checks"))
    assert response.status_code == 200
    assert b"Priya Shah" in response.content
    assert b"Other Provider Person" not in response.content
    assert CERTIFICATE.encode() not in response.content
    assert b"7890" in response.content  # the masked form


def test_the_person_themself_sees_their_own_certificate_number_on_their_checks_page(
    client, provider_a, check_a
):
    check_a.person.user = provider_a
    check_a.person.save()
    client.force_login(provider_a)
    listing = client.get(reverse("directory_admin:dbs_checks")).content.decode()
    assert CERTIFICATE not in listing
    page = reverse("directory_admin:dbs_check", args=[check_a.pk])
    assert page in listing
    assert CERTIFICATE in client.get(page).content.decode()
    assert AuditEvent.objects.filter(
        action="dbs_certificate_viewed", object_id=str(check_a.pk), actor=provider_a
    ).exists()


def test_council_staff_see_only_masked_numbers_in_the_list_and_each_full_view_is_recorded(
    client, moderator, check_a, org_b, provider_b
):
    others = []
    for n in range(30):
        person = StaffMember.objects.create(organisation=org_b, full_name=f"Worker {n:02d}")
        others.append(
            services.dbs_check_submit(
                user=provider_b,
                person=person,
                level=DBSLevel.ENHANCED_CHILDREN,
                certificate_number=f"{n:02d}0000000000",
                issue_date=today() - datetime.timedelta(days=30),
            )
        )
    client.force_login(moderator)
    before = AuditEvent.objects.filter(action="dbs_certificate_viewed").count()
    listing = client.get(reverse("directory_admin:dbs_checks")).content.decode()
    for check in [check_a, *others]:
        assert check.certificate_number not in listing
    assert "••••••••7890" in listing
    assert AuditEvent.objects.filter(action="dbs_certificate_viewed").count() == before

    page = client.get(reverse("directory_admin:dbs_check", args=[others[3].pk]))
    assert others[3].certificate_number in page.content.decode()
    assert check_a.certificate_number not in page.content.decode()
    viewed = AuditEvent.objects.filter(action="dbs_certificate_viewed", actor=moderator)
    assert list(viewed.values_list("object_id", flat=True)) == [str(others[3].pk)]


@pytest.mark.parametrize("role", ["provider_a", "provider_b", "family", "broker", "coordinator"])
def test_nobody_but_council_staff_and_the_person_opens_a_checks_page(
    client, request, role, check_a
):
    client.force_login(request.getfixturevalue(role))
    assert_denied(client.get(reverse("directory_admin:dbs_check", args=[check_a.pk])))
    assert not AuditEvent.objects.filter(action="dbs_certificate_viewed").exists()


def test_a_provider_cannot_add_a_check_for_another_providers_person(client, provider_b, person_a):
    client.force_login(provider_b)
    url = reverse("directory_admin:dbs_check_add", args=[person_a.pk])
    assert_denied(client.get(url))
    response = client.post(
        url,
        {"level": DBSLevel.BASIC, "certificate_number": CERTIFICATE, "issue_date": "2026-01-01"},
    )
    assert_denied(response)
    assert not DBSCheck.objects.exists()


def test_a_provider_cannot_verify_checks(client, provider_a, check_a):
    client.force_login(provider_a)
    url = reverse("directory_admin:dbs_check_verify", args=[check_a.pk])
    assert_denied(client.get(url))
    assert_denied(client.post(url, {}))
    check_a.refresh_from_db()
    assert not check_a.verified


def test_a_provider_adds_a_person_and_submits_their_check_for_verification(
    client, provider_a, org_a, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(provider_a)
    response = client.post(
        reverse("directory_admin:staff_add"),
        {"organisation": org_a.pk, "full_name": "Jo Bell", "works_with_children": "on"},
    )
    person = StaffMember.objects.get(full_name="Jo Bell")
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory_admin:dbs_check_add", args=[person.pk]),
            {
                "level": DBSLevel.ENHANCED_CHILDREN,
                "certificate_number": "0012 3456 7890",
                "issue_date": (today() - datetime.timedelta(days=10)).isoformat(),
            },
        )
    assert response.status_code == 302
    check = DBSCheck.objects.get(person=person)
    assert check.certificate_number == CERTIFICATE
    assert not check.verified
    assert [m.to for m in mailoutbox] == [[moderator.email]]
    assert CERTIFICATE not in mailoutbox[0].body


def test_a_provider_cannot_add_people_to_another_organisation(client, provider_a, org_b):
    client.force_login(provider_a)
    response = client.post(
        reverse("directory_admin:staff_add"), {"organisation": org_b.pk, "full_name": "Intruder"}
    )
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert not StaffMember.objects.filter(full_name="Intruder").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, b"This field is required"),
        (
            {"level": "enhanced", "certificate_number": "12345", "issue_date": "2026-01-01"},
            b"A DBS certificate number is 12 digits",
        ),
        (
            {"level": "enhanced", "certificate_number": CERTIFICATE, "issue_date": "2099-01-01"},
            b"The issue date cannot be in the future",
        ),
        (
            {"level": "enhanced", "certificate_number": CERTIFICATE, "issue_date": "31/02/2026"},
            b"Enter a valid date",
        ),
        (
            {
                "level": "enhanced",
                "certificate_number": CERTIFICATE,
                "issue_date": "2026-01-01",
                "last_status_check": "2026-02-01",
            },
            b"Only checks on the Update Service have status checks",
        ),
        (
            {"level": "platinum", "certificate_number": CERTIFICATE, "issue_date": "2026-01-01"},
            b"Select a valid choice",
        ),
    ],
)
def test_bad_dbs_details_are_clear_form_errors_and_nothing_is_saved(
    client, provider_a, person_a, data, message
):
    client.force_login(provider_a)
    response = client.post(reverse("directory_admin:dbs_check_add", args=[person_a.pk]), data)
    assert response.status_code == 200
    assert message in response.content
    assert not DBSCheck.objects.exists()


def test_council_staff_see_the_full_certificate_to_verify_it_and_the_view_is_audited(
    client, moderator, check_a
):
    client.force_login(moderator)
    url = reverse("directory_admin:dbs_check_verify", args=[check_a.pk])
    response = client.get(url)
    assert CERTIFICATE.encode() in response.content
    assert AuditEvent.objects.filter(
        action="dbs_certificate_viewed", object_id=str(check_a.pk), actor=moderator
    ).exists()
    response = client.post(url, {"method": "certificate", "next_due_date": ""})
    assert response.status_code == 302
    check_a.refresh_from_db()
    assert check_a.verified_by == moderator


def test_a_verifier_cannot_set_a_next_due_date_in_the_past(client, moderator, check_a):
    client.force_login(moderator)
    url = reverse("directory_admin:dbs_check_verify", args=[check_a.pk])
    response = client.post(url, {"method": "certificate", "next_due_date": "2020-01-01"})
    assert response.status_code == 200
    assert b"The next due date must be in the future" in response.content
    check_a.refresh_from_db()
    assert not check_a.verified


def test_council_staff_can_filter_checks_waiting_for_verification(
    client, moderator, check_a, org_b
):
    StaffMember.objects.create(organisation=org_b, full_name="No Check Yet")
    client.force_login(moderator)
    response = client.get(reverse("directory_admin:dbs_checks"), {"status": "awaiting"})
    assert b"Priya Shah" in response.content
    assert b"No Check Yet" not in response.content
    response = client.get(reverse("directory_admin:dbs_checks"), {"status": "none"})
    assert b"No Check Yet" in response.content
    assert b"Priya Shah" not in response.content


def test_an_unknown_filter_value_is_ignored_not_an_error(client, moderator, check_a):
    client.force_login(moderator)
    response = client.get(reverse("directory_admin:dbs_checks"), {"status": "bogus"})
    assert response.status_code == 200


def test_verifying_a_missing_check_is_not_found(client, moderator, directory):
    client.force_login(moderator)
    assert client.get(reverse("directory_admin:dbs_check_verify", args=[999])).status_code == 404


def test_the_log_handler_redacts_certificate_numbers_emails_and_postcodes():
    import io
    import logging

    from core.logging import RedactPersonalDataFilter

    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactPersonalDataFilter) for f in h.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        logging.getLogger("directory").warning(
            "Check %s for jo@example.org at NE46 3NR", CERTIFICATE
        )
    finally:
        handler.setStream(previous)
    written = buffer.getvalue()
    assert "Check" in written
    assert CERTIFICATE not in written
    assert "jo@example.org" not in written
    assert "NE46 3NR" not in written


def test_the_safeguarding_list_pages_through_many_people_keeping_the_filter(
    client, moderator, org_a
):
    StaffMember.objects.bulk_create(
        StaffMember(organisation=org_a, full_name=f"Person {n:03d}") for n in range(60)
    )
    client.force_login(moderator)
    url = reverse("directory_admin:dbs_checks")
    first = client.get(url, {"status": "none"}).content.decode()
    assert "Page 1 of 2" in first
    assert "status=none&amp;p=2" in first
    second = client.get(url, {"status": "none", "p": "2"}).content.decode()
    assert "Person 059" in second
    assert client.get(url, {"p": "999"}).status_code == 200
