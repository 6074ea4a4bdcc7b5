"""Who may do what in the directory. Services enforce these; templates only ask."""

from core.roles import COUNCIL_MODERATORS

from .models import Organisation


def is_council_staff(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=COUNCIL_MODERATORS).exists())
    )


def organisations_of(user):
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(editors__user=user)


def can_edit_organisation(user, organisation) -> bool:
    return is_council_staff(user) or organisations_of(user).filter(pk=organisation.pk).exists()


def can_submit_dbs(user, person) -> bool:
    return can_edit_organisation(user, person.organisation)


def can_verify_dbs(user) -> bool:
    return is_council_staff(user)


def can_view_certificate(user, check) -> bool:
    """Only verifying staff and the person themself ever see a certificate number."""
    return is_council_staff(user) or (
        user.is_authenticated
        and check.person.user_id is not None
        and check.person.user_id == user.pk
    )


def can_confirm_listing(user, listing) -> bool:
    return listing.organisation_id is not None and can_edit_organisation(user, listing.organisation)
