"""Families sign in on the public site, never in the Wagtail admin, and making an account never
reveals whether an email address is already known."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.access import group_required, public_login_required
from core.models import Consent
from core.roles import FAMILIES

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
GOOD = {
    "first_name": "Priya",
    "email": "priya@example.org",
    "who": "parent",
    "password": "kettle lantern orchard",
    "privacy": "on",
}


def link_in(mail) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", mail.body).group(1)


def test_making_an_account_needs_a_confirmed_email_before_signing_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account:create"), GOOD)
    assert "Check your email" in response.content.decode()
    user = get_user_model().objects.get(email="priya@example.org")
    assert not user.is_active
    assert user.groups.filter(name=FAMILIES).exists()
    signed_in = client.post(
        reverse("account:sign_in"), {"email": GOOD["email"], "password": GOOD["password"]}
    )
    assert signed_in.status_code == 200  # not yet

    link = link_in(mailoutbox[0])
    assert "Check you are" not in client.get(link).content.decode()
    user.refresh_from_db()
    assert not user.is_active  # a GET (an email scanner) confirms nothing
    client.post(link)
    user.refresh_from_db()
    assert user.is_active
    response = client.post(
        reverse("account:sign_in"), {"email": "PRIYA@example.org", "password": GOOD["password"]}
    )
    assert response["Location"] == reverse("account:home")


def test_the_privacy_agreement_is_recorded_with_the_words_agreed_to(client):
    client.post(reverse("account:create"), GOOD)
    consent = Consent.objects.get(user__email="priya@example.org")
    assert consent.purpose == "account_privacy"
    assert "privacy notice" in consent.wording
    assert consent.given


def test_making_an_account_with_a_known_email_looks_the_same_and_emails_the_owner(
    client, family, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account:create"), {**GOOD, "email": family.email})
    assert "Check your email" in response.content.decode()
    assert get_user_model().objects.filter(email__iexact=family.email).count() == 1
    (mail,) = mailoutbox
    assert mail.to == [family.email]
    assert "already have one" in mail.body


@pytest.mark.parametrize(
    "change, message",
    [
        ({"first_name": ""}, "Enter your first name"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"who": ""}, "Select who you are"),
        ({"who": "under_16"}, "Select a valid choice"),
        ({"password": "short"}, "This password is too short"),
        ({"password": "password123"}, "This password is too common"),
        ({"privacy": ""}, "Tick the box to say you agree"),
    ],
)
def test_bad_answers_when_making_an_account_are_explained_and_nothing_is_saved(
    client, change, message
):
    response = client.post(reverse("account:create"), {**GOOD, **change})
    content = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in content
    assert message in content
    assert "kettle lantern orchard" not in content  # a password is never sent back
    assert not get_user_model().objects.filter(email="priya@example.org").exists()


@pytest.mark.parametrize("token", ["nonsense", "x" * 300, "eyJ1IjoxfQ:1abc:bad"])
def test_a_broken_confirmation_link_is_explained_never_an_error(client, token):
    response = client.post(reverse("account:confirm", args=[token]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_a_wrong_password_gets_one_message_that_says_nothing_about_the_account(client, family):
    for email in (family.email, "nobody@example.org"):
        response = client.post(
            reverse("account:sign_in"), {"email": email, "password": "wrong password here"}
        )
        assert response.status_code == 200
        assert "Enter the email address and password for your account" in response.content.decode()


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client, family):
    data = {"email": family.email, "password": PASSWORD}
    response = client.post(reverse("account:sign_in") + "?next=/search/shortlist/", data)
    assert response["Location"] == "/search/shortlist/"
    client.logout()
    response = client.post(reverse("account:sign_in") + "?next=https://evil.example/", data)
    assert response["Location"] == reverse("account:home")


def test_the_account_page_needs_sign_in_and_shows_only_your_own_updates(client, family):
    from core.models import Notification
    from tests.helpers import make_user

    response = client.get(reverse("account:home"))
    assert response["Location"].startswith(reverse("account:sign_in") + "?next=")
    other = make_user("other-family", FAMILIES)
    Notification.objects.create(recipient=family, kind="x", subject="Your offer is ready")
    Notification.objects.create(recipient=other, kind="x", subject="Someone else's news")
    client.force_login(family)
    content = client.get(reverse("account:home")).content.decode()
    assert "Your offer is ready" in content
    assert "Someone else" not in content


def test_signing_out_needs_a_post(client, family):
    client.force_login(family)
    assert client.get(reverse("account:sign_out")).status_code == 405
    client.post(reverse("account:sign_out"))
    assert client.get(reverse("account:home")).status_code == 302


def test_a_password_reset_link_lets_a_family_choose_a_new_password_once(
    client, family, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account:reset"), {"email": family.email.upper()})
        client.post(reverse("account:reset"), {"email": "nobody@example.org"})
    (mail,) = mailoutbox
    link = link_in(mail)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = {"new_password1": "marble heron picnic", "new_password2": "marble heron picnic"}
    client.post(form_page.redirect_chain[-1][0], new)
    family.refresh_from_db()
    assert family.check_password("marble heron picnic")
    again = client.get(link, follow=True).content.decode()
    assert "This link does not work" in again
    # the in-app update never holds the one-time link
    assert family.notifications.get().url == reverse("account:reset")


def test_group_required_sends_strangers_to_sign_in_and_refuses_the_wrong_role(rf, family):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from core.roles import YOUNG_AUDITORS

    view = group_required(YOUNG_AUDITORS)(lambda request: "ok")
    request = rf.get("/kitemark/auditor/")
    request.user = AnonymousUser()
    assert view(request).status_code == 302
    request.user = family
    with pytest.raises(PermissionDenied):
        view(request)
    assert public_login_required(lambda request: "ok")(request) == "ok"


def test_a_known_address_and_a_new_one_do_the_same_work_so_timing_tells_nothing(
    client, family, monkeypatch
):
    """Hashing the password is most of the time an answer takes: both paths do it once."""
    from django.contrib.auth.hashers import get_hasher

    hasher = type(get_hasher())
    hashed = []
    real = hasher.encode

    def counting(self, password, *args, **kwargs):
        hashed.append(password)
        return real(self, password, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counting)
    known = {**GOOD, "email": family.email.upper()}
    for data in (known, GOOD):
        hashed.clear()
        response = client.post(reverse("account:create"), data)
        assert "Check your email" in response.content.decode()
        assert hashed == [GOOD["password"]], data["email"]


def test_a_confirmation_link_works_once_and_never_undoes_a_deactivation(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account:create"), GOOD)
    link = link_in(mailoutbox[0])
    client.post(link)
    user = get_user_model().objects.get(email="priya@example.org")
    assert user.is_active
    user.is_active = False  # the council closes the account
    user.save()
    response = client.post(link)
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active
