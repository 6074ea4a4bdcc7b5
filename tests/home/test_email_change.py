"""Sign-in finds accounts by email address, so nobody changes the address of an account without
showing they can read the new one: a link goes to the new address, the change happens only when
it is used (once), and the old address is told. Staff change theirs the same way; the admin's
own email field is gone."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.models import AuditEvent
from core.roles import FAMILIES
from tests.helpers import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NEW = "priya.new@example.org"


@pytest.fixture
def priya(db):
    return make_user("priya@example.org", FAMILIES, email="priya@example.org", first_name="Priya")


@pytest.fixture
def asked(client, priya, mailoutbox, django_capture_on_commit_callbacks):
    """Priya, signed in, has asked to move her account to NEW."""
    client.force_login(priya)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account:email_change"), {"email": NEW, "password": PASSWORD}
        )
    assert "Check your email" in response.content.decode()
    (mail,) = mailoutbox
    mailoutbox.clear()
    return mail


def link_in(mail) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", mail.body).group(1)


def test_asking_sends_a_link_to_the_new_address_and_changes_nothing_yet(asked, priya):
    assert asked.to == [NEW]
    assert asked.subject == "Confirm your new email address"
    priya.refresh_from_db()
    assert priya.email == "priya@example.org"


def test_the_link_holds_no_email_address(asked):
    token = link_in(asked).rstrip("/").rsplit("/", 1)[1]
    assert "priya" not in token and "example" not in token
    assert "@" not in link_in(asked)


def test_following_the_link_changes_nothing_until_the_new_address_is_typed(client, asked, priya):
    response = client.get(link_in(asked))
    assert response.status_code == 200
    assert "Type the email address this link was sent to" in response.content.decode()
    priya.refresh_from_db()
    assert priya.email == "priya@example.org"


def test_the_link_changes_the_address_and_tells_the_old_one(
    client, asked, priya, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link_in(asked), {"email": "Priya.New@example.org"})
    assert response["Location"] == reverse("account:home")
    priya.refresh_from_db()
    assert priya.email == "Priya.New@example.org"
    assert priya.username == "priya.new@example.org"  # the old address is kept nowhere
    (notice,) = mailoutbox
    assert notice.to == ["priya@example.org"]
    assert notice.subject == "Your email address was changed"
    assert NEW not in notice.body
    assert AuditEvent.objects.filter(action="email_changed", object_id=str(priya.pk)).exists()
    client.logout()
    signed_in = client.post(reverse("account:sign_in"), {"email": NEW, "password": PASSWORD})
    assert signed_in["Location"] == reverse("account:home")


def test_the_link_works_once(client, asked, priya):
    client.post(link_in(asked), {"email": NEW})
    again = client.post(link_in(asked), {"email": NEW})
    assert again.status_code == 400
    assert "This link does not work" in again.content.decode()


def test_the_link_needs_the_address_it_was_sent_to(client, asked, priya):
    response = client.post(link_in(asked), {"email": "someone.else@example.org"})
    assert response.status_code == 400
    priya.refresh_from_db()
    assert priya.email == "priya@example.org"


def test_a_tampered_link_is_a_clear_page_not_an_error(client, asked):
    response = client.post(link_in(asked).replace(":", "x", 1), {"email": NEW})
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()


def test_a_wrong_password_is_a_clear_error_and_sends_nothing(client, priya, mailoutbox):
    client.force_login(priya)
    response = client.post(reverse("account:email_change"), {"email": NEW, "password": "wrong"})
    assert response.status_code == 200
    assert "Your password is not right" in response.content.decode()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "password": PASSWORD}, "Enter your new email address"),
        (
            {"email": "not-an-address", "password": PASSWORD},
            "Enter an email address in the correct",
        ),
        (
            {"email": "PRIYA@example.org", "password": PASSWORD},
            "This is already your email address",
        ),
        ({"email": NEW, "password": ""}, "Enter your password"),
    ],
)
def test_bad_input_is_a_clear_message(client, priya, data, message):
    client.force_login(priya)
    response = client.post(reverse("account:email_change"), data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_address_with_an_account_is_not_revealed_to_the_person_asking(
    client, priya, mailoutbox, django_capture_on_commit_callbacks
):
    make_user("other", email=NEW)
    client.force_login(priya)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account:email_change"), {"email": NEW, "password": PASSWORD}
        )
    assert "Check your email" in response.content.decode()
    (mail,) = mailoutbox
    assert mail.to == [NEW]
    assert mail.subject == "This email address already has an account"
    assert "/account/email/confirm/" not in mail.body


def test_an_address_taken_after_the_link_was_sent_is_refused(client, asked, priya):
    make_user("quick", email=NEW)
    assert client.post(link_in(asked), {"email": NEW}).status_code == 400
    priya.refresh_from_db()
    assert priya.email == "priya@example.org"


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("account:email_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:sign_in"))


def test_the_admin_account_page_has_no_email_field_and_links_to_the_verified_change(
    client, moderator
):
    client.force_login(moderator)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    assert 'name="name_email-email"' not in page
    assert reverse("account:email_change") in page
    client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Morag",
            "name_email-last_name": "Hall",
            "name_email-email": "attacker@example.org",
        },
    )
    moderator.refresh_from_db()
    assert moderator.email == "moderator@example.org"
    assert not get_user_model().objects.filter(email="attacker@example.org").exists()


def test_staff_change_their_address_through_the_same_link(
    client, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account:email_change"), {"email": "morag@example.org", "password": PASSWORD}
        )
    client.post(link_in(mailoutbox[0]), {"email": "morag@example.org"})
    moderator.refresh_from_db()
    assert moderator.email == "morag@example.org"
    assert moderator.username == "moderator"  # a username that is not an address stays
