"""The screens for the council's review of a DBS check (verify saying how, query, reject) and the
provider's answer: who may open each, what bad input says, and that the certificate number
stays off every page but the council's verify page."""

import datetime

import pytest
from django.urls import reverse

from core.dates import add_months, today
from directory import dbs_reviews, services
from directory.choices import DBSLevel, DBSReview
from directory.models import StaffMember
from tests.directory.conftest import CERTIFICATE, ISSUED_DAYS_AGO
from tests.helpers import assert_denied

ISSUED = today() - datetime.timedelta(days=ISSUED_DAYS_AGO)


@pytest.fixture
def queried(check_a, moderator):
    dbs_reviews.dbs_check_query(
        user=moderator, check=check_a, note="Please check the issue date on the certificate"
    )
    check_a.refresh_from_db()
    return check_a


def url(name, check):
    return reverse(f"directory_admin:dbs_check_{name}", args=[check.pk])


# --- Who may open each page --------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["family", "young_auditor", "broker", "coordinator", "provider_a", "provider_b", None]
)
def test_only_council_staff_may_open_the_query_and_reject_pages(client, request, role, check_a):
    if role:
        client.force_login(request.getfixturevalue(role))
    for name in ("query", "reject"):
        assert_denied(client.get(url(name, check_a)))
        assert_denied(client.post(url(name, check_a), {"note": "Nope"}))
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.SUBMITTED


@pytest.mark.parametrize(
    "role", ["family", "young_auditor", "broker", "coordinator", "provider_b", None]
)
def test_only_the_checks_provider_and_council_staff_may_open_the_answer_page(
    client, request, role, queried
):
    if role:
        client.force_login(request.getfixturevalue(role))
    assert_denied(client.get(url("answer", queried)))
    assert_denied(
        client.post(
            url("answer", queried),
            {"level": queried.level, "issue_date": ISSUED.isoformat(), "note": "x"},
        )
    )
    queried.refresh_from_db()
    assert queried.review == DBSReview.QUERIED


@pytest.mark.parametrize("role", ["provider_a", "moderator"])
def test_the_checks_provider_and_council_staff_open_the_answer_page(client, request, role, queried):
    client.force_login(request.getfixturevalue(role))
    response = client.get(url("answer", queried))
    assert response.status_code == 200
    assert b"Please check the issue date on the certificate" in response.content


def test_a_missing_check_is_not_found_on_every_review_page(client, moderator, directory):
    client.force_login(moderator)
    for name in ("query", "reject", "answer"):
        assert (
            client.get(reverse(f"directory_admin:dbs_check_{name}", args=[999])).status_code == 404
        )


# --- Query, answer, reject through the screens -------------------------------------------------


def test_council_staff_query_a_check_and_the_provider_sees_the_question_in_their_list(
    client, moderator, provider_a, check_a
):
    client.force_login(moderator)
    response = client.post(
        url("query", check_a),
        {"note": "Which barred list does it include?", "expected_status": "submitted"},
    )
    assert response.status_code == 302
    client.force_login(provider_a)
    response = client.get(reverse("directory_admin:dbs_checks"))
    assert b"Which barred list does it include?" in response.content
    assert url("answer", check_a).encode() in response.content


def test_the_query_page_never_shows_the_certificate_number(client, moderator, check_a):
    client.force_login(moderator)
    response = client.get(url("query", check_a))
    assert response.status_code == 200
    assert CERTIFICATE.encode() not in response.content
    assert b"7890" in response.content  # masked: the last four digits only


@pytest.mark.parametrize("name", ["query", "reject"])
def test_a_query_or_rejection_without_a_reason_is_a_form_error_not_a_500(
    client, moderator, check_a, name
):
    client.force_login(moderator)
    response = client.post(url(name, check_a), {"note": " ", "expected_status": "submitted"})
    assert response.status_code == 200
    assert b"Say what is missing" in response.content or b"Say why" in response.content
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.SUBMITTED


def test_a_too_long_reason_is_a_form_error(client, moderator, check_a):
    client.force_login(moderator)
    response = client.post(url("query", check_a), {"note": "x" * 1001})
    assert response.status_code == 200
    assert b"1,000 characters or fewer" in response.content


def test_querying_a_check_someone_else_has_just_verified_says_so(client, moderator, check_a):
    client.force_login(moderator)
    dbs_reviews.dbs_check_verify(user=moderator, check=check_a, method="certificate")
    response = client.post(
        url("query", check_a), {"note": "Which level?", "expected_status": "submitted"}
    )
    assert response.status_code == 200
    assert b"Someone else has changed this DBS check" in response.content
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.VERIFIED


def test_the_provider_answers_through_the_screen_and_the_check_goes_back_to_the_council(
    client, provider_a, queried
):
    client.force_login(provider_a)
    response = client.get(url("answer", queried))
    assert CERTIFICATE.encode() not in response.content  # not even in the form's value
    issued = ISSUED - datetime.timedelta(days=30)
    response = client.post(
        url("answer", queried),
        {
            "level": DBSLevel.ENHANCED_CHILDREN,
            "certificate_number": "",
            "issue_date": issued.isoformat(),
            "note": "The certificate was issued a month earlier",
            "expected_status": "queried",
        },
    )
    assert response.status_code == 302
    queried.refresh_from_db()
    assert queried.review == DBSReview.SUBMITTED
    assert queried.issue_date == issued
    assert queried.certificate_number == CERTIFICATE


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"note": ""}, b"Say what you changed"),
        ({"certificate_number": "12345"}, b"A DBS certificate number is 12 digits"),
        ({"issue_date": "not a date"}, b"Enter a valid date"),
        (
            {"issue_date": (today() + datetime.timedelta(days=5)).isoformat()},
            b"cannot be in the future",
        ),
    ],
)
def test_bad_answers_are_clear_form_errors_and_nothing_changes(
    client, provider_a, queried, data, words
):
    client.force_login(provider_a)
    form = {
        "level": DBSLevel.ENHANCED_CHILDREN,
        "issue_date": ISSUED.isoformat(),
        "note": "Corrected",
        **data,
    }
    response = client.post(url("answer", queried), form)
    assert response.status_code == 200
    assert words in response.content
    queried.refresh_from_db()
    assert queried.review == DBSReview.QUERIED


def test_a_check_that_was_not_queried_cannot_be_answered_and_the_page_says_why(
    client, provider_a, check_a
):
    client.force_login(provider_a)
    response = client.get(url("answer", check_a))
    assert response.status_code == 200
    assert b"cannot be done now" in response.content
    assert b"<textarea" not in response.content


def test_council_staff_reject_a_check_and_the_provider_sees_why_in_their_list(
    client, moderator, provider_a, check_a
):
    client.force_login(moderator)
    response = client.post(url("reject", check_a), {"note": "The certificate is for someone else"})
    assert response.status_code == 302
    client.force_login(provider_a)
    response = client.get(reverse("directory_admin:dbs_checks"))
    assert b"was rejected" in response.content
    assert b"The certificate is for someone else" in response.content
    assert b"No DBS check recorded" in response.content


# --- Verifying, saying how ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["family", "young_auditor", "broker", "coordinator", "provider_a", "provider_b", None]
)
def test_only_council_staff_may_open_or_post_the_verify_page(client, request, role, check_a):
    if role:
        client.force_login(request.getfixturevalue(role))
    assert_denied(client.get(url("verify", check_a)))
    assert_denied(client.post(url("verify", check_a), {"method": "certificate"}))
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.SUBMITTED


def test_verifying_without_saying_how_is_a_form_error(client, moderator, check_a):
    client.force_login(moderator)
    response = client.post(url("verify", check_a), {})
    assert response.status_code == 200
    assert b"Choose how you checked it" in response.content
    check_a.refresh_from_db()
    assert not check_a.verified


def test_verifying_on_the_update_service_through_the_screen(client, moderator, check_a):
    client.force_login(moderator)
    response = client.post(
        url("verify", check_a),
        {"method": "update_service", "status_check_on": today().isoformat()},
    )
    assert b"confirm you used it" in response.content
    response = client.post(
        url("verify", check_a),
        {
            "method": "update_service",
            "status_check_on": today().isoformat(),
            "date_of_birth_used": "on",
            "expected_status": "submitted",
        },
    )
    assert response.status_code == 302
    check_a.refresh_from_db()
    assert check_a.verified and check_a.next_due_date == add_months(today(), 12)


def test_the_verify_page_offers_query_and_reject_to_council_staff(client, moderator, check_a):
    client.force_login(moderator)
    response = client.get(url("verify", check_a))
    assert url("query", check_a).encode() in response.content
    assert url("reject", check_a).encode() in response.content


def test_council_staff_can_filter_the_checks_waiting_for_the_provider(
    client, moderator, queried, org_a
):
    other = StaffMember.objects.create(organisation=org_a, full_name="Sam Waiting")
    services.dbs_check_submit(
        user=moderator,
        person=other,
        level=DBSLevel.ENHANCED,
        certificate_number="001234567891",
        issue_date=ISSUED,
    )
    client.force_login(moderator)
    response = client.get(reverse("directory_admin:dbs_checks"), {"status": "queried"})
    assert b"Priya Shah" in response.content and b"Sam Waiting" not in response.content
    response = client.get(reverse("directory_admin:dbs_checks"), {"status": "awaiting"})
    assert b"Sam Waiting" in response.content and b"Priya Shah" not in response.content
