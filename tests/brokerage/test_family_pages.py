"""The family's side on the public site: one question per page, saved as they go, check your
answers, follow the request, choose, confirm; bad input on every page; only their own."""

import json

import pytest
from django.urls import reverse

from brokerage import services
from brokerage.choices import Status
from brokerage.forms import STEP_NAMES
from brokerage.models import SupportRequest
from directory.models import FundingRoute, Need, Skill

from .conftest import make_request

GOOD = {
    "who": {"requester": "parent_carer"},
    "age": {"child_first_name": "Amir", "age": "12"},
    "needs": {"needs": []},
    "communication": {"communication": "Uses Makaton and a few words."},
    "care": {"care_and_health": "Needs help with toileting.", "skills": []},
    "behaviour": {"behaviour_support": ""},
    "support": {"support_kinds": ["pa", "at_home"]},
    "days": {"days": ["6"]},
    "times": {"time_from": "10:00", "time_to": "14:00", "term_time": "on", "hours_per_week": "6"},
    "postcode": {"postcode": "ne46 3nr"},
    "travel": {"travel_miles": "10"},
    "preferences": {"pa_gender": "female", "language": "", "culture_faith": ""},
    "funding": {"funding": "", "hourly_budget": "18.50"},
    "contact": {"contact_name": "Leila Khan", "contact_phone": "07700 900456"},
    "consent": {"consent_to_share": "on"},
}
BAD = [
    ("who", {}, "Select who is asking for support"),
    ("age", {"age": ""}, "Enter their age in years"),
    ("age", {"age": "twelve"}, "Enter their age as a number"),
    ("age", {"age": "31"}, "up to 25"),
    ("communication", {"communication": "x" * 1001}, "1,000 characters"),
    ("care", {"care_and_health": "x" * 1001}, "1,000 characters"),
    ("care", {"skills": ["999999"]}, "Select a valid choice"),
    ("behaviour", {"behaviour_support": "x" * 1001}, "1,000 characters"),
    ("support", {}, "Select at least one kind of support"),
    ("support", {"support_kinds": ["spaceship"]}, "Select a valid choice"),
    ("days", {}, "Select at least one day"),
    ("times", {"time_from": "25:99"}, "Enter a time like 15:30"),
    ("times", {"time_from": "16:00", "time_to": "15:00"}, "end time must be after"),
    ("times", {"time_from": "16:00"}, "Enter both times, or neither"),
    ("times", {"hours_per_week": "500"}, "168 hours"),
    ("postcode", {"postcode": ""}, "Enter your postcode"),
    ("postcode", {"postcode": "NOT A CODE"}, "Enter a full postcode in the right format"),
    ("postcode", {"postcode": "EH1 1YZ"}, "outside England"),
    ("travel", {"travel_miles": "7000"}, "Select a valid choice"),
    ("preferences", {"pa_gender": "robot"}, "Select a valid choice"),
    ("preferences", {"culture_faith": "x" * 301}, "300 characters"),
    ("funding", {}, "Select how the support will be paid for"),
    ("funding", {"funding": "direct", "hourly_budget": "lots"}, "Select a valid choice"),
    ("contact", {"contact_name": ""}, "Enter your name"),
    ("contact", {"contact_name": "A", "contact_phone": "call me"}, "Enter a phone number"),
    ("consent", {}, "Tick the box to agree"),
]


@pytest.fixture
def signed_in(client, family):
    client.force_login(family)
    return client


@pytest.fixture
def draft(family, northumberland):
    return services.draft_create(user=family)


def good(step):
    data = dict(GOOD[step])
    if step == "funding":
        data["funding"] = str(FundingRoute.objects.get(slug="direct-payment").pk)
    if step == "needs":
        data["needs"] = [str(Need.objects.get(slug="autism").pk)]
    if step == "care":
        data["skills"] = [str(Skill.objects.get(slug="personal-care").pk)]
    return data


def test_a_family_answers_one_question_per_page_checks_and_sends(
    signed_in, family, mailoutbox, django_capture_on_commit_callbacks
):
    response = signed_in.post(reverse("brokerage:index"))
    draft = SupportRequest.objects.get(family=family)
    assert response.url == reverse("brokerage:step", args=[draft.pk, "who"])
    for number, name in enumerate(STEP_NAMES):
        page = signed_in.get(reverse("brokerage:step", args=[draft.pk, name]))
        assert page.status_code == 200
        assert f"question {number + 1} of {len(STEP_NAMES)}" in page.content.decode()
        response = signed_in.post(reverse("brokerage:step", args=[draft.pk, name]), good(name))
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    assert response.url == reverse("brokerage:check", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.postcode_sector == "NE46 3" and draft.age == 12  # saved as they went
    check = signed_in.get(response.url).content.decode()
    assert "Check your answers" in check and "NE46 3" in check and "NE46 3NR" not in check
    with django_capture_on_commit_callbacks(execute=True):
        sent = signed_in.post(reverse("brokerage:check", args=[draft.pk]))
    assert sent.url == reverse("brokerage:sent", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert any(family.email in m.to for m in mailoutbox)
    assert draft.reference in signed_in.get(sent.url).content.decode()


def test_the_full_postcode_is_never_stored(signed_in, draft):
    signed_in.post(reverse("brokerage:step", args=[draft.pk, "postcode"]), good("postcode"))
    row = SupportRequest.objects.filter(pk=draft.pk).values().get()
    assert "NE46 3NR" not in json.dumps(row, default=str).upper().replace("NE463NR", "NE46 3NR")
    assert row["postcode_sector"] == "NE46 3"


@pytest.mark.parametrize(("step", "data", "message"), BAD)
def test_bad_input_on_every_page_gets_a_clear_message_and_saves_nothing(
    signed_in, draft, step, data, message
):
    before = SupportRequest.objects.filter(pk=draft.pk).values().get()
    response = signed_in.post(reverse("brokerage:step", args=[draft.pk, step]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and message in page
    after = SupportRequest.objects.filter(pk=draft.pk).values().get()
    before.pop("updated_at"), after.pop("updated_at")
    assert before == after


def test_a_young_person_under_16_cannot_ask_for_themself(signed_in, draft):
    signed_in.post(reverse("brokerage:step", args=[draft.pk, "who"]), {"requester": "young_person"})
    response = signed_in.post(reverse("brokerage:step", args=[draft.pk, "age"]), {"age": "14"})
    assert "must be 16 or over" in response.content.decode()


def test_sending_with_answers_missing_lists_them_with_links(signed_in, draft):
    response = signed_in.post(reverse("brokerage:check", args=[draft.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and "Give your postcode" in page
    assert reverse("brokerage:step", args=[draft.pk, "postcode"]) in page


def test_change_links_come_back_to_check_your_answers(signed_in, draft):
    url = reverse("brokerage:step", args=[draft.pk, "age"]) + "?return=check"
    response = signed_in.post(url, {"age": "9", "return": "check"})
    assert response.url == reverse("brokerage:check", args=[draft.pk])


def test_an_unknown_question_is_not_found(signed_in, draft):
    assert signed_in.get(reverse("brokerage:step", args=[draft.pk, "nope"])).status_code == 404


def test_a_sent_request_cannot_be_edited(signed_in, family, northumberland):
    sent = make_request(family)
    response = signed_in.post(reverse("brokerage:step", args=[sent.pk, "age"]), {"age": "3"})
    assert response.status_code == 404


def test_a_family_sees_only_its_own_requests(client, family, northumberland, make_family):
    other = make_family("other-family")
    theirs = make_request(other)
    client.force_login(family)
    for name in ("detail", "check", "withdraw", "sent"):
        assert client.get(reverse(f"brokerage:{name}", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("brokerage:withdraw", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("brokerage:step", args=[theirs.pk, "age"])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.SUBMITTED


FAMILY_URLS = ["index", "my_data", "delete_account"]


@pytest.mark.parametrize("name", FAMILY_URLS)
def test_family_pages_ask_anyone_signed_out_to_sign_in(db, client, name):
    response = client.get(reverse(f"brokerage:{name}"))
    assert response.status_code == 302 and response.url.startswith(reverse("account:sign_in"))


@pytest.mark.parametrize("name", FAMILY_URLS)
@pytest.mark.parametrize("role", ["broker", "moderator", "provider_a", "young_auditor"])
def test_family_pages_refuse_staff_providers_and_auditors(db, client, request, name, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(f"brokerage:{name}")).status_code == 403


def test_a_new_request_is_filled_in_from_last_time(signed_in, family, northumberland):
    make_request(family)
    response = signed_in.post(reverse("brokerage:index"))
    draft = SupportRequest.objects.filter(status=Status.DRAFT).get()
    assert response.url == reverse("brokerage:check", args=[draft.pk])
    assert "NE46 3" in signed_in.get(response.url).content.decode()


def test_the_family_can_discard_a_draft(signed_in, draft):
    signed_in.post(reverse("brokerage:withdraw", args=[draft.pk]))
    assert not SupportRequest.objects.filter(pk=draft.pk).exists()


def test_the_family_can_withdraw_a_sent_request(signed_in, family, northumberland):
    sent = make_request(family)
    signed_in.post(reverse("brokerage:withdraw", args=[sent.pk]), {"expected_status": "submitted"})
    sent.refresh_from_db()
    assert sent.status == Status.WITHDRAWN


def test_the_family_page_lists_their_requests(signed_in, family, northumberland):
    sent = make_request(family)
    page = signed_in.get(reverse("brokerage:index")).content.decode()
    assert sent.reference in page and "Waiting for a broker" in page
    assert (
        "Waiting for a broker"
        in signed_in.get(reverse("brokerage:detail", args=[sent.pk])).content.decode()
    )


def test_the_account_page_links_to_the_familys_requests(signed_in):
    page = signed_in.get(reverse("account:home")).content.decode()
    assert "Requests for support" in page and reverse("brokerage:index") in page
