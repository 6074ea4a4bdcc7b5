"""A self-employed personal assistant is shown to the public as "Amy N.": in their page's
title, their listings' caption and their web address. Their surname stays with council staff.
Addresses made before this keep working: they redirect to the new ones."""

import io

import pytest
from django.core.management import call_command

from directory.choices import OrganisationKind
from directory.models import Organisation, ProviderPage
from directory.services import organisation_create
from tests.factories.directory import PersonalAssistantPageFactory

pytestmark = pytest.mark.django_db


def amy(directory):
    return organisation_create(name="Amy Nixon", kind=OrganisationKind.SELF_EMPLOYED_PA)


def test_a_personal_assistant_is_amy_n_in_title_caption_and_web_address(client, directory):
    organisation = amy(directory)
    provider_page = ProviderPage.objects.get(organisation=organisation)
    assert provider_page.title == "Amy N."
    listing = PersonalAssistantPageFactory(organisation=organisation, title="Amy N.")
    assert "nixon" not in provider_page.url.lower() and "nixon" not in listing.url.lower()
    assert provider_page.url == "/directory/amy-n/"
    page = client.get(listing.url).content.decode()
    assert '<span class="govuk-caption-l">Personal assistant</span>' in page
    assert '<h1 class="govuk-heading-xl">Amy N.</h1>' in page
    assert "Nixon" not in page.split("<h2", 1)[0]  # the title, caption and summary
    provider = client.get(provider_page.url).content.decode()
    assert '<h1 class="govuk-heading-xl">Amy N.</h1>' in provider
    assert "Nixon" not in provider
    # Council staff still know who the person is.
    assert Organisation.objects.get(pk=organisation.pk).name == "Amy Nixon"


def test_two_personal_assistants_with_the_same_public_name_get_their_own_addresses(directory):
    first = amy(directory)
    second = organisation_create(name="Amy Nolan", kind=OrganisationKind.SELF_EMPLOYED_PA)
    assert first.provider_page.url != second.provider_page.url
    assert second.provider_page.title == "Amy N."


def test_organisations_keep_their_own_name_in_public(directory):
    organisation = organisation_create(
        name="Tynedale Family Support", kind=OrganisationKind.CHARITY
    )
    assert organisation.provider_page.title == "Tynedale Family Support"
    assert organisation.provider_page.url == "/directory/tynedale-family-support/"


def test_personal_assistants_listed_before_get_their_public_name_and_old_links_redirect(
    client, directory, django_capture_on_commit_callbacks
):
    organisation = amy(directory)
    provider_page = ProviderPage.objects.get(organisation=organisation)
    # As they were before: full name in the title and the web address.
    provider_page.title, provider_page.slug = "Amy Nixon", "amy-nixon"
    provider_page.save_revision().publish()
    organisation = Organisation.objects.get(pk=organisation.pk)  # its page's new address
    listing = PersonalAssistantPageFactory(organisation=organisation, title="Amy N.")
    old_listing_url = listing.url
    assert old_listing_url.startswith("/directory/amy-nixon/")

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail's redirects, on commit
        call_command("public_pa_names", stdout=out)
    call_command("public_pa_names", stdout=out)  # safe to run twice
    assert out.getvalue().splitlines() == [
        "Personal assistants' pages renamed: 1",
        "Personal assistants' pages renamed: 0",
    ]

    provider_page.refresh_from_db()
    listing.refresh_from_db()
    assert provider_page.title == "Amy N." and provider_page.url == "/directory/amy-n/"
    assert listing.url.startswith("/directory/amy-n/")
    old = client.get("/directory/amy-nixon/")
    assert old.status_code in (301, 302) and old["Location"].endswith("/directory/amy-n/")
    moved = client.get(old_listing_url)
    assert moved.status_code in (301, 302) and moved["Location"].endswith(listing.url)
