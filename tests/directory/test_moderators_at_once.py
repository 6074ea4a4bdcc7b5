"""Two council moderators acting on the same listing, and two staff on the same DBS check:
the first action stands, the second person is told what happened, nothing is lost."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.models import Page

from core.roles import COUNCIL_MODERATORS
from directory import dbs_reviews
from directory.choices import DBSReview
from directory.models import DBSCheck, ListingPage
from tests.admin_forms import submit_change
from tests.factories.directory import ShortBreakServicePageFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

OLD = "Saturday club with swimming and crafts."
NEW = "Saturday and Sunday club with swimming, crafts and a sensory room."


@pytest.fixture
def listing(org_a):
    return ShortBreakServicePageFactory(organisation=org_a, title="Hexham Club", summary=OLD)


@pytest.fixture
def second_moderator(db):
    return make_user("moderator2", COUNCIL_MODERATORS, first_name="Mo")


def action_url(listing, action, task_state):
    return reverse("wagtailadmin_pages:workflow_action", args=[listing.pk, action, task_state.pk])


def told(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize(("first", "second"), [("approve", "reject"), ("reject", "approve")])
def test_two_moderators_deciding_the_same_change_the_first_decision_stands_and_the_second_is_told(
    client, provider_a, listing, moderator, second_moderator, first, second
):
    client.force_login(provider_a)
    submit_change(client, listing, summary=NEW)
    task_state = Page.objects.get(pk=listing.pk).current_workflow_task_state
    client.force_login(moderator)
    client.post(action_url(listing, first, task_state), {"comment": "First decision"})

    client.force_login(second_moderator)  # their page was opened before the first decision
    response = client.post(action_url(listing, second, task_state), {"comment": "Too late"})
    assert response.status_code in (200, 302)
    assert "Traceback" not in response.content.decode()
    task_state.refresh_from_db()
    assert task_state.status == ("approved" if first == "approve" else "rejected")
    assert task_state.finished_by == moderator
    page = ListingPage.objects.get(pk=listing.pk)
    assert page.summary == (NEW if first == "approve" else OLD)
    assert "is not currently awaiting moderation" in told(response)
    # The provider's change itself is kept either way, as the latest revision.
    assert page.get_latest_revision().as_object().summary == NEW


def test_two_staff_reviewing_one_dbs_check_the_second_is_told_and_keeps_what_they_typed(
    client, moderator, second_moderator, check_a
):
    dbs_reviews.dbs_check_verify(user=moderator, check=check_a, method="certificate")
    client.force_login(second_moderator)  # their page was opened before the check was verified
    response = client.post(
        reverse("directory_admin:dbs_check_query", args=[check_a.pk]),
        {"note": "Is the issue date right?", "expected_status": "submitted"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else has changed this DBS check" in page
    assert "Is the issue date right?" in page  # their words are shown back, not lost
    check = DBSCheck.objects.get(pk=check_a.pk)
    assert check.review == DBSReview.VERIFIED and check.verified_by == moderator
