"""Who can use a listing: a choice the provider makes in the editor, shown to families in
plain words."""

import pytest
from django.core.exceptions import ValidationError

from directory.choices import ELIGIBILITY_PLAIN, Eligibility
from directory.models import ShortBreakServicePage
from tests.admin_forms import edit_url, form_data
from tests.factories.directory import InclusiveClubPageFactory, ShortBreakServicePageFactory


def test_a_listing_is_open_access_unless_its_provider_says_otherwise(directory):
    listing = ShortBreakServicePageFactory()
    assert listing.eligibility == Eligibility.OPEN


@pytest.mark.parametrize(
    ("eligibility", "words"),
    [
        (Eligibility.OPEN, "Anyone, no assessment needed"),
        (Eligibility.ASSESSMENT, "assessed as needing it"),
        (Eligibility.REFERRAL, "referred by a professional"),
        (Eligibility.DIRECT_PAYMENT, "pay for it with a direct payment"),
    ],
)
def test_the_listing_page_says_who_can_use_it_in_plain_words(client, directory, eligibility, words):
    listing = InclusiveClubPageFactory(eligibility=eligibility)
    response = client.get(listing.url)
    assert response.status_code == 200
    text = response.content.decode()
    assert '<dt class="govuk-summary-list__key">Who can use it</dt>' in text
    assert words in ELIGIBILITY_PLAIN[eligibility]
    assert f'<dd class="govuk-summary-list__value">{ELIGIBILITY_PLAIN[eligibility]}' in (
        text.replace("&#x27;", "'")
    )


def test_every_choice_has_plain_words():
    assert set(ELIGIBILITY_PLAIN) == set(Eligibility)


def test_only_the_listed_choices_are_valid(directory):
    listing = ShortBreakServicePageFactory()
    listing.eligibility = "anyone-we-like"
    with pytest.raises(ValidationError) as error:
        listing.full_clean()
    assert "eligibility" in error.value.message_dict
    listing.eligibility = Eligibility.REFERRAL
    listing.full_clean()


def test_the_editor_asks_who_can_use_it_on_the_who_it_is_for_tab():
    handler = ShortBreakServicePage.edit_handler
    tab = next(child for child in handler.children if child.heading == "Who it is for")
    assert "eligibility" in [getattr(panel, "field_name", None) for panel in tab.children]


def test_a_provider_chooses_it_in_the_editor(client, provider_a, org_a):
    listing = ShortBreakServicePageFactory(organisation=org_a)
    client.force_login(provider_a)
    response = client.get(edit_url(listing))
    assert response.status_code == 200
    assert 'name="eligibility"' in response.content.decode()
    response = client.post(
        edit_url(listing),
        form_data(response, eligibility="not-a-choice", **{"action-submit": "Submit"}),
    )
    assert response.status_code == 200  # shown again with the error
    assert "eligibility" in response.context["form"].errors
    response = client.get(edit_url(listing))
    client.post(
        edit_url(listing),
        form_data(response, eligibility=Eligibility.REFERRAL, **{"action-submit": "Submit"}),
    )
    listing = ShortBreakServicePage.objects.get(pk=listing.pk)
    draft = listing.get_latest_revision_as_object()
    assert draft.eligibility == Eligibility.REFERRAL
