"""Every public form, as it is rendered, driven with hostile values in every field it shows:
other scripts' digits, numbers too big for any database integer, NUL bytes, long strings,
wrong types and repeated values. The site answers with the form and its messages, a redirect
or a clear refusal, never a server error.

The fields are read from the page itself, so a field added to a form later is driven too.
Throttles are reset before each example, so every example reaches the form's own checks.
"""

from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.core.cache import caches
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brokerage.forms import STEP_NAMES
from core.roles import FAMILIES
from kitemark.choices import AuditStatus
from tests.factories.directory import InclusiveClubPageFactory
from tests.factories.kitemark import audit_to, make_auditor
from tests.helpers import make_user, postcode_in
from tests.strategies import hostile

pytestmark = pytest.mark.django_db

HYPOTHESIS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
IGNORED = {"csrfmiddlewaretoken"}
field_values = st.one_of(hostile, st.lists(hostile, min_size=2, max_size=3))


class PostedFields(HTMLParser):
    """The names of the fields inside the page's POST forms."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.names: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form":
            self.depth += (values.get("method") or "get").lower() == "post"
        elif self.depth and tag in {"input", "select", "textarea", "button"}:
            name = values.get("name")
            if name and name not in IGNORED and name not in self.names:
                self.names.append(name)

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth -= 1


def posted_fields(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = PostedFields()
    parser.feed(response.content.decode())
    assert parser.names, f"{url} shows no form"
    return parser.names


def fresh_throttles():
    for name in caches:
        caches[name].clear()


def drive(client, data, url: str, fields: list[str]) -> None:
    payload = {name: data.draw(field_values, label=name) for name in fields}
    fresh_throttles()
    response = client.post(url, payload)
    assert response.status_code < 500, (url, response.status_code)


@pytest.fixture
def club(directory, org_a):
    return InclusiveClubPageFactory(organisation=org_a, postcode=postcode_in("NE46 3"))


PUBLIC_FORMS = ["sign-in", "create", "reset", "apply", "report"]


def public_url(name: str, club) -> str:
    return {
        "sign-in": "/account/sign-in/",
        "create": "/account/create/",
        "reset": "/account/reset/",
        "apply": "/providers/apply/",
        "report": f"/listing/{club.pk}/report/",
    }[name]


@pytest.mark.parametrize("form", PUBLIC_FORMS)
@settings(max_examples=25, **HYPOTHESIS)
@given(data=st.data())
def test_every_public_form_answers_any_values_in_any_field_without_a_server_error(
    client, club, form, data
):
    url = public_url(form, club)
    drive(client, data, url, posted_fields(client, url))


@pytest.fixture
def draft(db, directory):
    from brokerage import services

    family = make_user("family-hostile", FAMILIES)
    return family, services.draft_create(user=family)


@pytest.mark.parametrize("step", STEP_NAMES)
@settings(max_examples=12, **HYPOTHESIS)
@given(data=st.data())
def test_every_question_a_family_answers_takes_any_values_without_a_server_error(
    client, draft, step, data
):
    family, request = draft
    client.force_login(family)
    url = reverse("brokerage:step", args=[request.pk, step])
    drive(client, data, url, posted_fields(client, url))


@pytest.fixture
def review(coordinator, club):
    auditor = make_auditor("rowan-hostile", "Rowan")
    partner = make_auditor("sol-hostile", "Sol")
    audit = audit_to(
        AuditStatus.SCHEDULED, listing=club, coordinator=coordinator, auditors=[auditor, partner]
    )
    return auditor, audit.assignments.get(auditor=auditor)


@settings(max_examples=30, **HYPOTHESIS)
@given(data=st.data())
def test_a_young_auditors_answer_to_a_standard_takes_any_values_without_a_server_error(
    client, review, data, settings_media
):
    auditor, assignment = review
    client.force_login(auditor.user)
    url = reverse("kitemark:review_standard", args=[assignment.pk, 1])
    drive(client, data, url, posted_fields(client, url))


@pytest.fixture
def settings_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


tokens = st.one_of(hostile, st.text(min_size=1, max_size=80)).filter(lambda text: text.strip("."))


@settings(max_examples=60, **HYPOTHESIS)
@given(
    token=tokens,
    prefix=st.sampled_from(
        ["/account/confirm/", "/confirm-listing/", "/providers/apply/confirm/", "/account/reset/x/"]
    ),
)
def test_any_token_in_a_confirmation_link_gets_a_page_not_a_server_error(client, db, prefix, token):
    fresh_throttles()
    url = prefix + quote(token, safe="") + "/"
    assert client.get(url).status_code < 500
    assert client.post(url, {}).status_code < 500
