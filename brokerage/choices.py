from django.db import models


class Status(models.TextChoices):
    """Where a family's request stands (docs/workflows/brokerage.md)."""

    DRAFT = "draft", "Not sent yet"
    SUBMITTED = "submitted", "Waiting for a broker"
    ASSIGNED = "assigned", "A broker is finding support"
    OFFERS_SENT = "offers_sent", "Asking providers"
    CHOOSING = "choosing", "Offers to choose from"
    AGREEING = "agreeing", "Agreeing the support"
    MATCHED = "matched", "Support agreed"
    UNMATCHED = "unmatched", "No suitable provider found"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.ASSIGNED,
    Status.OFFERS_SENT,
    Status.CHOOSING,
    Status.AGREEING,
)
CLOSED_STATUSES = (Status.MATCHED, Status.UNMATCHED, Status.WITHDRAWN)


class Role(models.TextChoices):
    FAMILY = "family", "Family"
    BROKER = "broker", "Broker"
    PROVIDER = "provider", "Provider"
    SYSTEM = "system", "The service"


class Requester(models.TextChoices):
    PARENT_CARER = "parent_carer", "A parent or carer, for my child"
    YOUNG_PERSON = "young_person", "A young person aged 16 or over, for myself"


class SupportKind(models.TextChoices):
    AT_HOME = "at_home", "Someone to come to our home"
    AT_VENUE = "at_venue", "Somewhere to go, like a day service"
    OVERNIGHT = "overnight", "Overnight stays"
    CLUB = "club", "A club or activity, with support to join in"
    PA = "pa", "A personal assistant (PA)"


class PAGender(models.TextChoices):
    ANY = "", "No preference"
    FEMALE = "female", "A woman"
    MALE = "male", "A man"


class OfferStatus(models.TextChoices):
    SENT = "sent", "Waiting for the provider"
    ACCEPTED = "accepted", "Provider can help"
    DECLINED = "declined", "Provider cannot help"
    EXPIRED = "expired", "No answer in time"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CHOSEN = "chosen", "Chosen by the family"
    NOT_CHOSEN = "not_chosen", "Not chosen"


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", "No capacity at the moment"
    TIMES = "times", "Cannot do the days or times"
    TOO_FAR = "too_far", "Too far to travel"
    NEEDS = "needs", "Cannot meet the child's needs"
    SKILLS = "skills", "No staff with the skills needed"
    FUNDING = "funding", "Cannot accept this way of paying"
    OTHER = "other", "Another reason"


class UnmatchedReason(models.TextChoices):
    """Categories only, never free text about the family: they feed unmet demand."""

    NONE_IN_AREA = "none_in_area", "No provider covers the area"
    NO_CAPACITY = "no_capacity", "Providers are full"
    TIMES = "times", "Nobody available on the days or times"
    NEEDS = "needs", "Nobody can meet the needs"
    SKILLS = "skills", "Nobody has the skills needed"
    FUNDING = "funding", "Nobody accepts this way of paying"
    COST = "cost", "Nothing within the budget"
    ALL_DECLINED = "all_declined", "Every provider asked declined"
    FAMILY_DECLINED = "family_declined", "The family did not want the offers"


class ReviewFeeling(models.TextChoices):
    WELL = "well", "Going well"
    MIXED = "mixed", "Some things need to change"
    NOT_WELL = "not_well", "Not going well"


class Outcome(models.TextChoices):
    MATCHED = "matched", "Matched"
    UNMATCHED = "unmatched", "No suitable provider"
    WITHDRAWN = "withdrawn", "Withdrawn"
