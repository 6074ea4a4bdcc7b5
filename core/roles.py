"""The product's roles, as Django groups (created by migration `directory.0002`), and the
questions every app asks of them. An organisation's own editors are a group each."""

from django.contrib.auth import get_user_model

COUNCIL_MODERATORS = "Council moderators"  # commissioners / LA officers: moderate, verify
BROKERS = "Brokers"
KITEMARK_COORDINATORS = "Kitemark coordinators"
YOUNG_AUDITORS = "Young auditors"  # public-site only, never the Wagtail admin
FAMILIES = "Families"  # public-site only, never the Wagtail admin
PROVIDER_GROUP_PREFIX = "Provider: "

STAFF_GROUPS = (COUNCIL_MODERATORS, BROKERS, KITEMARK_COORDINATORS)


def provider_group_name(organisation_slug: str) -> str:
    return f"{PROVIDER_GROUP_PREFIX}{organisation_slug}"[:150]


def in_group(user, *names: str) -> bool:
    """Signed in, active, and in one of the named groups."""
    return bool(
        user.is_authenticated and user.is_active and user.groups.filter(name__in=names).exists()
    )


def is_council_staff(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=COUNCIL_MODERATORS).exists())
    )


def members(*names: str):
    """Active people in any of the named groups."""
    return get_user_model().objects.filter(groups__name__in=names, is_active=True).distinct()


def council_staff():
    """Who receives the council's copies (moderators / commissioners)."""
    return members(COUNCIL_MODERATORS)


def is_staff_member(user) -> bool:
    """Council staff, brokers, kitemark coordinators and administrators: the people who must
    sign in to the admin with a second factor."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name__in=STAFF_GROUPS).exists())
    )
