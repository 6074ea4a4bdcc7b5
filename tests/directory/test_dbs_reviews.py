"""The council's review of a DBS check: verified (saying how, which sets the next due date),
queried (the provider is told what is missing and answers) or rejected (with a reason), and
what each means for the public badge. docs/workflows/dbs-checks.md."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from core.audit import trail_of
from core.dates import add_months, today
from core.workflow import TransitionRefused
from directory import dbs_reviews, services
from directory.admin_views import council_attention_counts
from directory.choices import DBSCheckMethod, DBSLevel, DBSReview, DBSStatus
from directory.models import DBSCheck
from tests.directory.conftest import CERTIFICATE, ISSUED_DAYS_AGO
from tests.factories.directory import DBSCheckFactory

NEW_CERTIFICATE = "009876543210"
ISSUED = ISSUED_DAYS_AGO  # the submitted check, issued this many days ago


def badge(person) -> DBSStatus:
    return services.safeguarding_summary([person], today())["dbs_status"]


def sent(mailoutbox, subject_words):
    return [m for m in mailoutbox if subject_words in m.subject]


# --- Query -------------------------------------------------------------------------------------


def test_the_provider_is_emailed_what_is_missing_but_never_the_number_or_whose_check_it_is(
    moderator, provider_a, check_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dbs_reviews.dbs_check_query(
            user=moderator,
            check=check_a,
            note="The issue date you gave is not the one on the certificate. Please check it.",
            expected_status=DBSReview.SUBMITTED,
        )
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.QUERIED
    (email,) = sent(mailoutbox, "needs more")
    assert email.to == [provider_a.email]
    assert "The issue date you gave is not the one on the certificate" in email.body
    assert f"/safeguarding/checks/{check_a.pk}/answer/" in email.body
    for private in (CERTIFICATE, "Priya Shah"):
        assert private not in email.body and private not in email.subject


def test_a_queried_check_is_not_verified_so_the_badge_says_not_yet_verified(
    moderator, person_a, check_a
):
    dbs_reviews.dbs_check_query(user=moderator, check=check_a, note="Which level is it?")
    check_a.refresh_from_db()
    assert not check_a.verified
    assert check_a.status() == DBSStatus.SELF_DECLARED
    assert badge(person_a) == DBSStatus.SELF_DECLARED


@pytest.mark.parametrize("review", [DBSReview.QUERIED, DBSReview.REJECTED, DBSReview.SUBMITTED])
def test_a_check_counts_as_verified_only_when_its_review_is_verified(person_a, review):
    # a verification date left behind (data from before reviews were recorded, a hand edit)
    # never makes a check the council did not verify count as verified
    check = DBSCheckFactory(person=person_a, verified=True, review=review, refresh=False)
    assert not check.verified
    assert check.status() != DBSStatus.VERIFIED


@pytest.mark.parametrize("move", ["query", "reject"])
def test_a_query_or_a_rejection_needs_a_reason(moderator, check_a, move):
    with pytest.raises(TransitionRefused) as refused:
        getattr(dbs_reviews, f"dbs_check_{move}")(user=moderator, check=check_a, note="  ")
    assert "note" in refused.value.message_dict
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.SUBMITTED


def test_a_reason_with_the_certificate_number_in_it_is_refused_as_it_is_emailed(
    moderator, check_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused) as no:
        dbs_reviews.dbs_check_query(
            user=moderator, check=check_a, note="Is 0012 3456 7890 the right number?"
        )
    assert "Do not write the certificate number" in str(no.value)
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.SUBMITTED
    assert mailoutbox == []


def test_the_audit_trail_records_a_query_but_not_its_words(moderator, check_a):
    dbs_reviews.dbs_check_query(user=moderator, check=check_a, note="Priya's surname differs")
    summaries = list(trail_of(check_a).values_list("summary", flat=True))
    assert "DBS check queried" in summaries
    assert not [s for s in summaries if "surname" in s]


def test_a_query_of_a_check_someone_else_verified_meanwhile_is_refused_as_stale(moderator, check_a):
    dbs_reviews.dbs_check_verify(user=moderator, check=check_a, method=DBSCheckMethod.CERTIFICATE)
    with pytest.raises(TransitionRefused) as refused:
        dbs_reviews.dbs_check_query(
            user=moderator,
            check=DBSCheck.objects.get(pk=check_a.pk),
            note="Which level?",
            expected_status=DBSReview.SUBMITTED,
        )
    assert refused.value.code == "stale"


def test_queried_checks_wait_for_the_provider_not_the_council(moderator, check_a):
    assert council_attention_counts()["dbs_awaiting"] == 1
    dbs_reviews.dbs_check_query(user=moderator, check=check_a, note="Which level?")
    assert council_attention_counts()["dbs_awaiting"] == 0


# --- The provider's answer ---------------------------------------------------------------------


def test_the_provider_answers_a_query_correcting_the_details_and_the_council_is_told(
    moderator, provider_a, check_a, mailoutbox, django_capture_on_commit_callbacks
):
    dbs_reviews.dbs_check_query(user=moderator, check=check_a, note="The issue date is wrong")
    issued = today() - datetime.timedelta(days=400)
    with django_capture_on_commit_callbacks(execute=True):
        dbs_reviews.dbs_check_answer(
            user=provider_a,
            check=check_a,
            note="Sorry, it was issued last year",
            level=DBSLevel.ENHANCED_CHILDREN,
            issue_date=issued,
            expected_status=DBSReview.QUERIED,
        )
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.SUBMITTED
    assert check_a.issue_date == issued
    assert check_a.next_due_date == add_months(issued, 36)
    assert check_a.certificate_number == CERTIFICATE  # a blank number keeps the one sent before
    assert check_a.answer == "Sorry, it was issued last year"
    assert check_a.review_note == "The issue date is wrong"
    (email,) = sent(mailoutbox, "answered your query")
    assert email.to == [moderator.email]
    for private in (CERTIFICATE, "Priya Shah", "issued last year"):
        assert private not in email.body and private not in email.subject


def test_an_answer_may_replace_a_wrong_certificate_number(moderator, provider_a, check_a):
    dbs_reviews.dbs_check_query(user=moderator, check=check_a, note="The number does not match")
    dbs_reviews.dbs_check_answer(
        user=provider_a,
        check=check_a,
        note="Typo, corrected",
        level=check_a.level,
        issue_date=check_a.issue_date,
        certificate_number=NEW_CERTIFICATE,
    )
    check_a.refresh_from_db()
    assert check_a.certificate_number == NEW_CERTIFICATE


def test_an_answer_needs_words_and_valid_details(moderator, provider_a, check_a):
    dbs_reviews.dbs_check_query(user=moderator, check=check_a, note="Which level?")
    with pytest.raises(ValidationError) as bad:
        dbs_reviews.dbs_check_answer(
            user=provider_a,
            check=check_a,
            note="Fixed",
            level=check_a.level,
            issue_date=today() + datetime.timedelta(days=3),
        )
    assert "issue_date" in bad.value.message_dict
    with pytest.raises(TransitionRefused) as refused:
        dbs_reviews.dbs_check_answer(
            user=provider_a,
            check=check_a,
            note="",
            level=check_a.level,
            issue_date=check_a.issue_date,
        )
    assert "note" in refused.value.message_dict
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.QUERIED


def test_a_provider_cannot_answer_a_query_about_another_providers_person(
    moderator, provider_b, check_a
):
    dbs_reviews.dbs_check_query(user=moderator, check=check_a, note="Which level?")
    with pytest.raises(PermissionDenied):
        dbs_reviews.dbs_check_answer(
            user=provider_b,
            check=check_a,
            note="x",
            level=check_a.level,
            issue_date=check_a.issue_date,
        )


def test_a_check_that_was_not_queried_cannot_be_answered(provider_a, check_a):
    with pytest.raises(TransitionRefused) as refused:
        dbs_reviews.dbs_check_answer(
            user=provider_a,
            check=check_a,
            note="x",
            level=check_a.level,
            issue_date=check_a.issue_date,
        )
    assert refused.value.code == "illegal"


# --- Reject ------------------------------------------------------------------------------------


def test_council_staff_reject_a_check_and_the_provider_is_emailed_the_reason(
    moderator, provider_a, check_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dbs_reviews.dbs_check_reject(
            user=moderator, check=check_a, note="This certificate is for a different person."
        )
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.REJECTED
    (email,) = sent(mailoutbox, "could not accept")
    assert email.to == [provider_a.email]
    assert "This certificate is for a different person." in email.body
    for private in (CERTIFICATE, "Priya Shah"):
        assert private not in email.body and private not in email.subject


def test_a_rejected_check_is_final(moderator, provider_a, check_a):
    dbs_reviews.dbs_check_reject(user=moderator, check=check_a, note="Not this person's")
    for attempt in (
        lambda: dbs_reviews.dbs_check_verify(
            user=moderator, check=check_a, method=DBSCheckMethod.CERTIFICATE
        ),
        lambda: dbs_reviews.dbs_check_query(user=moderator, check=check_a, note="Which level?"),
    ):
        with pytest.raises(TransitionRefused) as refused:
            attempt()
        assert refused.value.code == "illegal"


def test_a_queried_check_the_provider_never_answers_can_be_rejected(moderator, check_a):
    dbs_reviews.dbs_check_query(user=moderator, check=check_a, note="Which level?")
    dbs_reviews.dbs_check_reject(user=moderator, check=check_a, note="No answer in 8 weeks")
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.REJECTED


def test_a_rejected_check_with_no_earlier_check_leaves_no_dbs_check_recorded(
    moderator, person_a, check_a
):
    dbs_reviews.dbs_check_reject(user=moderator, check=check_a, note="Not this person's")
    check_a.refresh_from_db()
    assert check_a.status() == DBSStatus.NONE
    assert badge(person_a) == DBSStatus.NONE


def test_a_rejected_renewal_leaves_the_earlier_verified_check_deciding_the_badge(
    moderator, person_a, provider_a
):
    DBSCheckFactory(person=person_a, issue_date=today() - datetime.timedelta(days=500))
    renewal = services.dbs_check_submit(
        user=provider_a,
        person=person_a,
        level=DBSLevel.ENHANCED_CHILDREN,
        certificate_number=CERTIFICATE,
        issue_date=today() - datetime.timedelta(days=5),
    )
    assert badge(person_a) == DBSStatus.SELF_DECLARED
    dbs_reviews.dbs_check_reject(user=moderator, check=renewal, note="Wrong person")
    assert badge(person_a) == DBSStatus.VERIFIED


def test_a_rejected_renewal_cannot_bring_a_lapsed_listing_back(moderator, person_a, provider_a):
    DBSCheckFactory(person=person_a, lapsed=True)
    lapsed_on = today() - datetime.timedelta(days=60)
    renewal = services.dbs_check_submit(
        user=provider_a,
        person=person_a,
        level=DBSLevel.ENHANCED_CHILDREN,
        certificate_number=CERTIFICATE,
        issue_date=today() - datetime.timedelta(days=5),
    )
    assert badge(person_a) == DBSStatus.SELF_DECLARED
    dbs_reviews.dbs_check_reject(user=moderator, check=renewal, note="Wrong person")
    summary = services.safeguarding_summary([person_a], today())
    assert summary["dbs_status"] == DBSStatus.LAPSED
    assert summary["dbs_lapsed_on"] == lapsed_on


# --- Who may review ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["provider_a", "provider_b", "broker", "coordinator", "family"])
def test_only_council_staff_verify_query_or_reject_a_check(request, role, check_a):
    user = request.getfixturevalue(role)
    for attempt in (
        lambda: dbs_reviews.dbs_check_verify(
            user=user, check=check_a, method=DBSCheckMethod.CERTIFICATE
        ),
        lambda: dbs_reviews.dbs_check_query(user=user, check=check_a, note="Which level?"),
        lambda: dbs_reviews.dbs_check_reject(user=user, check=check_a, note="No"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.SUBMITTED


# --- How it was checked, and the next due date -------------------------------------------------


def test_a_certificate_seen_is_due_three_years_after_issue(moderator, check_a):
    dbs_reviews.dbs_check_verify(user=moderator, check=check_a, method=DBSCheckMethod.CERTIFICATE)
    check_a.refresh_from_db()
    assert check_a.method == DBSCheckMethod.CERTIFICATE
    assert check_a.next_due_date == add_months(today() - datetime.timedelta(days=ISSUED), 36)
    assert not check_a.date_of_birth_used


@override_settings(DBS_RECHECK_MONTHS=24)
def test_the_renewal_period_after_a_certificate_seen_is_a_setting(moderator, check_a):
    dbs_reviews.dbs_check_verify(user=moderator, check=check_a, method=DBSCheckMethod.CERTIFICATE)
    check_a.refresh_from_db()
    assert check_a.next_due_date == add_months(today() - datetime.timedelta(days=ISSUED), 24)


def test_an_update_service_status_check_is_due_a_year_later_and_keeps_no_date_of_birth(
    moderator, check_a
):
    checked = today() - datetime.timedelta(days=2)
    dbs_reviews.dbs_check_verify(
        user=moderator,
        check=check_a,
        method=DBSCheckMethod.UPDATE_SERVICE,
        status_check_on=checked,
        date_of_birth_used=True,
    )
    check_a.refresh_from_db()
    assert check_a.method == DBSCheckMethod.UPDATE_SERVICE
    assert check_a.update_service and check_a.last_status_check == checked
    assert check_a.next_due_date == add_months(checked, 12)
    assert check_a.date_of_birth_used
    assert not [
        f
        for f in DBSCheck._meta.get_fields()
        if "birth" in f.name and f.name != "date_of_birth_used"
    ]


def test_a_verified_check_is_checked_again_on_the_update_service_and_its_due_date_moves_on(
    moderator, check_a
):
    dbs_reviews.dbs_check_verify(user=moderator, check=check_a, method=DBSCheckMethod.CERTIFICATE)
    dbs_reviews.dbs_check_verify(
        user=moderator,
        check=check_a,
        method=DBSCheckMethod.UPDATE_SERVICE,
        status_check_on=today(),
        date_of_birth_used=True,
        expected_status=DBSReview.VERIFIED,
    )
    check_a.refresh_from_db()
    assert check_a.next_due_date == add_months(today(), 12)
    assert list(
        trail_of(check_a).filter(action="dbs_verified").values_list("summary", flat=True)
    ) == [
        "DBS check verified",
        "DBS check verified",
    ]


@pytest.mark.parametrize(
    ("details", "field", "words"),
    [
        ({"date_of_birth_used": True}, "status_check_on", "Enter the date of the Update Service"),
        ({"status_check_on": "today"}, "date_of_birth_used", "needs the person's date of birth"),
        ({"status_check_on": "tomorrow", "date_of_birth_used": True}, "status_check_on", "future"),
        (
            {"status_check_on": "before issue", "date_of_birth_used": True},
            "status_check_on",
            "before",
        ),
    ],
)
def test_an_update_service_status_check_needs_its_date_and_the_date_of_birth(
    moderator, check_a, details, field, words
):
    days = {"today": 0, "tomorrow": -1, "before issue": ISSUED + 10}
    if "status_check_on" in details:
        details["status_check_on"] = today() - datetime.timedelta(
            days=days[details["status_check_on"]]
        )
    with pytest.raises(ValidationError) as bad:
        dbs_reviews.dbs_check_verify(
            user=moderator, check=check_a, method=DBSCheckMethod.UPDATE_SERVICE, **details
        )
    assert words in " ".join(bad.value.message_dict[field])
    check_a.refresh_from_db()
    assert check_a.review == DBSReview.SUBMITTED


def test_another_way_of_checking_must_say_how(moderator, check_a):
    with pytest.raises(ValidationError) as bad:
        dbs_reviews.dbs_check_verify(user=moderator, check=check_a, method=DBSCheckMethod.OTHER)
    assert "method_note" in bad.value.message_dict
    dbs_reviews.dbs_check_verify(
        user=moderator,
        check=check_a,
        method=DBSCheckMethod.OTHER,
        method_note="Confirmed by the agency that employs her",
    )
    check_a.refresh_from_db()
    assert check_a.method_note == "Confirmed by the agency that employs her"


def test_an_unknown_method_is_refused(moderator, check_a):
    with pytest.raises(ValidationError) as bad:
        dbs_reviews.dbs_check_verify(user=moderator, check=check_a, method="guessed")
    assert "method" in bad.value.message_dict


def test_a_certificate_past_its_renewal_date_cannot_be_verified_from_the_certificate_alone(
    moderator, person_a
):
    old = DBSCheckFactory(
        person=person_a,
        verified=False,
        issue_date=add_months(today(), -40),
        update_service=True,
        next_due_date=today() + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError) as bad:
        dbs_reviews.dbs_check_verify(user=moderator, check=old, method=DBSCheckMethod.CERTIFICATE)
    assert "cannot be verified as current" in " ".join(bad.value.message_dict["method"])
    dbs_reviews.dbs_check_verify(
        user=moderator,
        check=old,
        method=DBSCheckMethod.UPDATE_SERVICE,
        status_check_on=today(),
        date_of_birth_used=True,
    )
    old.refresh_from_db()
    assert old.verified
