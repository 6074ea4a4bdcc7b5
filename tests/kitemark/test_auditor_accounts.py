"""Young auditors' accounts, made by the coordinator: the service itself (used by the admin's
form, demo data and anything added later) holds them to everyone's password rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEvent
from kitemark import services
from kitemark.models import AuditorProfile
from tests.helpers import assert_denied

pytestmark = pytest.mark.django_db


def new_auditor(coordinator, password):
    return services.auditor_create(
        user=coordinator,
        username="ava-the-auditor",
        password=password,
        first_name="Ava",
        age_band="16-17",
    )


@pytest.mark.parametrize("password", ["1111111111", "1234567890", "ava-the-auditor"])
def test_the_coordinator_cannot_make_an_auditor_account_with_a_weak_password(coordinator, password):
    with pytest.raises(ValidationError) as refused:
        new_auditor(coordinator, password)
    assert "password" in refused.value.message_dict
    assert not AuditorProfile.objects.filter(first_name="Ava").exists()


def test_the_coordinator_makes_an_auditor_account_with_a_strong_password(coordinator):
    profile = new_auditor(coordinator, "kittiwake harbour lanterns")
    assert profile.user.check_password("kittiwake harbour lanterns")


@pytest.mark.parametrize("password", ["1111111111", "password123", "ruby-ruby-ruby"])
def test_a_new_password_for_an_auditor_passes_the_same_rules_as_everyones(
    coordinator, ruby, password
):
    ruby.user.username = "ruby-ruby-ruby"
    ruby.user.save()
    with pytest.raises(ValidationError) as refused:
        services.auditor_set_password(user=coordinator, profile=ruby, password=password)
    assert "password" in refused.value.message_dict
    ruby.user.refresh_from_db()
    assert not ruby.user.check_password(password)


# --- The short username a young auditor signs in with --------------------------------------


def test_a_new_auditors_username_is_kept_in_small_letters_and_unique_whatever_the_case(
    coordinator,
):
    profile = services.auditor_create(
        user=coordinator,
        username=" Callum ",
        password="kittiwake harbour lanterns",
        first_name="Callum",
        age_band="16-17",
    )
    assert profile.user.username == "callum"
    with pytest.raises(ValidationError) as refused:
        services.auditor_create(
            user=coordinator,
            username="CALLUM",
            password="kittiwake harbour lanterns",
            first_name="Callum",
            age_band="16-17",
        )
    assert refused.value.message_dict["username"] == ["That username is taken: choose another"]


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "Enter a username"),
        ("jo", "The username must be 3 to 20 characters long"),
        ("callum-from-the-youth-club", "The username must be 3 to 20 characters long"),
        ("sam b", "Use only letters and numbers, with no spaces"),
        ("sam@example.org", "Use only letters and numbers, with no spaces"),
        ("-sam", "Use only letters and numbers, with no spaces"),
    ],
)
def test_a_username_a_young_person_cannot_easily_type_is_refused_clearly(
    client, coordinator, username, message
):
    client.force_login(coordinator)
    data = {
        "first_name": "Sam",
        "age_band": "16-17",
        "username": username,
        "password": "kittiwake harbour lanterns",
    }
    response = client.post(reverse("kitemark_admin:auditor_add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AuditorProfile.objects.filter(first_name="Sam").exists()


def edit_data(profile, **changes):
    return {
        "username": profile.user.username,
        "first_name": profile.first_name,
        "age_band": profile.age_band,
        "training_completed_on": profile.training_completed_on.isoformat(),
        "parental_consent_on": "",
        "access_needs": "",
        "supporting_adult": "",
        "active": "on",
        **changes,
    }


def test_the_coordinator_changes_a_panel_members_username_and_it_is_in_the_audit_trail(
    client, coordinator, ruby, kai
):
    client.force_login(coordinator)
    url = reverse("kitemark_auditors:edit", args=[ruby.pk])
    page = client.get(url).content.decode()
    assert 'name="username"' in page and 'value="ruby"' in page
    response = client.post(url, edit_data(ruby, username="Ruby-M"))
    assert response.status_code == 302
    ruby.user.refresh_from_db()
    assert ruby.user.username == "ruby-m"
    event = AuditEvent.objects.get(action="kitemark_auditor_username_set")
    assert event.actor == coordinator and "ruby" not in event.summary.lower()
    # Kai's name is taken whatever the case; a bad one is explained; nothing changes.
    for username, message in [
        ("KAI", "That username is taken: choose another"),
        ("ruby m", "Use only letters and numbers, with no spaces"),
    ]:
        response = client.post(url, edit_data(ruby, username=username))
        assert response.status_code == 200
        assert message in response.content.decode()
    ruby.user.refresh_from_db()
    assert ruby.user.username == "ruby-m"


@pytest.mark.parametrize("who", ["provider_a", "moderator", "broker", "family"])
def test_only_the_coordinator_may_change_a_panel_members_username(client, request, who, ruby):
    client.force_login(request.getfixturevalue(who))
    url = reverse("kitemark_auditors:edit", args=[ruby.pk])
    assert_denied(client.get(url))
    assert_denied(client.post(url, edit_data(ruby, username="hijacked")))
    ruby.user.refresh_from_db()
    assert ruby.user.username == "ruby"


def test_a_young_auditor_cannot_change_their_own_username(client, ruby):
    client.force_login(ruby.user)
    url = reverse("kitemark_auditors:edit", args=[ruby.pk])
    assert_denied(client.post(url, edit_data(ruby, username="hijacked")))
    with pytest.raises(PermissionDenied):
        services.auditor_username_set(user=ruby.user, profile=ruby, username="hijacked")
