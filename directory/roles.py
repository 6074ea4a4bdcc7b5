"""The product's roles, as Django groups (created by migration `directory.0002`)."""

COUNCIL_MODERATORS = "Council moderators"  # commissioners / LA officers: moderate, verify
BROKERS = "Brokers"
KITEMARK_COORDINATORS = "Kitemark coordinators"
YOUNG_AUDITORS = "Young auditors"  # public-site only, never the Wagtail admin
FAMILIES = "Families"  # public-site only, never the Wagtail admin
PROVIDER_GROUP_PREFIX = "Provider: "

STAFF_GROUPS = (COUNCIL_MODERATORS, BROKERS, KITEMARK_COORDINATORS)


def provider_group_name(organisation_slug: str) -> str:
    return f"{PROVIDER_GROUP_PREFIX}{organisation_slug}"[:150]
