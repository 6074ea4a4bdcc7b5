"""The council's decision on a listing reaches its provider in the product's own words: the
service's name, the moderator's comment and links made from the site's real address
(`BASE_URL`), sent through the product's outbox, never Wagtail's generic moderation email."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Page

from core.models import OutgoingEmail
from directory.services import organisation_add_editor
from tests.admin_forms import submit_change
from tests.factories.directory import ShortBreakServicePageFactory
from tests.helpers import make_user

pytestmark = pytest.mark.django_db

SITE = "https://shortbreaks.example.gov.uk"
NEW = "Saturday and Sunday club with swimming, crafts and a sensory room."


@pytest.fixture
def listing_a(org_a):
    return ShortBreakServicePageFactory(organisation=org_a, title="Hexham Saturday Club")


@pytest.fixture
def on_the_real_site(settings):
    settings.WAGTAILADMIN_BASE_URL = SITE


def decide(client, listing, provider, moderator, action, comment, capture):
    client.force_login(provider)
    submit_change(client, listing, summary=NEW)
    task_state = Page.objects.get(pk=listing.pk).current_workflow_task_state
    client.force_login(moderator)
    url = reverse("wagtailadmin_pages:workflow_action", args=[listing.pk, action, task_state.pk])
    mail.outbox.clear()  # the moderators were told of the submission
    with capture(execute=True):
        client.post(url, {"comment": comment})


def sent_to(mailoutbox, user):
    return [m for m in mailoutbox if user.email in m.to]


def test_an_approval_email_names_the_service_and_links_to_the_listing_on_the_real_site(
    client,
    provider_a,
    moderator,
    listing_a,
    on_the_real_site,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    decide(
        client,
        listing_a,
        provider_a,
        moderator,
        "approve",
        "Thank you, this is clear for families.",
        django_capture_on_commit_callbacks,
    )
    [email] = sent_to(mailoutbox, provider_a)
    assert email.subject == "Approved: “Hexham Saturday Club” is published on Short Breaks Finder"
    assert "Thank you, this is clear for families." in email.body
    listing = Page.objects.get(pk=listing_a.pk)
    assert f"{SITE}{listing.get_url_parts()[2]}" in email.body
    assert f"{SITE}/admin/pages/{listing.pk}/edit/" in email.body
    assert "localhost" not in email.body
    assert "has been approved" not in email.subject  # Wagtail's own words
    # It went through the outbox, which keeps only that it was sent.
    assert OutgoingEmail.objects.get(kind="listing_approved").sent_count == 1


def test_a_request_for_changes_email_gives_the_councils_words_and_the_way_back_to_the_editor(
    client,
    provider_a,
    moderator,
    listing_a,
    on_the_real_site,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    decide(
        client,
        listing_a,
        provider_a,
        moderator,
        "reject",
        "Please say which Sundays you open.",
        django_capture_on_commit_callbacks,
    )
    [email] = sent_to(mailoutbox, provider_a)
    assert email.subject == (
        "The council asked for changes to “Hexham Saturday Club” on Short Breaks Finder"
    )
    assert "Please say which Sundays you open." in email.body
    assert "Families still see the listing as it was before your change." in email.body
    assert f"{SITE}/admin/pages/{listing_a.pk}/edit/" in email.body
    assert "localhost" not in email.body
    assert "rejected" not in email.subject.lower()
    assert OutgoingEmail.objects.get(kind="listing_changes_asked").sent_count == 1


def test_every_editor_of_the_provider_hears_the_decision_and_no_other_provider_does(
    client,
    provider_a,
    provider_b,
    org_a,
    moderator,
    listing_a,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    colleague = make_user("colleague-a", first_name="Cal")
    organisation_add_editor(organisation=org_a, user=colleague)
    decide(
        client,
        listing_a,
        provider_a,
        moderator,
        "reject",
        "Add your opening times.",
        django_capture_on_commit_callbacks,
    )
    assert sent_to(mailoutbox, provider_a) and sent_to(mailoutbox, colleague)
    assert not sent_to(mailoutbox, provider_b)
    assert not sent_to(mailoutbox, moderator)


def test_the_providers_dashboard_says_in_plain_words_that_the_council_asked_for_changes(
    client, provider_a, moderator, listing_a, django_capture_on_commit_callbacks
):
    decide(
        client,
        listing_a,
        provider_a,
        moderator,
        "reject",
        "Add your opening times.",
        django_capture_on_commit_callbacks,
    )
    client.force_login(provider_a)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "The council asked for changes: open it to read why" in dashboard
    assert "Changes requested at" not in dashboard
