"""Providers, their listings, and the safeguarding and freshness data around them, one module
a sub-domain: taxonomy, organisations, safeguarding, status, listings, pages.

Listings are Wagtail pages (the public URL, the moderated content and its revisions).
Safeguarding checks and the listing's status (DBS badge, assured date) are plain models: they
are never part of a page revision, so a moderated publish can never roll them back.
"""

# isort: skip_file
# The order matters: pages (through browsing's filters) read the names above them.
from .organisations import Organisation, ProviderApplication, StaffMember
from .safeguarding import DBSCheck, with_latest_check, worst_status
from .status import ListingReport, ListingStatus, ReportEvent
from .taxonomy import (
    AccessFeature,
    FundingRoute,
    Language,
    Need,
    ServiceType,
    Skill,
    Taxonomy,
    Weekday,
)
from .listings import (
    MAX_AGE,
    RICH_TEXT_FEATURES,
    ListingPage,
    ListingPageQuerySet,
    visibility_q,
)
from .kinds import (
    LISTING_MODELS,
    InclusiveClubPage,
    PersonalAssistantPage,
    ShortBreakServicePage,
)
from .pages import DirectoryIndexPage, ProviderPage

__all__ = [
    "LISTING_MODELS",
    "MAX_AGE",
    "RICH_TEXT_FEATURES",
    "ShortBreakServicePage",
    "AccessFeature",
    "DBSCheck",
    "DirectoryIndexPage",
    "FundingRoute",
    "InclusiveClubPage",
    "Language",
    "ListingPage",
    "ListingPageQuerySet",
    "ListingReport",
    "ListingStatus",
    "Need",
    "Organisation",
    "PersonalAssistantPage",
    "ProviderApplication",
    "ProviderPage",
    "ReportEvent",
    "ServiceType",
    "Skill",
    "StaffMember",
    "Taxonomy",
    "Weekday",
    "visibility_q",
    "with_latest_check",
    "worst_status",
]
