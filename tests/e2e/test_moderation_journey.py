"""Issue #2: a provider's change to a live listing goes to a council moderator before families
see it, and the provider is told the outcome by email.

Driven through the real Wagtail admin in Chromium: the provider edits and submits, the public
page keeps the approved version, the moderator approves (or requests changes) with a comment.
"""

import re

import pytest
from django.core import mail

from core.roles import COUNCIL_MODERATORS
from directory.services import organisation_add_editor
from tests.helpers import make_user

from .conftest import playwright_expect
from .signing_in import sign_in_to_admin

expect = playwright_expect()

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OLD_SUMMARY = "A Saturday club with trained staff for disabled children aged 8 to 16."
NEW_SUMMARY = "A Saturday and Sunday club with trained staff for disabled children aged 8 to 16."
NO_PERMISSION = re.compile("do not have permission", re.IGNORECASE)
ADMIN_AWAY_FROM_EDITOR = re.compile(r"/admin/(pages/\d+/)?$")


@pytest.fixture
def people(listings, settings):
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatars fetched from the internet
    provider = make_user("pat", first_name="Pat", last_name="Provider", email="pat@example.org")
    organisation_add_editor(organisation=listings.organisation, user=provider)
    moderator = make_user("morag", COUNCIL_MODERATORS, first_name="Morag", last_name="Moderator")
    return provider, moderator


@pytest.fixture
def moderation_is_set_up(site):
    """The directory's workflow must have a task for the council moderators; without one,
    Wagtail finishes the workflow as soon as it starts and publishes as the submitter."""
    workflow = site.directory.get_workflow()
    assert workflow is not None, "ensure_site() gave the directory no moderation workflow"
    assert workflow.tasks.filter(active=True).exists(), (
        f"The {workflow.name!r} workflow has no active task, so 'Submit to Council moderation' "
        "would try to publish at once, as the provider. ensure_site() must save a "
        "GroupApprovalTask for the council moderators in it (note: workflow.workflow_tasks "
        ".create() only stages the row on a ClusterableModel; it is not saved)."
    )


def log_in(page, username: str):
    sign_in_to_admin(page, username)


def provider_submits_new_summary(page, listing):
    log_in(page, "pat")
    page.goto(f"/admin/pages/{listing.pk}/edit/")
    summary = page.get_by_role("textbox", name="Summary")
    expect(
        summary,
        "The listing editor has no Summary field. Wagtail builds the editor from a page "
        "model's `edit_handler` attribute (or content_panels): check each listing model has "
        "one (ListingPage.build_edit_handler() is not called by Wagtail itself).",
    ).to_be_visible()
    expect(summary).to_have_value(OLD_SUMMARY)
    summary.fill(NEW_SUMMARY)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Council moderation").click()
    expect(page.get_by_text(NO_PERMISSION)).to_have_count(0)
    expect(
        page.get_by_text(f"Page '{listing.title}' has been submitted for moderation")
    ).to_be_visible()


def assert_public_summary(page, listing, summary: str, not_summary: str):
    page.goto(listing.get_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(listing.title)
    expect(page.get_by_text(summary, exact=True)).to_be_visible()
    expect(page.get_by_text(not_summary, exact=True)).to_have_count(0)


def moderator_finds_the_task(page, listing):
    log_in(page, "morag")
    review = page.get_by_role("region", name="Awaiting your review")
    expect(review).to_be_visible()
    row = review.get_by_role("row").filter(has=page.get_by_role("link", name=listing.title))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Pat Provider")
    return row


def workflow_dialog(page, action: str):
    """Wagtail's workflow action modal (a dialog without an accessible name of its own)."""
    dialog = page.get_by_role("dialog").filter(has=page.get_by_role("heading", name=action))
    expect(dialog).to_be_visible()
    return dialog


def posted_to(path: str):
    """Matches the response to a form sent to `path`: the server has acted on it."""
    return lambda response: response.request.method == "POST" and path in response.url


def emails_to(user):
    return [message for message in mail.outbox if user.email in message.to]


def test_a_providers_change_goes_live_only_when_a_moderator_approves_it(
    page, new_browser_page, listings, people, moderation_is_set_up
):
    provider, moderator = people
    listing = listings.short_break

    provider_submits_new_summary(page, listing)
    # The moderators are told there is something to review.
    assert emails_to(moderator), "The council moderators were not told about the submission"

    family = new_browser_page()
    assert_public_summary(family, listing, OLD_SUMMARY, NEW_SUMMARY)

    moderation = new_browser_page()
    row = moderator_finds_the_task(moderation, listing)
    row.get_by_role("link", name=listing.title).click()  # opens the listing in the editor
    expect(moderation.get_by_role("textbox", name="Summary")).to_have_value(NEW_SUMMARY)
    moderation.get_by_role("button", name="More actions").click()
    moderation.get_by_role("button", name="Approve with comment").click()
    dialog = workflow_dialog(moderation, "Approve with comment")
    dialog.get_by_label("Comment").fill("Thank you, this is clear for families.")
    with moderation.expect_response(posted_to(f"/admin/pages/{listing.pk}/edit/")):
        dialog.get_by_role("button", name="Approve with comment").click()
    moderation.wait_for_url(ADMIN_AWAY_FROM_EDITOR)  # the explorer, or the dashboard on error
    expect(
        moderation.get_by_text(NO_PERMISSION),
        "Approving failed: Wagtail publishes an approved change as the moderator, who needs "
        "publish permission on the directory pages. Give the Council moderators group a "
        "GroupPagePermission 'publish' on the DirectoryIndexPage (ensure_site()).",
    ).to_have_count(0)
    expect(dialog).to_be_hidden()

    assert_public_summary(family, listing, NEW_SUMMARY, OLD_SUMMARY)

    approved = [m for m in emails_to(provider) if "approved" in m.subject.lower()]
    assert len(approved) == 1, [m.subject for m in mail.outbox]
    assert listing.title in approved[0].subject

    moderation.goto("/admin/")
    expect(moderation.get_by_role("region", name="Awaiting your review")).to_have_count(0)


def test_a_moderator_can_send_a_change_back_with_a_comment(
    page, new_browser_page, listings, people, moderation_is_set_up
):
    provider, _moderator = people
    listing = listings.short_break
    comment = "Please say which Sunday sessions are running before we publish this."

    provider_submits_new_summary(page, listing)

    moderation = new_browser_page()
    row = moderator_finds_the_task(moderation, listing)
    row.get_by_role("button", name="Actions").click()
    moderation.get_by_role("button", name="Request changes").click()
    dialog = workflow_dialog(moderation, "Request changes")
    dialog.get_by_label("Comment").fill(comment)
    with moderation.expect_response(posted_to(f"/admin/pages/workflow/action/{listing.pk}/")):
        dialog.get_by_role("button", name="Request changes").click()
    expect(dialog).to_be_hidden()
    expect(moderation.get_by_text(NO_PERMISSION)).to_have_count(0)
    moderation.goto("/admin/")
    expect(moderation.get_by_role("region", name="Awaiting your review")).to_have_count(0)

    family = new_browser_page()
    assert_public_summary(family, listing, OLD_SUMMARY, NEW_SUMMARY)

    rejected = [m for m in emails_to(provider) if "asked for changes" in m.subject]
    assert len(rejected) == 1, [m.subject for m in mail.outbox]
    assert listing.title in rejected[0].subject
    assert comment in rejected[0].body

    # The provider's draft is kept for them to change and submit again.
    page.goto(f"/admin/pages/{listing.pk}/edit/")
    expect(page.get_by_role("textbox", name="Summary")).to_have_value(NEW_SUMMARY)
