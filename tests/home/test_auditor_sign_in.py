"""Young auditors sign in on their own easy-read page with the short username the kitemark
coordinator gave them, and land on their visits. Nobody else gets in that way, wrong tries
are throttled like everyone's, and the families' sign-in works as before."""

import pytest
from django.urls import reverse

from tests.factories.kitemark import make_auditor
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

SIGN_IN = "/account/young-auditors/sign-in/"


@pytest.fixture
def ruby(db):
    return make_auditor("ruby", "Ruby")


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(SIGN_IN, {"username": username, "password": password}, **extra)


def test_the_sign_in_page_is_easy_read_with_a_picture_of_the_kitemark(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Young auditors: sign in" in page
    assert "Sign in to see your visits." in page
    assert 'src="/static/kitemark/kitemark.svg"' in page
    assert 'alt="The kitemark: a blue badge with a white tick"' in page
    assert 'autocomplete="username"' in page and 'autocapitalize="none"' in page


@pytest.mark.parametrize("typed", ["ruby", "Ruby", " RUBY "])
def test_a_young_auditor_signs_in_with_their_short_username_and_lands_on_their_visits(
    client, ruby, typed
):
    response = sign_in(client, typed)
    assert response.status_code == 302
    assert response["Location"] == reverse("kitemark:auditor_home")
    visits = client.get(response["Location"])
    assert "Hello Ruby" in visits.content.decode()


def test_a_signed_out_auditor_asking_for_their_visits_is_sent_to_their_own_sign_in(client, ruby):
    response = client.get("/kitemark/auditor/")
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/kitemark/auditor/"
    response = client.post(
        f"{SIGN_IN}?next=/kitemark/auditor/",
        {"username": "ruby", "password": PASSWORD, "next": "/kitemark/auditor/"},
    )
    assert response["Location"] == "/kitemark/auditor/"


def test_signing_in_never_sends_an_auditor_off_site(client, ruby):
    response = client.post(
        SIGN_IN, {"username": "ruby", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("kitemark:auditor_home")


def test_a_wrong_password_gets_a_clear_message_and_no_sign_in(client, ruby):
    response = sign_in(client, "ruby", "not my password")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Your username or password is not right" in page
    assert "The kitemark coordinator can help" in page
    assert "_auth_user_id" not in client.session


def test_an_empty_form_says_what_to_type(client, ruby):
    page = client.post(SIGN_IN, {}).content.decode()
    assert "Type your username" in page and "Type your password" in page


@pytest.mark.parametrize("who", ["family", "provider_a", "coordinator", "broker", "moderator"])
def test_nobody_but_a_young_auditor_gets_in_through_the_auditors_sign_in(client, request, who):
    person = request.getfixturevalue(who)
    response = sign_in(client, person.username)
    assert response.status_code == 200
    assert "Your username or password is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/kitemark/auditor/").status_code == 302  # still signed out


@pytest.mark.parametrize("who", ["family", "provider_a"])
def test_a_family_or_provider_signed_in_elsewhere_cannot_open_the_auditor_pages(
    client, request, who
):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/kitemark/auditor/").status_code == 403


def test_an_auditor_no_longer_on_the_panel_cannot_sign_in(client, ruby):
    ruby.active = False
    ruby.save()
    assert sign_in(client, "ruby").status_code == 200
    assert "_auth_user_id" not in client.session


def test_wrong_passwords_on_the_auditors_sign_in_are_throttled(client, ruby, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "ruby", "wrong guess", REMOTE_ADDR="192.0.2.20")
        assert response.status_code == 200
    response = sign_in(client, "ruby", "wrong guess", REMOTE_ADDR="192.0.2.20")
    assert response.status_code == 429
    response = sign_in(client, "ruby", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many tries" in page
    assert "the kitemark coordinator can help" in page
    assert "_auth_user_id" not in client.session


def test_the_families_sign_in_still_takes_an_email_and_lands_on_the_account_page(client, family):
    family.email = "sam@example.org"
    family.save()
    page = client.get(reverse("account:sign_in")).content.decode()
    assert "Email address or username" in page
    assert SIGN_IN in page  # a link for young auditors, nothing else changes
    response = client.post(
        reverse("account:sign_in"), {"email": "SAM@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account:home")


def test_the_families_lock_page_says_nothing_about_the_kitemark(client, family, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("account:sign_in"), {"email": family.username, "password": "wrong guess"}
        )
    response = client.post(
        reverse("account:sign_in"), {"email": family.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "kitemark coordinator" not in response.content.decode()
