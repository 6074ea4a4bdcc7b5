"""Young auditors' accounts: creating one, its short username and its password."""

import datetime
import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core.audit import audit as audit_trail
from core.roles import YOUNG_AUDITORS

from .. import permissions
from ..choices import AgeBand
from ..models import AuditorProfile

USERNAME_LENGTH = (3, 20)
USERNAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def clean_username(username: str, *, account=None) -> str:
    """A short username a young person can type on a phone: 3 to 20 letters and numbers
    (a hyphen may join words), stored in lower case and unique whatever the case, so "Callum"
    and "callum" are the same person. `account` is the one being renamed, if any."""
    username = (username or "").strip().lower()
    shortest, longest = USERNAME_LENGTH
    if not username:
        problem = "Enter a username"
    elif not shortest <= len(username) <= longest:
        problem = f"The username must be {shortest} to {longest} characters long"
    elif not USERNAME_PATTERN.match(username):
        problem = (
            "Use only letters and numbers, with no spaces. A hyphen (-) may join two words, "
            "like sam-b"
        )
    else:
        taken = get_user_model().objects.filter(username__iexact=username)
        if account is not None and account.pk:
            taken = taken.exclude(pk=account.pk)
        problem = "That username is taken: choose another" if taken.exists() else ""
    if problem:
        raise ValidationError({"username": problem})
    return username


def check_password_rules(password: str, account) -> None:
    """Everyone's password rules (AUTH_PASSWORD_VALIDATORS: length, common, numeric, like the
    username): a young auditor's account is no weaker than anyone else's."""
    try:
        validate_password(password, account)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error


@transaction.atomic
def auditor_create(
    *,
    user,
    username: str,
    password: str,
    first_name: str,
    age_band: str,
    training_completed_on: datetime.date | None = None,
    parental_consent_on: datetime.date | None = None,
    access_needs: str = "",
    supporting_adult: str = "",
    email: str = "",
) -> AuditorProfile:
    """The coordinator makes a young auditor's simple account: a short username and a password
    they give the young person (and their parent), and the profile."""
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator adds young auditors")
    User = get_user_model()
    username = clean_username(username)
    if age_band not in AgeBand.values:
        raise ValidationError({"age_band": "Choose an age band"})
    account = User(username=username, first_name=first_name, email=email)
    check_password_rules(password, account)
    account.set_password(password)
    account.full_clean(exclude=["password"])
    account.save()
    account.groups.add(Group.objects.get(name=YOUNG_AUDITORS))
    profile = AuditorProfile(
        user=account,
        first_name=first_name,
        age_band=age_band,
        training_completed_on=training_completed_on,
        parental_consent_on=parental_consent_on,
        access_needs=access_needs,
        supporting_adult=supporting_adult,
    )
    profile.full_clean()
    profile.save()
    audit_trail(
        actor=user, action="kitemark_auditor_added", obj=profile, summary="Young auditor added"
    )
    return profile


@transaction.atomic
def auditor_set_password(*, user, profile: AuditorProfile, password: str) -> None:
    """The coordinator gives a young auditor a new password (they forgot it)."""
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator manages young auditors' accounts")
    check_password_rules(password, profile.user)
    profile.user.set_password(password)
    profile.user.save(update_fields=["password"])
    audit_trail(
        actor=user,
        action="kitemark_auditor_password_set",
        obj=profile,
        summary="Young auditor's password changed by the coordinator",
    )


@transaction.atomic
def auditor_username_set(*, user, profile: AuditorProfile, username: str) -> None:
    """The coordinator changes the short username a young auditor signs in with."""
    if not permissions.is_coordinator(user):
        raise PermissionDenied("Only the kitemark coordinator manages young auditors' accounts")
    account = profile.user
    username = clean_username(username, account=account)
    if username == account.username:
        return
    account.username = username
    account.save(update_fields=["username"])
    audit_trail(
        actor=user,
        action="kitemark_auditor_username_set",
        obj=profile,
        summary="Young auditor's username changed by the coordinator",
    )
