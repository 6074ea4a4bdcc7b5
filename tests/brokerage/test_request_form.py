"""The family's request form: "I don't know yet" is an answer to how the support will be
paid for, and "who is asking" is never asked when the account already said."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from brokerage import services
from brokerage.choices import Requester
from brokerage.forms import STEP_NAMES
from brokerage.models import FamilyProfile, SupportRequest
from core.models import AuditEvent
from core.roles import FAMILIES
from home.accounts import account_request
from tests.helpers import make_user

from .conftest import make_request


@pytest.fixture
def signed_in(client, family):
    client.force_login(family)
    return client


def funding_page(client, draft, data):
    return client.post(reverse("brokerage:step", args=[draft.pk, "funding"]), data)


def test_a_family_who_does_not_know_how_it_will_be_paid_for_can_say_so(
    signed_in, family, northumberland
):
    draft = make_request(family, submit=False, funding=None)
    page = signed_in.get(reverse("brokerage:step", args=[draft.pk, "funding"])).content.decode()
    assert "I don&#x27;t know yet" in page or "I don't know yet" in page
    response = funding_page(signed_in, draft, {"funding": "dont_know", "hourly_budget": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.funding_id is None and draft.funding_unknown
    check = signed_in.get(reverse("brokerage:check", args=[draft.pk])).content.decode()
    assert "know yet" in check and "Say how the support will be paid for" not in check
    signed_in.post(reverse("brokerage:check", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_i_dont_know_yet_is_shown_again_when_the_family_comes_back_to_the_question(
    signed_in, family, northumberland
):
    draft = make_request(family, submit=False, funding=None)
    funding_page(signed_in, draft, {"funding": "dont_know"})
    page = signed_in.get(reverse("brokerage:step", args=[draft.pk, "funding"])).content.decode()
    [radio] = re.findall(r'<input[^>]*value="dont_know"[^>]*>', page)
    assert "checked" in radio


def test_the_provider_summary_says_the_way_of_paying_is_not_known_yet(family, northumberland):
    found = make_request(family, funding=None, funding_unknown=True)
    assert services.anonymised_summary(found)["funding"] == "Not known yet"


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Select how the support will be paid for, or “I don't know yet”"),
        ({"funding": "999999"}, "Select a valid choice"),
        ({"funding": "dont_know", "hourly_budget": "-3"}, "The budget cannot be negative"),
    ],
)
def test_bad_answers_about_paying_are_explained(signed_in, family, northumberland, data, message):
    draft = make_request(family, submit=False, funding=None)
    response = funding_page(signed_in, draft, data)
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in response.content.decode()


@pytest.fixture
def young_person(db, northumberland, mailoutbox):
    user = account_request(
        first_name="Jo", email="jo@example.org", password="a long pass phrase", who="young_person"
    )
    user.is_active = True
    user.save()
    return user


def test_the_account_says_who_is_asking_so_the_request_never_asks_again(client, young_person):
    client.force_login(young_person)
    response = client.post(reverse("brokerage:index"))
    draft = SupportRequest.objects.get(family=young_person)
    assert draft.requester == Requester.YOUNG_PERSON
    assert response.url == reverse("brokerage:step", args=[draft.pk, "age"])
    page = client.get(response.url).content.decode()
    assert f"question 1 of {len(STEP_NAMES) - 1}" in page and "How old are you?" in page
    asked = client.get(reverse("brokerage:step", args=[draft.pk, "who"]))
    assert asked.url == reverse("brokerage:step", args=[draft.pk, "age"])
    check = client.get(reverse("brokerage:check", args=[draft.pk])).content.decode()
    assert "A young person aged 16 or over, for myself (from your account)" in check
    assert reverse("brokerage:step", args=[draft.pk, "who"]) not in check
    assert "Select who is asking" not in check


def test_a_family_whose_account_did_not_say_is_asked_once_only(client, family, northumberland):
    first = make_request(family)
    assert FamilyProfile.objects.get(user=family).requester == first.requester
    client.force_login(family)
    client.post(reverse("brokerage:index"))
    second = SupportRequest.objects.filter(family=family).exclude(pk=first.pk).get()
    assert second.requester == first.requester
    page = client.get(reverse("brokerage:check", args=[second.pk])).content.decode()
    assert "(from your account)" in page


def test_accounts_made_before_are_given_who_they_are_for_from_the_audit_trail(db):
    parent = make_user("early-parent", FAMILIES)
    AuditEvent.objects.create(
        action="account_requested",
        object_type="auth.user",
        object_id=str(parent.pk),
        summary="Family account requested (parent)",
    )
    migration = import_module(
        "brokerage.migrations.0005_funding_not_known_yet_and_who_is_asking_from_the_account"
    )
    migration.who_from_the_accounts(apps, None)
    assert FamilyProfile.objects.get(user=parent).requester == Requester.PARENT_CARER
