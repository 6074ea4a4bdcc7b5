from django.db import models


class Theme(models.TextChoices):
    WELCOME = "welcome", "Welcome"
    GETTING_IN = "getting_in", "Getting in and around"
    COMMUNICATION = "communication", "Communication"
    ACTIVITIES = "activities", "Activities"
    STAFF_ATTITUDE = "staff_attitude", "Staff attitude"
    FACILITIES = "facilities", "Facilities"
    FEELING_SAFE = "feeling_safe", "Feeling safe"
    HAVING_A_SAY = "having_a_say", "Having a say"


class AgeBand(models.TextChoices):
    UNDER_14 = "11-13", "11 to 13"
    AGE_14_15 = "14-15", "14 to 15"
    AGE_16_17 = "16-17", "16 to 17"
    AGE_18_25 = "18-25", "18 to 25"

    @classmethod
    def needs_parental_consent(cls, band: str) -> bool:
        return band in (cls.UNDER_14, cls.AGE_14_15)


class Rating(models.TextChoices):
    """The simple scale each auditor uses. Symbols are shown beside the words, never alone."""

    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NOT_YET = "not_yet", "Not yet"


RATING_SYMBOLS = {Rating.YES: "✔", Rating.PARTLY: "~", Rating.NOT_YET: "✘"}
# What young auditors see (easy read): a few words and a picture for each answer, the picture
# with its own text alternative (kitemark/static/kitemark/symbols/).
RATING_EASY = {Rating.YES: "Yes", Rating.PARTLY: "A bit", Rating.NOT_YET: "No"}
RATING_PICTURES = {
    Rating.YES: ("kitemark/symbols/yes.svg", "Smiling face"),
    Rating.PARTLY: ("kitemark/symbols/partly.svg", "Face with a straight mouth"),
    Rating.NOT_YET: ("kitemark/symbols/not_yet.svg", "Sad face"),
}
RATING_HINTS = {
    Rating.YES: "They do this well",
    Rating.PARTLY: "They do some of this",
    Rating.NOT_YET: "They do not do this yet",
}


class Requester(models.TextChoices):
    PROVIDER = "provider", "The provider"
    COUNCIL = "council", "The council"
    COORDINATOR = "coordinator", "The kitemark coordinator"


class AuditStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Visit scheduled"
    IN_PROGRESS = "in_progress", "Reviews in progress"
    SUBMITTED = "submitted", "Reviews submitted"
    WITH_PANEL = "with_panel", "With the panel"
    AWARDED = "awarded", "Kitemark awarded"
    NOT_YET = "not_yet", "Not yet: advice given"
    RENEWAL_DUE = "renewal_due", "Renewal due"
    RENEWED = "renewed", "Renewed by a later audit"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELLED = "cancelled", "Cancelled"


# Audits whose kitemark is current: the listing shows the badge.
CURRENT_AWARD = (AuditStatus.AWARDED, AuditStatus.RENEWAL_DUE)
# Audits with a panel decision: the provider may now see the feedback.
DECIDED = (
    AuditStatus.AWARDED,
    AuditStatus.NOT_YET,
    AuditStatus.RENEWAL_DUE,
    AuditStatus.RENEWED,
    AuditStatus.EXPIRED,
    AuditStatus.WITHDRAWN,
)
# Audits still on their way to a decision: a listing may have only one of these at a time.
OPEN = (
    AuditStatus.REQUESTED,
    AuditStatus.SCHEDULED,
    AuditStatus.IN_PROGRESS,
    AuditStatus.SUBMITTED,
    AuditStatus.WITH_PANEL,
)
