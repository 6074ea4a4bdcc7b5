"""What the open data may read: published listings in the directory, and what they use.

The same visibility rule as the directory (`ListingPage.objects.in_directory()`): a draft, an
expired listing or one whose DBS check lapsed past the grace period is never published.
"""

from directory.models import ListingPage, Organisation

SERVICE_RELATIONS = (
    "service_types",
    "needs",
    "skills",
    "access_features",
    "languages",
    "funding_accepted",
    "days",
    "served_local_authorities",
)


def services(on=None, nested: bool = True):
    listings = ListingPage.objects.in_directory(on).select_related(
        # A club's inclusion support is part of its description (serializers.service_basic).
        "status",
        "organisation",
        "organisation__provider_page",
        "inclusiveclubpage",
    )
    if nested:
        listings = listings.prefetch_related(*SERVICE_RELATIONS)
    return listings


def organisations(on=None):
    """Organisations with at least one published listing."""
    published = ListingPage.objects.in_directory(on).values("organisation_id")
    return Organisation.objects.filter(pk__in=published).select_related("provider_page")
