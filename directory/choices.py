from django.db import models


class OrganisationKind(models.TextChoices):
    CHARITY = "charity", "Charity or voluntary group"
    PRIVATE = "private", "Private company"
    COUNCIL = "council", "Council in-house service"
    CHILDMINDER = "childminder", "Childminder"
    SELF_EMPLOYED_PA = "self_employed_pa", "Self-employed personal assistant"


class CouncilRelationship(models.TextChoices):
    FRAMEWORK = "framework", "On the council's framework"
    PREFERRED = "preferred", "Preferred provider"
    BLOCK = "block", "Block contract"
    SPOT = "spot", "Spot purchase"
    NOT_CONTRACTED = "not_contracted", "No contract with the council"
    CHOSEN_NOT_TO_CONTRACT = "chosen_not_to_contract", "Council has chosen not to contract"


class ListingKind(models.TextChoices):
    SHORT_BREAK = "short_break", "Short break service"
    PERSONAL_ASSISTANT = "personal_assistant", "Personal assistant"
    INCLUSIVE_CLUB = "inclusive_club", "Inclusive club or activity"


KIND_PLURALS = {
    ListingKind.SHORT_BREAK: "Short break services",
    ListingKind.PERSONAL_ASSISTANT: "Personal assistants",
    ListingKind.INCLUSIVE_CLUB: "Inclusive clubs and activities",
}


class Eligibility(models.TextChoices):
    """Who may use a listing: the route in (the council's criteria for targeted and specialist
    short breaks are on its Short Breaks Services Statement)."""

    OPEN = "open", "Open access: anyone can use it, no assessment needed"
    ASSESSMENT = "assessment", "Needs an assessment by the council"
    REFERRAL = "referral", "Referral by a professional, such as a social worker or teacher"
    DIRECT_PAYMENT = "direct_payment", "Paid with a direct payment from the council"


# What families read: "Who can use it: ..." on a listing, and the statement's table rows.
ELIGIBILITY_PLAIN = {
    Eligibility.OPEN: "Anyone, no assessment needed",
    Eligibility.ASSESSMENT: "Children and young people the council has assessed as needing it",
    Eligibility.REFERRAL: "Children and young people referred by a professional, such as a "
    "social worker, teacher or health visitor",
    Eligibility.DIRECT_PAYMENT: "Families who pay for it with a direct payment from the council",
}


class CostUnit(models.TextChoices):
    FREE = "free", "Free"
    HOUR = "hour", "per hour"
    SESSION = "session", "per session"
    DAY = "day", "per day"
    NIGHT = "night", "per night"


class CapacityUnit(models.TextChoices):
    PLACES = "places", "places"
    HOURS = "hours", "hours a week"


CAPACITY_SINGULAR = {CapacityUnit.PLACES: "place", CapacityUnit.HOURS: "hour a week"}


class PAEmployment(models.TextChoices):
    SELF_EMPLOYED = "self_employed", "Self-employed"
    AGENCY = "agency", "Through an agency"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Another gender"
    UNSAID = "", "Prefer not to say"


class DBSLevel(models.TextChoices):
    BASIC = "basic", "Basic DBS check"
    STANDARD = "standard", "Standard DBS check"
    ENHANCED = "enhanced", "Enhanced DBS check"
    ENHANCED_CHILDREN = "enhanced_children", "Enhanced DBS check with children's barred list"
    ENHANCED_ADULTS = "enhanced_adults", "Enhanced DBS check with adults' barred list"
    ENHANCED_BOTH = "enhanced_both", "Enhanced DBS check with children's and adults' barred lists"


class DBSReview(models.TextChoices):
    """Where the council's check of a DBS check stands (docs/workflows/dbs-checks.md)."""

    SUBMITTED = "submitted", "Waiting for the council to check it"
    VERIFIED = "verified", "Verified by the council"
    QUERIED = "queried", "The council asked the provider for more information"
    REJECTED = "rejected", "Rejected by the council"


class DBSCheckMethod(models.TextChoices):
    """How council staff checked a DBS check; it decides the next due date."""

    CERTIFICATE = "certificate", "Saw the certificate"
    UPDATE_SERVICE = "update_service", "Status check on the DBS Update Service"
    OTHER = "other", "Another way"


class DBSStatus(models.TextChoices):
    """What the public badge says, worst first in `DBS_SEVERITY`."""

    VERIFIED = "verified", "Verified"
    DUE_SOON = "due_soon", "Due for renewal soon"
    LAPSED = "lapsed", "Lapsed"
    SELF_DECLARED = "self_declared", "Self-declared, not yet verified"
    NONE = "none", "No DBS check recorded"


DBS_SEVERITY = [
    DBSStatus.LAPSED,
    DBSStatus.NONE,
    DBSStatus.SELF_DECLARED,
    DBSStatus.DUE_SOON,
    DBSStatus.VERIFIED,
]


class Freshness(models.TextChoices):
    CURRENT = "current", "Up to date"
    STALE = "stale", "Not checked recently"
    EXPIRED = "expired", "Out of date: hidden until confirmed"


class ReportReason(models.TextChoices):
    WRONG_DETAILS = "wrong_details", "Some details are wrong or out of date"
    CLOSED = "closed", "The service has closed or stopped"
    CANNOT_CONTACT = "cannot_contact", "I could not contact them"
    SAFEGUARDING = "safeguarding", "I am worried about a child's safety"
    OTHER = "other", "Something else"


# What the public form offers under "What is the problem?": a child's safety has its own
# question above it, so it is never one choice among typos.
ORDINARY_REASONS = [(v, label) for v, label in ReportReason.choices if v != "safeguarding"]


class ReportStatus(models.TextChoices):
    """An ordinary report (docs/workflows/safeguarding-concerns.md, `REPORTS`)."""

    OPEN = "open", "Not yet dealt with"
    DEALT_WITH = "dealt_with", "Dealt with"


class ReportStep(models.TextChoices):
    """What an ordinary report can become (`REPORTS`): dealt with, or, when council staff see
    it is really about a child's safety, a safeguarding concern, received."""

    OPEN = "open", "Not yet dealt with"
    DEALT_WITH = "dealt_with", "Dealt with"
    RECEIVED = "received", "Received as a safeguarding concern"


class ConcernStatus(models.TextChoices):
    """A report about a child's safety (docs/workflows/safeguarding-concerns.md,
    `CONCERNS`)."""

    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    REFERRED = "referred", "Referred"
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    CLOSED = "closed", "Closed"


class ApplicationStatus(models.TextChoices):
    AWAITING_EMAIL = "awaiting_email", "Waiting for email confirmation"
    CONFIRMED = "confirmed", "Email confirmed: waiting for council review"
    ADMITTED = "admitted", "Admitted"
    DECLINED = "declined", "Declined"
