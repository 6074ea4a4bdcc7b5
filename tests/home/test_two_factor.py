"""Everyone who signs in to the admin may use a second factor (an authenticator app, with
backup codes); council staff, brokers, kitemark coordinators and administrators must, and are
sent to set one up before any admin page. Families and young auditors are never asked."""

import io
import logging
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from core.models import AuditEvent
from tests.helpers import PASSWORD, authenticator_for

from .test_security import PRODUCTION_ENV, run_manage

pytestmark = [pytest.mark.django_db, pytest.mark.password_only]

ADMIN = "/admin/"
SET_UP = "/admin/two-factor/set-up/"
VERIFY = "/admin/two-factor/verify/"


def code_for(device, drift=0) -> str:
    """The code the person's app shows now (or `drift` steps on)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def sign_in_with_password(client, user):
    response = client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302, response.status_code
    return response


# --- Who is asked --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["moderator", "broker", "coordinator", "superuser"])
def test_staff_are_sent_to_set_up_two_factor_sign_in_before_any_admin_page(client, request, role):
    client.force_login(request.getfixturevalue(role))
    for page in (ADMIN, "/admin/pages/", "/admin/kitemark/"):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{SET_UP}?next=")


def test_staff_without_a_second_factor_cannot_open_staff_pages_on_the_public_site_either(
    client, coordinator
):
    client.force_login(coordinator)
    response = client.get("/kitemark/auditor/photos/1/")
    assert response.status_code == 302
    assert response["Location"].startswith(SET_UP)


def test_a_provider_uses_the_admin_without_a_second_factor_and_is_offered_one(client, provider_a):
    client.force_login(provider_a)
    assert client.get(ADMIN).status_code == 200
    page = client.get(reverse("two_factor_manage")).content.decode()
    assert "Two-factor sign-in is off" in page
    assert client.get(SET_UP).status_code == 200


def test_families_and_young_auditors_are_never_asked_for_a_second_factor(
    client, family, young_auditor
):
    for person in (family, young_auditor):
        client.force_login(person)
        assert client.get("/account/").status_code == 200
        assert not TOTPDevice.objects.filter(user=person).exists()


def test_after_the_password_someone_with_an_app_is_asked_for_its_code(client, provider_a):
    device = authenticator_for(provider_a)
    sign_in_with_password(client, provider_a)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2Fpages%2F"
    page = client.get(response["Location"])
    assert "Enter your security code" in page.content.decode()
    response = client.post(VERIFY, {"code": code_for(device), "next": "/admin/pages/"})
    assert response["Location"] == "/admin/pages/"
    assert client.get(ADMIN).status_code == 200


def test_the_code_may_be_typed_with_spaces(client, moderator):
    device = authenticator_for(moderator)
    sign_in_with_password(client, moderator)
    code = code_for(device)
    response = client.post(VERIFY, {"code": f" {code[:3]} {code[3:]} "})
    assert response["Location"] == ADMIN


@pytest.mark.parametrize("target", ["https://evil.example/", "/admin/\nSet-Cookie: x=1", "/\x00"])
def test_after_the_code_it_goes_back_only_to_this_site(client, moderator, target):
    device = authenticator_for(moderator)
    sign_in_with_password(client, moderator)
    response = client.post(VERIFY, {"code": code_for(device), "next": target})
    assert response["Location"] == ADMIN


# --- Setting up -----------------------------------------------------------------------------------


def test_setting_up_shows_a_qr_code_and_the_key_as_text_then_a_right_code_turns_it_on(
    client, broker
):
    sign_in_with_password(client, broker)
    page = client.get(f"{SET_UP}?next=/admin/brokerage/").content.decode()
    device = TOTPDevice.objects.get(user=broker, confirmed=False)
    assert re.search(r'<svg role="img" aria-labelledby="qr-code-title"', page)
    assert "QR code for your authenticator app" in page
    key = re.search(r'<code class="two-factor-key"[^>]*>([A-Z2-7 ]+)</code>', page).group(1)
    assert key.replace(" ", "") == device.config_url.split("secret=")[1].split("&")[0]

    response = client.post(SET_UP, {"code": code_for(device), "next": "/admin/brokerage/"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your backup codes" in page
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(codes) == 10
    assert StaticToken.objects.filter(device__user=broker).count() == 10
    assert 'href="/admin/brokerage/"' in page
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200
    event = AuditEvent.objects.get(action="two_factor_set_up")
    assert event.actor == broker
    assert event.object_id == str(broker.pk)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("000000", "That code is not right"),
        ("not a code at all", "That code is not right"),
        ("9" * 30, "Ensure this value has at most 20 characters"),
    ],
)
def test_a_wrong_or_missing_code_while_setting_up_says_what_to_do(client, broker, code, message):
    sign_in_with_password(client, broker)
    client.get(SET_UP)
    response = client.post(SET_UP, {"code": code})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not TOTPDevice.objects.filter(user=broker, confirmed=True).exists()
    assert client.get(ADMIN)["Location"].startswith(SET_UP)


def test_someone_with_an_app_cannot_set_up_another_before_giving_its_code(client, moderator):
    authenticator_for(moderator)
    sign_in_with_password(client, moderator)
    response = client.get(SET_UP)
    assert response["Location"] == reverse("two_factor_verify")
    assert TOTPDevice.objects.filter(user=moderator).count() == 1


def test_the_key_and_codes_are_never_logged_or_audited(client, broker, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in_with_password(client, broker)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=broker)
    client.post(SET_UP, {"code": code_for(device)})
    secrets = [device.key, device.config_url.split("secret=")[1].split("&")[0]]
    secrets += list(StaticToken.objects.values_list("token", flat=True))
    written = caplog.text + " ".join(AuditEvent.objects.values_list("summary", flat=True))
    for secret in secrets:
        assert secret not in written


# --- Backup codes, throttling ---------------------------------------------------------------------


def test_a_backup_code_signs_in_once(client, moderator):
    authenticator_for(moderator)
    backup = StaticDevice.objects.create(user=moderator, name="Backup codes")
    backup.token_set.create(token="abcd2345")
    sign_in_with_password(client, moderator)
    assert client.post(VERIFY, {"code": "ABCD 2345"})["Location"] == ADMIN
    client.logout()
    sign_in_with_password(client, moderator)
    response = client.post(VERIFY, {"code": "abcd2345"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()


def test_wrong_codes_count_towards_the_sign_in_throttle_and_lock_the_account(
    client, moderator, settings
):
    settings.AXES_ENABLED = True
    device = authenticator_for(moderator)
    sign_in_with_password(client, moderator)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(VERIFY, {"code": "123456"}).status_code == 200
    response = client.post(VERIFY, {"code": "654321"})
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Even the right password and the right code are refused until the lock lifts.
    response = client.post(
        reverse("wagtailadmin_login"), {"username": moderator.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.post(VERIFY, {"code": code_for(device)})["Location"].startswith("/admin/login/")


def test_the_app_itself_slows_down_guessing_after_a_wrong_code(client, moderator):
    device = authenticator_for(moderator)
    sign_in_with_password(client, moderator)
    with freeze_time():  # the same instant: within the second a first wrong code costs
        client.post(VERIFY, {"code": "000000"})
        response = client.post(VERIFY, {"code": code_for(device)})
    assert "Too many wrong codes" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


# --- Managing and resetting ----------------------------------------------------------------------


def test_new_backup_codes_replace_the_old_ones(client, moderator):
    client.force_login(moderator)
    device = authenticator_for(moderator)
    client.post(VERIFY, {"code": code_for(device)})
    old = StaticDevice.objects.create(user=moderator, name="Backup codes")
    old.token_set.create(token="oldcode2")
    page = client.post(reverse("two_factor_backup_codes")).content.decode()
    assert "Your old backup codes no longer work" in page
    assert not StaticToken.objects.filter(token="oldcode2").exists()
    assert StaticToken.objects.filter(device__user=moderator).count() == 10


def test_staff_replacing_their_app_are_sent_to_set_up_the_new_one(client, moderator):
    client.force_login(moderator)
    client.post(VERIFY, {"code": code_for(authenticator_for(moderator))})
    response = client.post(reverse("two_factor_remove"))
    assert response["Location"] == SET_UP
    assert not TOTPDevice.objects.filter(user=moderator).exists()
    assert client.get(ADMIN)["Location"].startswith(SET_UP)
    assert AuditEvent.objects.filter(action="two_factor_removed", actor=moderator).exists()


def test_an_administrator_resets_the_two_factor_sign_in_of_someone_who_lost_their_phone(
    client, superuser, broker
):
    authenticator_for(broker)
    client.force_login(superuser)
    client.post(VERIFY, {"code": code_for(authenticator_for(superuser))})
    response = client.post(reverse("two_factor_reset"), {"username": "broker"})
    assert response["Location"] == reverse("two_factor_manage")
    assert not TOTPDevice.objects.filter(user=broker).exists()
    event = AuditEvent.objects.get(action="two_factor_removed")
    assert event.actor == superuser
    assert event.object_id == str(broker.pk)
    response = client.post(reverse("two_factor_reset"), {"username": "nobody-by-that-name"})
    assert response.status_code == 200
    assert "There is no account with that username" in response.content.decode()


def test_only_an_administrator_may_reset_someone_elses_two_factor_sign_in(
    client, moderator, broker
):
    device = authenticator_for(broker)
    client.force_login(moderator)
    client.post(VERIFY, {"code": code_for(authenticator_for(moderator))})
    response = client.post(reverse("two_factor_reset"), {"username": "broker"})
    assert response.status_code in (302, 403)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


# --- Settings ---------------------------------------------------------------------------------


def test_the_test_settings_require_two_factor_sign_in_as_production_does():
    assert settings.TWO_FACTOR_REQUIRED is True


@pytest.mark.django_db(False)
def test_production_always_requires_two_factor_sign_in_for_staff():
    env = {**PRODUCTION_ENV, "TWO_FACTOR_REQUIRED": "off"}
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"


def test_an_administrator_resets_a_lost_device_from_the_shell(superuser, broker):
    authenticator_for(broker)
    call_command("reset_two_factor", "broker", by="admin", stdout=io.StringIO())
    assert not TOTPDevice.objects.filter(user=broker).exists()
    assert AuditEvent.objects.get(action="two_factor_removed").actor == superuser
    with pytest.raises(CommandError, match="not an active administrator"):
        call_command("reset_two_factor", "admin", by="broker")
    with pytest.raises(CommandError, match="no account"):
        call_command("reset_two_factor", "nobody", by="admin")
