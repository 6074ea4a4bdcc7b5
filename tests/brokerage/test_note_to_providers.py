"""A broker's note to providers never carries who the family is or where they live: providers
read it with the anonymised summary, before the family has chosen anyone or agreed to share.

The family in these tests: a parent, Leila Khan (07700 900456), asking for Amir, aged 12, in
the NE46 3 postcode sector."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from brokerage import services
from brokerage.models import Offer

REFUSED = [
    ("Amir loves trains", "the child's name"),
    ("AMIR is shy at first", "the child's name"),
    ("Mum (Leila) prefers mornings", "the family's names"),
    ("The Khan family are lovely", "the family's names"),
    ("Call 07700 900456 after 4", "a phone number"),
    ("Ring 07700-900-456", "a phone number"),
    ("Ring +44 7700 900456", "a phone number"),
    ("Any questions: 0191 496 0000", "a phone number"),
    ("Email leila@example.org", "an email address"),
    ("Lives at NE46 3NR", "an address or a postcode beyond its first half"),
    ("Near NE46 3, by the park", "an address or a postcode beyond its first half"),
    ("Home is 12 Priestpopple Road", "an address or a postcode beyond its first half"),
    ("Flat 3, 4b Hencotes Street", "an address or a postcode beyond its first half"),
]
ALLOWED = [
    "Loves animals and music; a calm, patient worker suits best.",
    "Lives in the NE46 area, 10 miles from Hexham",
    "Saturdays 10 to 4, about 6 hours a week, from 1 March",
    "Aged 12, uses a few Makaton signs",
    "Aged 12, likes the park and the swimming pool",
    "Goes to 2 clubs near the green",
    "",
]


@pytest.mark.parametrize(("note", "what"), REFUSED)
def test_a_note_naming_or_locating_the_family_is_refused_and_nothing_is_sent(
    assigned, broker_ready, listing, note, what
):
    with pytest.raises(ValidationError) as refused:
        services.offers_send(user=broker_ready, request=assigned, listings=[listing], note=note)
    message = " ".join(refused.value.messages)
    assert what in message
    assert "before the family has agreed to share" in message
    assert not Offer.objects.exists()


@pytest.mark.parametrize("note", ALLOWED)
def test_a_note_about_the_childs_needs_and_times_is_sent(assigned, broker_ready, listing, note):
    [offer] = services.offers_send(
        user=broker_ready, request=assigned, listings=[listing], note=note
    )
    assert offer.broker_note == note


def test_the_familys_account_name_and_email_count_too(assigned, broker_ready, listing, family):
    family.first_name, family.last_name = "Nadia", "Okafor"
    family.save()
    for note, what in (("Nadia says hello", "names"), (family.email.upper(), "email")):
        with pytest.raises(ValidationError, match=what):
            services.offers_send(user=broker_ready, request=assigned, listings=[listing], note=note)


def test_on_the_matching_screen_the_refusal_keeps_what_the_broker_typed_and_chose(
    client, broker_ready, assigned, listing, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(broker_ready)
    url = reverse("brokerage_admin:matching", args=[assigned.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "send",
                "listing": [str(listing.pk)],
                "expected_status": "assigned",
                "note": "Amir loves trains",
            },
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Take out the child&#x27;s name from the note" in page
    assert ">Amir loves trains</textarea>" in page
    assert (
        f'value="{listing.pk}" id="ask-{listing.pk}" aria-label="Ask {listing.title}" checked'
        in (page)
    )
    assert not Offer.objects.exists()
    assert mailoutbox == []


def test_what_the_provider_receives_names_nobody(
    client,
    broker_ready,
    assigned,
    listing,
    pa_editor,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        [offer] = services.offers_send(
            user=broker_ready,
            request=assigned,
            listings=[listing],
            note="Loves animals and music",
        )
    client.force_login(pa_editor)
    page = client.get(reverse("brokerage_admin:offer", args=[offer.pk])).content.decode()
    sent = " ".join(m.subject + m.body for m in mailoutbox)
    for text in (page, sent):
        for secret in ("Amir", "Leila", "Khan", "07700", "NE46 3NR", "NE46 3 "):
            assert secret not in text, secret
    assert "Loves animals and music" in page
