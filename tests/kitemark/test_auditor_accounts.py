"""Young auditors' accounts, made by the coordinator: the service itself (used by the admin's
form, demo data and anything added later) holds them to everyone's password rules."""

import pytest
from django.core.exceptions import ValidationError

from kitemark import services
from kitemark.models import AuditorProfile


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
