"""Providers edit only their own listings; every change goes to a council moderator, who
approves or requests changes; the provider is emailed either way; history is kept."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Page, Revision

from directory.models import ListingPage, ShortBreakServicePage
from tests.admin_forms import edit_url, form_data, submit_change
from tests.factories.directory import (
    DBSCheckFactory,
    PersonalAssistantPageFactory,
    ShortBreakServicePageFactory,
    StaffMemberFactory,
)
from tests.helpers import assert_denied

OLD = "Saturday club with swimming and crafts for children with autism."
NEW = "Saturday and Sunday club with swimming, crafts and a sensory room."


@pytest.fixture
def listing_a(org_a):
    return ShortBreakServicePageFactory(
        organisation=org_a, title="Hexham Saturday Club", summary=OLD
    )


@pytest.fixture
def listing_b(org_b):
    return ShortBreakServicePageFactory(organisation=org_b, title="Rothbury Riders")


def in_progress_task(page):
    return Page.objects.get(pk=page.pk).current_workflow_task_state


def test_a_provider_can_open_their_own_listing_in_the_editor(client, provider_a, listing_a):
    client.force_login(provider_a)
    response = client.get(edit_url(listing_a))
    assert response.status_code == 200
    assert b"Where this listing stands" in response.content


def test_a_provider_cannot_open_or_change_another_providers_listing(client, provider_a, listing_b):
    client.force_login(provider_a)
    assert_denied(client.get(edit_url(listing_b)))
    assert_denied(client.post(edit_url(listing_b), {"title": "Hijacked"}))
    assert ListingPage.objects.get(pk=listing_b.pk).get_latest_revision().content["title"] == (
        "Rothbury Riders"
    )


def test_a_provider_cannot_add_listings_under_another_provider(
    client, provider_a, org_b, listing_b
):
    client.force_login(provider_a)
    url = reverse(
        "wagtailadmin_pages:add",
        args=["directory", "shortbreakservicepage", org_b.provider_page.pk],
    )
    assert_denied(client.get(url))


def test_a_provider_does_not_see_another_providers_pages_in_the_explorer(
    client, provider_a, listing_a, listing_b
):
    client.force_login(provider_a)
    response = client.get(reverse("wagtailadmin_explore", args=[listing_a.get_parent().pk]))
    assert response.status_code == 200
    assert b"Hexham Saturday Club" in response.content
    assert b"Rothbury Riders" not in response.content


def test_a_providers_change_waits_for_moderation_and_the_public_still_sees_the_old_version(
    client, provider_a, listing_a, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(provider_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit_change(client, listing_a, summary=NEW)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    page = ListingPage.objects.get(pk=listing_a.pk)
    assert page.summary == OLD  # the live version
    assert page.has_unpublished_changes
    assert page.get_latest_revision().content["summary"] == NEW
    assert in_progress_task(page) is not None
    client.logout()
    public = client.get(page.url)
    assert OLD.encode() in public.content
    assert NEW.encode() not in public.content
    assert moderator.email in {address for m in mailoutbox for address in m.to}


def test_a_provider_cannot_publish_even_by_posting_the_publish_action(
    client, provider_a, listing_a
):
    client.force_login(provider_a)
    response = client.get(edit_url(listing_a))
    assert b"action-publish" not in response.content
    client.post(edit_url(listing_a), form_data(response, summary=NEW, **{"action-publish": "1"}))
    assert ListingPage.objects.get(pk=listing_a.pk).summary == OLD
    assert not listing_a.permissions_for_user(provider_a).can_publish()


def test_a_moderator_approves_a_change_and_the_provider_is_told_by_email(
    client, provider_a, listing_a, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(provider_a)
    submit_change(client, listing_a, summary=NEW)
    task_state = in_progress_task(listing_a)
    client.force_login(moderator)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[listing_a.pk, "approve", task_state.pk]
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"comment": "Thank you, looks good."})
    page = ListingPage.objects.get(pk=listing_a.pk)
    assert page.summary == NEW
    assert not page.has_unpublished_changes
    client.logout()
    assert NEW.encode() in client.get(page.url).content
    to_provider = [m for m in mailoutbox if provider_a.email in m.to]
    assert to_provider, [m.subject for m in mailoutbox]
    assert "approved" in to_provider[0].subject.lower()


def test_a_moderator_requests_changes_with_a_comment_and_the_listing_stays_as_it_was(
    client, provider_a, listing_a, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(provider_a)
    submit_change(client, listing_a, summary=NEW)
    task_state = in_progress_task(listing_a)
    client.force_login(moderator)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[listing_a.pk, "reject", task_state.pk]
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"comment": "Please say which Sundays you open."})
    page = ListingPage.objects.get(pk=listing_a.pk)
    assert page.summary == OLD
    to_provider = [m for m in mailoutbox if provider_a.email in m.to]
    assert to_provider, [m.subject for m in mailoutbox]
    assert "Please say which Sundays you open." in to_provider[0].body

    # The provider reads the reason on the listing's own edit page, in plain words.
    client.force_login(provider_a)
    editor = client.get(edit_url(listing_a)).content.decode()
    assert "The council asked for changes:</strong> Please say which Sundays you open." in editor
    assert "Make the changes, then choose Submit" in editor
    # Wagtail's own words name the step plainly, on the edit page and the provider's dashboard.
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    for seen in (editor, dashboard):
        assert "moderator approves the change" not in seen
    assert "Council check" in editor, "the step's name is not where the provider reads it"
    # Submitted again, the request for changes is no longer shown as current.
    submit_change(client, listing_a, summary=NEW)
    editor = client.get(edit_url(listing_a)).content.decode()
    assert "The council asked for changes" not in editor


def test_only_council_moderators_can_approve(client, provider_a, provider_b, broker, listing_a):
    client.force_login(provider_a)
    submit_change(client, listing_a, summary=NEW)
    task_state = in_progress_task(listing_a)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[listing_a.pk, "approve", task_state.pk]
    )
    for user in (provider_a, provider_b, broker):
        client.force_login(user)
        client.post(url, {"comment": ""})
    assert ListingPage.objects.get(pk=listing_a.pk).summary == OLD


def test_a_new_listing_is_not_public_until_a_moderator_approves_it(client, provider_a, org_a):
    draft = ShortBreakServicePageFactory(organisation=org_a, live=False, title="Draft Club")
    assert client.get(f"/directory/{org_a.slug}/{draft.slug}/").status_code == 404
    assert b"Draft Club" not in client.get("/directory/").content
    assert not ListingPage.objects.in_directory().filter(pk=draft.pk).exists()


def test_every_change_is_kept_as_a_revision(client, provider_a, listing_a):
    client.force_login(provider_a)
    before = Revision.page_revisions.filter(object_id=str(listing_a.pk)).count()
    submit_change(client, listing_a, summary=NEW)
    assert Revision.page_revisions.filter(object_id=str(listing_a.pk)).count() == before + 1


def test_a_certificate_number_never_enters_a_page_revision(org_a, provider_a, client):
    person = StaffMemberFactory(organisation=org_a, user=provider_a)
    check = DBSCheckFactory(person=person, certificate_number="009876543210")
    listing = PersonalAssistantPageFactory(organisation=org_a, staff_member=person)
    client.force_login(provider_a)
    submit_change(client, listing, summary="Experienced PA for teenagers with autism.")
    for revision in Revision.page_revisions.all():
        assert check.certificate_number not in json.dumps(revision.content)
    client.logout()
    assert check.certificate_number.encode() not in client.get(listing.url).content


def test_a_provider_cannot_create_a_bare_listing_page_of_no_kind(client, provider_a, org_a):
    client.force_login(provider_a)
    url = reverse(
        "wagtailadmin_pages:add", args=["directory", "listingpage", org_a.provider_page.pk]
    )
    response = client.get(url)
    assert response.status_code in (302, 403, 404)
    assert not ShortBreakServicePage.objects.exists()
    assert Page.objects.filter(title="").count() == 0


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("NE99 9ZZ", "We could not find NE99 9ZZ"),
        ("12345", "Enter a full postcode in the right format"),
        ("EH1 1YZ", "outside England"),
    ],
)
def test_a_bad_postcode_in_the_listing_editor_is_a_clear_error_and_nothing_is_lost(
    client, provider_a, listing_a, postcode, message
):
    client.force_login(provider_a)
    response = submit_change(client, listing_a, postcode=postcode, summary=NEW)
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert NEW in content  # what the provider typed is still in the form
    assert ListingPage.objects.get(pk=listing_a.pk).get_latest_revision().content["summary"] == OLD


def test_a_listing_with_impossible_ages_and_no_delivery_is_refused_with_reasons(
    client, provider_a, listing_a
):
    client.force_login(provider_a)
    response = submit_change(
        client, listing_a, age_min="16", age_max="5", at_venue=False, comes_to_family=False
    )
    content = response.content.decode()
    assert "The oldest age must be the same as or more than the youngest age" in content
    assert "Choose at least one way the service is delivered" in content
