"""Checking and scoring one listing against what a request asks: the reasons it fits, the
concerns against it and the one hard constraint a near miss fails, in words the broker can
read out to the family.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from core.dates import today
from directory import rules
from directory.choices import CostUnit, DBSStatus, Gender, ListingKind, OrganisationKind
from search.api import haversine_miles, how_far, miles_words

from .choices import PAGender, SupportKind
from .models import SupportRequest

DIRECT_PAYMENT = "direct-payment"
CURRENT_DBS = (DBSStatus.VERIFIED, DBSStatus.DUE_SOON)


MET, NOT_MET, UNKNOWN = "met", "not met", "unknown"
# What a family may ask for under "personal care and health", found in the skills they ticked
# (by slug) or in their own words, and the skills on a listing that answer it.
CARE_TOPICS = {
    "personal_care": (
        "Personal care",
        ("personal-care",),
        ("personal care", "toilet", "continence", "nappy", "nappies", "washing", "bathing"),
    ),
    "medication": (
        "Medication",
        ("medication", "epilepsy-rescue-medication"),
        ("medication", "medicine", "buccal", "midazolam", "inhaler", "insulin"),
    ),
}


@dataclass
class Check:
    """One thing the family asked, and whether the listing meets it."""

    topic: str
    state: str  # MET, NOT_MET or UNKNOWN
    words: str


@dataclass
class Scored:
    listing_id: int
    title: str
    kind: str
    organisation_id: int | None
    organisation_name: str
    distance_miles: float | None
    comes_to_you: bool
    distance_words: str = ""  # as the matching page says it: a band for a person
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)  # why it fits
    concerns: list[str] = field(default_factory=list)  # soft points against
    failures: list[str] = field(default_factory=list)  # hard constraints not met
    checks: list[Check] = field(default_factory=list)  # everything the family asked
    score_parts: list[tuple[float, str]] = field(default_factory=list)  # what moved the score
    affiliated: bool = False
    removed: bool = False
    by_hand: bool = False
    hourly_cost: Decimal | None = None

    @property
    def why_not(self) -> str:
        return "; ".join(self.failures)

    def met(self, topic: str, words: str) -> None:
        self.reasons.append(words)
        self.checks.append(Check(topic, MET, words))

    def not_met(self, topic: str, words: str, *, hard: bool = True) -> None:
        (self.failures if hard else self.concerns).append(words)
        self.checks.append(Check(topic, NOT_MET, words))

    def unknown(self, topic: str, words: str) -> None:
        self.concerns.append(words)
        self.checks.append(Check(topic, UNKNOWN, words))

    def add(self, points: float, why: str) -> None:
        self.score += points
        self.score_parts.append((round(points, 1), why))

    @property
    def checks_words(self) -> set[str]:
        return {check.words for check in self.checks}

    @property
    def score_explained(self) -> str:
        """The score in words: what added to it and what took away, largest first."""
        parts = sorted(self.score_parts[1:], key=lambda part: -abs(part[0]))
        words = [f"{'+' if points > 0 else '−'}{abs(points):g} {why}" for points, why in parts]
        start = self.score_parts[0] if self.score_parts else (0, "")
        return "; ".join([f"{start[0]:g} {start[1]}", *words])


def travel_miles(request: SupportRequest) -> float:
    return float(request.travel_miles or settings.BROKERAGE_DEFAULT_TRAVEL_MILES)


def funding_slug(request: SupportRequest) -> str:
    if not request.funding_id:
        return ""
    cached = getattr(request, "_funding_slug", None)
    if cached is None:
        cached = request.funding.slug
        request._funding_slug = cached
    return cached


def care_topics(request: SupportRequest, skill_slugs) -> dict[str, str]:
    """Personal care and medication, if the family asked for them: {key: how they said so}
    ("ticked" a skill, or "notes" when only their own words mention it)."""
    asked = {}
    text = request.care_and_health.lower()
    for key, (_, slugs, words) in CARE_TOPICS.items():
        if set(slugs) & set(skill_slugs):
            asked[key] = "ticked"
        elif any(word in text for word in words):
            asked[key] = "notes"
    return asked


def distance_words(row: dict, miles: float | None) -> str:
    """How far the family is, in words: a person's distance is measured from their postcode
    district's centre and said as a band (`rules.private_position`), so neither a reason nor
    the matching screen can place their home."""
    if miles is None:
        return ""
    return how_far(miles, rules.private_position(row["kind"], row["at_venue"]))


def where_words(row: dict, miles: float | None, away: str, travel: float) -> tuple[str, str, bool]:
    """Whether the listing reaches the family, in words: (state, words, comes to them).
    `away` is how far the family is, as `distance_words` says it."""
    reaches = row["comes_to_family"] and (
        (
            row["travel_radius_miles"] is not None
            and miles is not None
            and miles <= row["travel_radius_miles"]
        )
        or row.get("serves_area")
    )
    if reaches:
        if row.get("serves_area"):
            return MET, "Comes to you: covers your council area", True
        return (
            MET,
            f"Comes to you: travels up to {miles_words(row['travel_radius_miles'])}, "
            f"the family is {away}",
            True,
        )
    if row["at_venue"] and miles is not None and miles <= travel:
        return MET, f"{away.capitalize()}, within the {miles_words(travel)} you can travel", False
    if row["comes_to_family"] and miles is not None:
        words = (
            f"Travels up to {miles_words(row['travel_radius_miles'] or 0)}; the family is {away}"
        )
        return NOT_MET, words, False
    if miles is not None:
        return (
            NOT_MET,
            f"{away.capitalize()}; the family can travel up to {miles_words(travel)}",
            False,
        )
    return NOT_MET, "Not in the family's area", False


def offers_kind(row: dict, kind: str) -> bool:
    """The listing offers this kind of support (as `matching.kind_q` filters)."""
    return {
        SupportKind.AT_HOME: bool(row["comes_to_family"]),
        SupportKind.AT_VENUE: bool(row["at_venue"]) and row["kind"] == ListingKind.SHORT_BREAK,
        SupportKind.OVERNIGHT: bool(row.get("overnight")),
        SupportKind.CLUB: row["kind"] == ListingKind.INCLUSIVE_CLUB,
        SupportKind.PA: row["kind"] == ListingKind.PERSONAL_ASSISTANT,
    }.get(kind, False)


class Context:
    """What one request asks, prepared once; `evaluate(row)` checks and scores one listing."""

    def __init__(self, request: SupportRequest, needs, skills, days, care=None):
        self.request = request
        self.needs, self.skills, self.days = needs, skills, days
        self.care = care or {}  # from `care_topics`
        self.travel = travel_miles(request)
        self.on = today()
        self.cutoffs = rules.Cutoffs.on(self.on)
        self.funding = request.funding.name if request.funding_id else ""
        self.direct_payment = funding_slug(request) == DIRECT_PAYMENT
        self.alone_kinds = {SupportKind.AT_HOME, SupportKind.PA, SupportKind.OVERNIGHT}
        self.words = [
            w.lower() for w in request.culture_faith.replace(",", " ").split() if len(w) > 3
        ]

    def evaluate(self, row: dict) -> Scored:
        r = self.request
        miles = None
        if r.latitude is not None and row["latitude"] is not None:
            miles = haversine_miles(r.latitude, r.longitude, row["latitude"], row["longitude"])
        s = Scored(
            listing_id=row["pk"],
            title=row["title"],
            kind=row["kind"],
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation__name"] or "",
            distance_miles=round(miles, 1) if miles is not None else None,
            comes_to_you=False,
        )
        s.distance_words = distance_words(row, miles)
        state, words, s.comes_to_you = where_words(row, miles, s.distance_words, self.travel)
        (s.met if state == MET else s.not_met)("Where", words)
        self.who_and_what(s, row)
        self.when(s, row)
        self.capacity_and_safety(s, row)
        self.paying(s, row)
        self.score(s, row, miles, row["status__assured_date"])
        return s

    def who_and_what(self, s: Scored, row: dict) -> None:
        r = self.request
        if r.age is not None and row.get("age_min") is not None:
            ages = f"ages {row['age_min']} to {row['age_max']}"
            if row["age_min"] <= r.age <= row["age_max"]:
                s.met("Age", f"Age {r.age}: supports {ages}")
            else:
                s.not_met("Age", f"Supports {ages}; the child is {r.age}")
        if r.support_kinds and row.get("age_min") is not None:
            offered = [k for k in r.support_kinds if offers_kind(row, k)]
            if offered:
                s.met("Kind of support", "Offers " + "; ".join(label(k) for k in offered))
            else:
                wanted = " or ".join(label(k) for k in r.support_kinds)
                s.not_met("Kind of support", f"Does not offer {wanted}")
        missing = [name for pk, name in self.needs.items() if not row.get(f"need_{pk}")]
        if missing:
            s.not_met("Needs", "Does not list support for " + ", ".join(missing))
        elif self.needs:
            s.met("Needs", "Supports " + ", ".join(self.needs.values()))
        missing = [name for pk, name in self.skills.items() if not row.get(f"skill_{pk}")]
        if missing:
            s.not_met("Training", "No one trained in " + ", ".join(missing))
        elif self.skills:
            s.met("Training", "Trained in " + ", ".join(self.skills.values()))
        for key, how in self.care.items():
            topic = CARE_TOPICS[key][0]
            if row.get(f"care_{key}"):
                s.met(topic, f"{topic}: lists staff trained in {topic.lower()}")
            elif how == "ticked":
                # Already a hard failure under "Training": said again under its own name.
                s.checks.append(Check(topic, NOT_MET, f"{topic}: no one trained in it"))
            else:
                s.unknown(
                    topic,
                    f"{topic}: the family's notes mention it; the listing does not say anyone "
                    "is trained",
                )

    def when(self, s: Scored, row: dict) -> None:
        r = self.request
        missing = [name for pk, name in self.days.items() if not row.get(f"day_{pk}")]
        if missing:
            s.not_met("Days", "No " + " or ".join(missing) + " availability")
        elif self.days:
            s.met("Days", "Available on " + ", ".join(self.days.values()))
        if r.time_from and r.time_to:
            asked = f"{r.time_from:%H:%M} to {r.time_to:%H:%M}"
            if not (row["time_from"] and row["time_to"]):
                s.unknown("Times", f"Has not said what times they work; asked {asked}")
            elif row["time_from"] > r.time_from or row["time_to"] < r.time_to:
                s.not_met(
                    "Times", f"Open {row['time_from']:%H:%M} to {row['time_to']:%H:%M}, not {asked}"
                )
            else:
                s.met("Times", f"Covers {asked}")
        if r.term_time:
            if row["term_time"]:
                s.met("Term time", "Available in term time")
            else:
                s.not_met("Term time", "Not available in term time")
        if r.school_holidays:
            if row["school_holidays"]:
                s.met("School holidays", "Available in the school holidays")
            else:
                s.not_met("School holidays", "Not available in the school holidays")

    def capacity_and_safety(self, s: Scored, row: dict) -> None:
        r = self.request
        if row["capacity_now"] == 0:
            s.not_met("Capacity", "Full at the moment")
        elif row["capacity_now"] is None:
            s.unknown("Capacity", "Has not said how much capacity they have")
            s.add(-5, "capacity not stated")
        else:
            unit = "hours a week" if row["capacity_unit"] == "hours" else "places"
            s.met("Capacity", f"Has capacity: {row['capacity_now']} {unit}")

        # Safeguarding: anyone working alone with the child has a verified, current DBS
        alone = row["kind"] == ListingKind.PERSONAL_ASSISTANT or (
            s.comes_to_you and set(r.support_kinds) & self.alone_kinds
        )
        dbs = row["status__dbs_status"]
        if alone and dbs not in CURRENT_DBS:
            s.not_met("DBS", "No verified, current DBS check for working alone with the child")
        elif dbs in CURRENT_DBS:
            s.met("DBS", "Verified, current DBS check")

        assured = row["status__assured_date"]
        if rules.is_stale(assured, self.cutoffs):
            when = f"since {assured:%-d %B %Y}" if assured else "yet"
            s.not_met("Up to date", f"Not confirmed accurate {when}")

    def paying(self, s: Scored, row: dict) -> None:
        """The way of paying and the council's rules on it."""
        r = self.request
        if not r.funding_id:
            s.unknown("Paying", "The family does not know yet how the support will be paid for")
        elif not row.get("funding_ok"):
            s.not_met("Paying", f"Does not take {self.funding.lower()}")
        elif self.direct_payment and (row.get("dp_excluded_type") and not row.get("dp_other_type")):
            s.not_met("Paying", "A direct payment cannot buy this kind of service (council rule)")
        elif (
            self.direct_payment
            and settings.BROKERAGE_DIRECT_PAYMENT_EXCLUDES_COUNCIL_SERVICES
            and row["organisation__kind"] == OrganisationKind.COUNCIL
        ):
            s.not_met("Paying", "A direct payment cannot buy the council's own services")
        else:
            s.met("Paying", f"Takes {self.funding.lower()}")

    def score(self, s: Scored, row: dict, miles, assured) -> None:
        r = self.request
        s.score_parts.insert(0, (100, "to start with"))
        s.score += 100
        if miles is not None and not s.comes_to_you:
            s.add(-min(40.0, miles * 2), f"for {miles:.1f} miles away")
        kitemark = row["status__kitemark_expires_on"]
        if rules.kitemarked(kitemark, self.cutoffs):
            s.add(10, "for the young people's kitemark")
            s.reasons.append("Holds the young people's kitemark")
        if assured is not None:
            weeks = (self.on - assured).days / 7
            if weeks > 0:
                s.add(-min(13.0, weeks), f"for last confirmed {assured:%-d %B %Y}")
        gender = row.get("personalassistantpage__gender")
        if r.pa_gender and row["kind"] == ListingKind.PERSONAL_ASSISTANT:
            asked = PAGender(r.pa_gender).label
            if gender == r.pa_gender:
                s.add(8, f"for {asked.lower()}, as asked")
                s.met("Personal assistant", f"{asked}, as asked")
            else:
                s.add(-10, f"for not {asked.lower()}")
                said = Gender(gender).label.lower() if gender in Gender.values else "not said"
                s.not_met(
                    "Personal assistant",
                    f"You asked for {asked.lower()}; gender: {said}",
                    hard=False,
                )
        if r.language_id:
            if row.get("language_ok"):
                s.add(6, "for speaking the family's language")
                s.met("Language", "Speaks the family's language")
            else:
                s.not_met("Language", "Does not list the family's language", hard=False)
        if self.words:
            notes = (row.get("cultural_notes") or "").lower()
            if any(word in notes for word in self.words):
                s.add(5, "for mentioning the family's culture or faith")
                s.met("Culture or faith", "Mentions the family's culture or faith")
            else:
                s.unknown("Culture or faith", "Does not mention the family's culture or faith")
        self.cost(s, row)

    def cost(self, s: Scored, row: dict) -> None:
        r = self.request
        cost, unit = row["cost_amount"], row["cost_unit"]
        if unit == CostUnit.FREE:
            s.add(5, "for being free")
            if r.hourly_budget is not None:
                s.met("Budget", "Free")
            else:
                s.reasons.append("Free")
            return
        if unit == CostUnit.HOUR and cost is not None:
            s.hourly_cost = cost
        if r.hourly_budget is None:
            return
        budget = f"£{r.hourly_budget:.2f}"
        if s.hourly_cost is None:
            said = f"£{cost:.2f} {CostUnit(unit).label}" if cost is not None else "no price"
            s.unknown("Budget", f"Cost per hour not known ({said}); the budget is {budget}")
        elif cost <= r.hourly_budget:
            s.add(5, "for being within the budget")
            s.met("Budget", f"£{cost:.2f} an hour, within the {budget} budget")
        else:
            s.add(-15, "for being over the budget")
            s.not_met("Budget", f"£{cost:.2f} an hour, over the {budget} budget", hard=False)


def label(kind: str) -> str:
    return SupportKind(kind).label.lower() if kind in SupportKind.values else kind
