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


@dataclass
class Scored:
    listing_id: int
    title: str
    kind: str
    organisation_id: int | None
    organisation_name: str
    distance_miles: float | None
    comes_to_you: bool
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)  # why it fits
    concerns: list[str] = field(default_factory=list)  # soft points against
    failures: list[str] = field(default_factory=list)  # hard constraints not met
    affiliated: bool = False
    removed: bool = False
    by_hand: bool = False
    hourly_cost: Decimal | None = None

    @property
    def why_not(self) -> str:
        return "; ".join(self.failures)


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


class Context:
    """What one request asks, prepared once; `evaluate(row)` checks and scores one listing."""

    def __init__(self, request: SupportRequest, needs, skills, days):
        self.request = request
        self.needs, self.skills, self.days = needs, skills, days
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
        fail = s.failures

        # Where
        reaches = row["comes_to_family"] and (
            (
                row["travel_radius_miles"] is not None
                and miles is not None
                and miles <= row["travel_radius_miles"]
            )
            or row.get("serves_area")
        )
        venue_ok = row["at_venue"] and miles is not None and miles <= self.travel
        # A person's distance is from their district's centre, and said as a band.
        private = rules.private_position(row["kind"], row["at_venue"])
        away = how_far(miles, private) if miles is not None else ""
        if reaches:
            s.comes_to_you = True
            if row.get("serves_area"):
                s.reasons.append("Comes to you: covers your council area")
            else:
                s.reasons.append(
                    f"Comes to you: travels up to {miles_words(row['travel_radius_miles'])}, "
                    f"the family is {away}"
                )
        elif venue_ok:
            s.reasons.append(
                f"{away.capitalize()}, within the {miles_words(self.travel)} you can travel"
            )
        elif row["comes_to_family"] and miles is not None:
            fail.append(
                f"Travels up to {miles_words(row['travel_radius_miles'] or 0)}; "
                f"the family is {away}"
            )
        elif miles is not None:
            fail.append(
                f"{away.capitalize()}; the family can travel up to {miles_words(self.travel)}"
            )
        else:
            fail.append("Not in the family's area")

        # Needs and skills
        missing = [name for pk, name in self.needs.items() if not row.get(f"need_{pk}")]
        if missing:
            fail.append("Does not list support for " + ", ".join(missing))
        elif self.needs:
            s.reasons.append("Supports " + ", ".join(self.needs.values()))
        missing = [name for pk, name in self.skills.items() if not row.get(f"skill_{pk}")]
        if missing:
            fail.append("No one trained in " + ", ".join(missing))
        elif self.skills:
            s.reasons.append("Trained in " + ", ".join(self.skills.values()))

        # When
        missing = [name for pk, name in self.days.items() if not row.get(f"day_{pk}")]
        if missing:
            fail.append("No " + " or ".join(missing) + " availability")
        elif self.days:
            s.reasons.append("Available on " + ", ".join(self.days.values()))
        if r.time_from and r.time_to and row["time_from"] and row["time_to"]:
            if row["time_from"] > r.time_from or row["time_to"] < r.time_to:
                fail.append(
                    f"Open {row['time_from']:%H:%M} to {row['time_to']:%H:%M}, not "
                    f"{r.time_from:%H:%M} to {r.time_to:%H:%M}"
                )
        if r.term_time and not row["term_time"]:
            fail.append("Not available in term time")
        if r.school_holidays and not row["school_holidays"]:
            fail.append("Not available in the school holidays")

        # Capacity
        if row["capacity_now"] == 0:
            fail.append("Full at the moment")
        elif row["capacity_now"] is None:
            s.concerns.append("Has not said how much capacity they have")
            s.score -= 5
        else:
            unit = "hours a week" if row["capacity_unit"] == "hours" else "places"
            s.reasons.append(f"Has capacity: {row['capacity_now']} {unit}")

        # Safeguarding: anyone working alone with the child has a verified, current DBS
        alone = row["kind"] == ListingKind.PERSONAL_ASSISTANT or (
            s.comes_to_you and set(r.support_kinds) & self.alone_kinds
        )
        dbs = row["status__dbs_status"]
        if alone and dbs not in CURRENT_DBS:
            fail.append("No verified, current DBS check for working alone with the child")
        elif dbs in CURRENT_DBS:
            s.reasons.append("Verified, current DBS check")

        # Freshness
        assured = row["status__assured_date"]
        if rules.is_stale(assured, self.cutoffs):
            when = f"since {assured:%-d %B %Y}" if assured else "yet"
            fail.append(f"Not confirmed accurate {when}")

        # Funding and the council's rules
        if r.funding_id:
            if not row.get("funding_ok"):
                fail.append(f"Does not take {self.funding.lower()}")
            elif self.direct_payment and (
                row.get("dp_excluded_type") and not row.get("dp_other_type")
            ):
                fail.append("A direct payment cannot buy this kind of service (council rule)")
            elif (
                self.direct_payment
                and settings.BROKERAGE_DIRECT_PAYMENT_EXCLUDES_COUNCIL_SERVICES
                and row["organisation__kind"] == OrganisationKind.COUNCIL
            ):
                fail.append("A direct payment cannot buy the council's own services")
            else:
                s.reasons.append(f"Takes {self.funding.lower()}")

        self.score(s, row, miles, assured)
        return s

    def score(self, s: Scored, row: dict, miles, assured) -> None:
        r = self.request
        s.score += 100
        if miles is not None and not s.comes_to_you:
            s.score -= min(40.0, miles * 2)
        kitemark = row["status__kitemark_expires_on"]
        if rules.kitemarked(kitemark, self.cutoffs):
            s.score += 10
            s.reasons.append("Holds the young people's kitemark")
        if assured is not None:
            weeks = (self.on - assured).days / 7
            s.score -= min(13.0, weeks)
        gender = row.get("personalassistantpage__gender")
        if r.pa_gender and row["kind"] == ListingKind.PERSONAL_ASSISTANT:
            if gender == r.pa_gender:
                s.score += 8
                s.reasons.append(f"A {PAGender(r.pa_gender).label.split()[-1]}, as asked")
            else:
                s.score -= 10
                said = Gender(gender).label.lower() if gender in Gender.values else "not said"
                s.concerns.append(
                    f"You asked for {PAGender(r.pa_gender).label.lower()}; gender: {said}"
                )
        if r.language_id:
            if row.get("language_ok"):
                s.score += 6
                s.reasons.append("Speaks the family's language")
            else:
                s.concerns.append("Does not list the family's language")
        if self.words:
            notes = (row.get("cultural_notes") or "").lower()
            if any(word in notes for word in self.words):
                s.score += 5
                s.reasons.append("Mentions the family's culture or faith")
        cost, unit = row["cost_amount"], row["cost_unit"]
        if unit == CostUnit.FREE:
            s.score += 5
            s.reasons.append("Free")
        elif unit == CostUnit.HOUR and cost is not None:
            s.hourly_cost = cost
            if r.hourly_budget is not None:
                if cost <= r.hourly_budget:
                    s.score += 5
                    s.reasons.append(
                        f"£{cost:.2f} an hour, within the £{r.hourly_budget:.2f} budget"
                    )
                else:
                    s.score -= 15
                    s.concerns.append(
                        f"£{cost:.2f} an hour, over the £{r.hourly_budget:.2f} budget"
                    )
