"""The demo plan: every organisation, person and listing, decided from the seed before anything
is written. The same seed, gazetteer and taxonomies give the same plan."""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.utils.text import slugify

from core.dates import today
from directory.choices import (
    CostUnit,
    CouncilRelationship,
    DBSLevel,
    Eligibility,
    Freshness,
    Gender,
    ListingKind,
    OrganisationKind,
    PAEmployment,
)
from directory.models import LISTING_MODELS

from .accounts import ACCOUNTS
from .content import (
    ACCESS_NOTES,
    ARCHETYPE_SHARE,
    ARCHETYPES,
    CHILDMINDER_SUMMARIES,
    COST_NOTES,
    COUNCIL_AREAS,
    COUNCIL_FREE_NOTE,
    COUNCIL_NAMES,
    COUNCIL_SERVICES,
    CULTURAL_NOTES,
    DBS_MIX,
    EXPIRED_SHARE,
    FIRST_FEMALE,
    FIRST_FEMALE_DIVERSE,
    FIRST_MALE,
    FIRST_MALE_DIVERSE,
    FREE_NOTE,
    INCLUSION_SUPPORT,
    INSURERS,
    LA_WEIGHTS,
    LANGUAGE_CHOICES,
    NEWCASTLE,
    NO_DBS_SHARE,
    NORTHUMBERLAND,
    ORG_NOUNS,
    PA_BACKGROUNDS,
    PLACE_NAMES,
    SPECS,
    STAFF_ROLES,
    STALE_SHARE,
    SURNAMES,
    SURNAMES_DIVERSE,
    Spec,
)
from .places import Place
from .plans import ListingPlan, OrgPlan, StaffPlan, clock, money


class Planner:
    """Decides every organisation, person and listing from one seeded random generator."""

    def __init__(self, rng: random.Random, places: dict[str, list[Place]], slugs: dict):
        self.rng = rng
        self.places = places
        self.slugs = slugs  # taxonomy name -> slugs present in the database
        self.names: set[str] = set()
        self.phone = 0

    # --- small helpers ---

    def weighted(self, pairs):
        items, weights = zip(*pairs, strict=True)
        return self.rng.choices(items, weights=weights)[0]

    def pick_la(self) -> str:
        return self.weighted([(la, LA_WEIGHTS[la]) for la in self.places])

    def pick_place(self, la: str) -> Place:
        return self.weighted([(p, p.town.weight) for p in self.places[la]])

    def person(self, la: str) -> tuple[str, str, str]:
        """(first name, surname, gender): more varied names in the city."""
        diverse = self.rng.random() < (0.3 if la == NEWCASTLE else 0.06)
        gender = Gender.FEMALE if self.rng.random() < 0.75 else Gender.MALE
        if gender == Gender.FEMALE:
            first = self.rng.choice(FIRST_FEMALE_DIVERSE if diverse else FIRST_FEMALE)
        else:
            first = self.rng.choice(FIRST_MALE_DIVERSE if diverse else FIRST_MALE)
        surname = self.rng.choice(SURNAMES_DIVERSE if diverse else SURNAMES)
        return first, surname, gender

    def unique(self, make) -> str:
        for attempt in range(50):
            name = make()
            if attempt >= 10:
                name = f"{name} {attempt - 8}"
            if slugify(name) not in self.names:
                self.names.add(slugify(name))
                return name
        raise AssertionError("could not make a unique name")

    def phone_number(self, la: str, mobile: bool = False) -> str:
        self.phone = (self.phone + 1) % 1000
        if mobile:
            return f"07700 900{self.phone:03d}"
        if la == NEWCASTLE:
            return f"0191 498 0{self.phone:03d}"
        return f"01632 960{self.phone:03d}"

    def some(self, taxonomy: str, preferred, low: int, high: int) -> list[str]:
        present = [s for s in preferred if s in self.slugs[taxonomy]]
        pool = present or self.slugs[taxonomy]
        if not pool:
            return []
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))

    # --- organisations ---

    def plan(self, listings: int) -> list[OrgPlan]:
        budgets = {a: max(1, round(share * listings)) for a, share in ARCHETYPE_SHARE.items()}
        budgets["charity_clubs"] += listings - sum(budgets.values())
        orgs = []
        for archetype, budget in budgets.items():
            left = budget
            while left > 0:
                low, high = ARCHETYPES[archetype][1]
                size = min(left, self.rng.randint(low, high))
                demo = ""
                if left == budget:  # the first of its kind: the PA and provider demo accounts
                    if archetype == "pa":
                        demo = "demo-pa"
                    elif archetype == "charity_sb" and left >= 2:
                        demo, size = "demo-provider", max(size, 2)
                orgs.append(self.organisation(archetype, size, demo))
                left -= size
        self.assign_safeguarding(orgs)
        self.assign_freshness(orgs)
        return orgs

    def organisation(self, archetype: str, size: int, demo: str) -> OrgPlan:
        kind, _, services_offered = ARCHETYPES[archetype]
        la = NORTHUMBERLAND if demo and NORTHUMBERLAND in self.places else self.pick_la()
        home = self.pick_place(la)
        rng = self.rng
        people = []
        if archetype in ("pa", "childminder"):  # named after the person

            def person_name() -> str:
                people[:] = [self.person(la)]
                first, surname, _ = people[0]
                if archetype == "pa":
                    return f"{first} {surname}, personal assistant"
                return f"{first} {surname} Childminding"

            name = self.unique(person_name)
        elif archetype == "council":
            council = COUNCIL_NAMES[la]
            name = self.unique(
                lambda: (
                    f"{council} {rng.choice(COUNCIL_SERVICES)} ({rng.choice(COUNCIL_AREAS[la])})"
                )
            )
        elif archetype == "private" and rng.random() < 0.3:
            name = self.unique(
                lambda: (
                    f"{rng.choice(SURNAMES)} and {rng.choice(SURNAMES)} "
                    f"{rng.choice(ORG_NOUNS['private'])}"
                )
            )
        else:
            words_for = list(PLACE_NAMES[la]) + [p.label for p in self.places[la]]
            name = self.unique(
                lambda: f"{rng.choice(words_for)} {rng.choice(ORG_NOUNS[archetype])}"
            )
        domain = slugify(name)[:40].strip("-") + ".example.org"
        fields = {
            "email": f"info@{domain}",
            "phone": self.phone_number(la),
            "website": f"https://{domain}/",
            "postcode": rng.choice(home.postcodes)[0],
            "insurer": rng.choice(INSURERS),
            "insurance_expiry": today()
            + datetime.timedelta(
                days=rng.randint(20, 360) if rng.random() > 0.03 else -rng.randint(5, 60)
            ),
            "council_relationship": self.relationship(kind),
        }
        if archetype == "pa":
            fields.update(email="", website="", phone=self.phone_number(la, mobile=True))
        since = rng.randint(1985, 2022)
        abouts = {
            "charity_sb": f"{name} is a local charity supporting disabled children, young "
            f"people and their families in and around {home.label} since {since}.",
            "charity_clubs": f"{name} runs clubs and activities in {home.label} where disabled "
            "and non-disabled children and young people take part together.",
            "private": f"{name} provides care and support for disabled children and young "
            f"people across {COUNCIL_NAMES[la].split(' ')[0]}.",
            "council": f"The in-house service of {COUNCIL_NAMES[la]} for disabled children, "
            "young people and their families.",
            "childminder": f"An Ofsted-registered childminder in {home.label}.",
            "pa": f"A self-employed personal assistant based in {home.label}.",
        }
        org = OrgPlan(archetype, name, kind, la, fields, abouts[archetype], demo_account=demo)
        if archetype == "childminder":
            org.fields["ofsted_urn"] = f"EY99{rng.randint(0, 9999):04d}"

        # People: the PA or childminder themself, or a manager and a small team.
        if archetype in ("pa", "childminder"):
            first, surname, _ = people[0]
            role = "Personal assistant" if archetype == "pa" else "Childminder"
            org.staff.append(self.staff(f"{first} {surname}", role))
        else:
            first, surname, _ = self.person(la)
            if demo == "demo-provider":  # the demo provider account is this manager
                account = next(a for a in ACCOUNTS if a.username == demo)
                first, surname = account.first_name, account.last_name
            org.staff.append(self.staff(f"{first} {surname}", "Service manager"))
            for _ in range(rng.randint(1, 3)):
                first, surname, _ = self.person(la)
                org.staff.append(self.staff(f"{first} {surname}", rng.choice(STAFF_ROLES)))
            if rng.random() < 0.3:
                first, surname, _ = self.person(la)
                org.staff.append(
                    self.staff(f"{first} {surname}", "Administrator", works_with_children=False)
                )

        titles: set[str] = set()
        for index in range(size):
            key = self.weighted(services_offered)
            place = home if index == 0 or rng.random() < 0.6 else self.pick_place(la)
            org.listings.append(self.listing(org, key, place, people, titles))
        if any(lp.fields.get("overnight") and lp.fields.get("at_venue") for lp in org.listings):
            org.fields.setdefault("ofsted_urn", f"SC99{rng.randint(0, 9999):04d}")
        if archetype == "private" and any(lp.fields.get("comes_to_family") for lp in org.listings):
            org.fields["cqc_location_id"] = f"1-99{rng.randint(0, 10**8 - 1):08d}"
        return org

    def relationship(self, kind: str) -> str:
        if kind == OrganisationKind.COUNCIL:
            return CouncilRelationship.BLOCK
        if kind == OrganisationKind.SELF_EMPLOYED_PA:
            return CouncilRelationship.NOT_CONTRACTED
        return self.weighted(
            [
                (CouncilRelationship.FRAMEWORK, 4),
                (CouncilRelationship.PREFERRED, 1),
                (CouncilRelationship.SPOT, 3),
                (CouncilRelationship.NOT_CONTRACTED, 3),
                (CouncilRelationship.CHOSEN_NOT_TO_CONTRACT, 0.2),
            ]
        )

    def staff(self, name: str, role: str, works_with_children: bool = True) -> StaffPlan:
        level = self.weighted(
            [
                (DBSLevel.ENHANCED_CHILDREN, 70),
                (DBSLevel.ENHANCED_BOTH, 15),
                (DBSLevel.ENHANCED, 10),
                (DBSLevel.STANDARD, 5 if not works_with_children else 0),
            ]
        )
        return StaffPlan(
            name, role, works_with_children, level=level, update_service=self.rng.random() < 0.4
        )

    # --- listings ---

    def listing(self, org: OrgPlan, key: str, place: Place, people, titles: set) -> ListingPlan:
        rng = self.rng
        agency = key == "agency_pa"
        if agency:
            key = self.weighted([("pa_general", 4), ("pa_overnight", 1), ("pa_transition", 1)])
        spec = SPECS[key]
        ages = rng.choice(spec.ages)
        postcode = rng.choice(place.postcodes)[0]
        town = place.label
        sport = rng.choice(spec.sports) if spec.sports else ""
        venue = rng.choice(spec.venues).format(town=town)
        staff_index, first, gender = None, "", ""
        if spec.kind == ListingKind.PERSONAL_ASSISTANT:
            if agency:
                first, surname, gender = self.person(org.la)
                org.staff.append(self.staff(f"{first} {surname}", "Personal assistant"))
                staff_index = len(org.staff) - 1
            else:
                first, surname, gender = people[0]
                staff_index = 0
        words_in = {
            "town": town,
            "venue": venue,
            "ages": f"{ages[0]} to {ages[1]}",
            "first": first,
            "initial": (surname[:1] if first else ""),
            "sport": sport,
            "Sport": sport.capitalize(),
        }
        if org.archetype == "childminder":
            name = org.staff[0].full_name.split(" ")[0]
            title = f"Childminding with {name}, {town}"
            summary = rng.choice(CHILDMINDER_SUMMARIES).format(**words_in)
        else:
            title = rng.choice(spec.titles).format(**words_in)
            summary = rng.choice(spec.summaries).format(**words_in)
        title = self.unique_title(title, titles)
        if len(summary) > 300:
            summary = summary[:297].rsplit(" ", 1)[0] + "…"
        paragraphs = rng.sample(spec.about, min(len(spec.about), rng.randint(1, 3)))
        if spec.kind == ListingKind.PERSONAL_ASSISTANT:
            paragraphs.insert(
                0,
                f"I have {rng.randint(2, 20)} years' experience as a {rng.choice(PA_BACKGROUNDS)}.",
            )
            if rng.random() < 0.7:
                paragraphs.append("I drive and have business insurance for taking children out.")
        description = "".join(f"<p>{p.format(**words_in)}</p>" for p in paragraphs)

        unit, low, high = spec.cost
        council = org.kind == OrganisationKind.COUNCIL
        free = rng.random() < (0.8 if council else spec.free_chance)
        capacity_unit, cap_low, cap_high = spec.capacity
        capacity = 0 if rng.random() < 0.1 else rng.randint(max(1, cap_low), max(1, cap_high))
        times = rng.choice(spec.times)
        n_days = rng.randint(*spec.n_days)
        rural = org.la == NORTHUMBERLAND
        comes = spec.comes_to_family or (key == "transition" and rng.random() < 0.3)
        fields = {
            "title": title,
            "slug": slugify(title)[:200],
            "summary": summary,
            "description": description,
            "age_min": ages[0],
            "age_max": ages[1],
            "at_venue": spec.at_venue,
            "comes_to_family": comes,
            "online": key in ("transition", "arts") and rng.random() < 0.1,
            "address_line_1": venue,
            "address_line_2": place.town.area if venue else "",
            "town": place.town.name,
            "postcode": postcode,
            "travel_radius_miles": (
                rng.choice([10, 12, 15, 20, 25, 30] if rural else [3, 4, 5, 6, 8, 10])
                if comes
                else None
            ),
            "time_from": clock(times[0]) if times else None,
            "time_to": clock(times[1]) if times else None,
            "term_time": spec.term_time,
            "school_holidays": spec.school_holidays,
            "overnight": spec.overnight,
            "cost_unit": CostUnit.FREE if free else unit,
            "cost_amount": None if free else money(rng.uniform(low, high) * (1.4 if agency else 1)),
            "cost_notes": (
                (COUNCIL_FREE_NOTE if council else FREE_NOTE) if free else rng.choice(COST_NOTES)
            ),
            "capacity_now": capacity,
            "capacity_unit": capacity_unit,
            "access_notes": rng.choice(ACCESS_NOTES) if spec.at_venue and venue else "",
            "contact_name": org.staff[staff_index or 0].full_name,
            "contact_email": (
                slugify(org.staff[staff_index or 0].full_name).replace("-", ".") + "@example.com"
                if org.archetype in ("pa", "childminder")
                else org.fields["email"]
            ),
            "contact_phone": org.fields["phone"],
            "contact_website": org.fields["website"],
        }
        languages = ["english"]
        if rng.random() < (0.3 if org.la == NEWCASTLE else 0.06):
            languages += rng.sample(LANGUAGE_CHOICES[org.la], rng.randint(1, 2))
            fields["cultural_notes"] = " ".join(rng.sample(CULTURAL_NOTES, rng.randint(1, 2)))
        if "hearing-impairment" in spec.needs and rng.random() < 0.3:
            languages.append("british-sign-language")
        served = []
        if comes:
            served = [org.la]
            if rng.random() < 0.25 and len(self.places) > 1:
                served = sorted(self.places)
        taxonomy = {
            "service_types": [s for s in spec.types if s in self.slugs["service_types"]],
            "needs": self.some("needs", spec.needs, 2, 4),
            "skills": self.some("skills", spec.skills, 1, 4) if spec.skills else [],
            "access_features": self.some("access_features", spec.access, 2, 4)
            if spec.access and spec.at_venue
            else [],
            "languages": [s for s in dict.fromkeys(languages) if s in self.slugs["languages"]],
            "funding_accepted": self.funding(spec, council, free),
            "days": sorted(rng.sample(spec.days, min(n_days, len(spec.days)))),
            "served_local_authorities": served,
        }
        model = LISTING_MODELS[spec.kind]
        if spec.kind == ListingKind.SHORT_BREAK and spec.min_booking:
            fields["min_booking_hours"] = Decimal(rng.choice(spec.min_booking))
        if spec.kind == ListingKind.PERSONAL_ASSISTANT:
            hours = rng.choice([8, 10, 12, 15, 16, 20, 25, 30])
            fields.update(
                employment=PAEmployment.AGENCY if agency else PAEmployment.SELF_EMPLOYED,
                agency_name=org.name if agency else "",
                gender=gender if rng.random() < 0.9 else Gender.UNSAID,
                hours_available_per_week=hours,
                capacity_now=min(capacity, hours),
            )
        if spec.kind == ListingKind.INCLUSIVE_CLUB:
            fields.update(
                inclusion_support=" ".join(rng.sample(INCLUSION_SUPPORT, 2)),
                extra_worker_available=rng.random() < 0.6,
            )
        fields["eligibility"] = self.eligibility(key, spec, fields, council)
        return ListingPlan(model, fields, taxonomy, staff_index)

    @staticmethod
    def eligibility(key: str, spec: Spec, fields: dict, council: bool) -> str:
        """Who can use it, as councils usually arrange it: overnight and council-run care
        after an assessment, transition and shared care on a professional's referral, personal
        assistants paid with a direct payment, clubs and activities open to all. Decided from
        the listing, not drawn at random, so the rest of the demo stays as it was."""
        if spec.kind == ListingKind.PERSONAL_ASSISTANT:
            return Eligibility.DIRECT_PAYMENT
        if fields.get("overnight") or (council and spec.kind == ListingKind.SHORT_BREAK):
            return Eligibility.ASSESSMENT
        if "transition" in key or "shared" in key:
            return Eligibility.REFERRAL
        return Eligibility.OPEN

    def funding(self, spec: Spec, council: bool, free: bool) -> list[str]:
        """Ways of paying: none needed when free (unless the council arranges it); a
        personal assistant always takes direct payments."""
        routes = self.some("funding_accepted", spec.funding, 1, 3)
        if free:
            routes = ["council-arranged"] if council else []
        elif council:
            routes = ["council-arranged", *routes]
        if spec.kind == ListingKind.PERSONAL_ASSISTANT:
            routes = ["direct-payment", *routes]
        present = self.slugs["funding_accepted"]
        return [r for r in dict.fromkeys(routes) if r in present]

    @staticmethod
    def unique_title(title: str, taken: set) -> str:
        candidate, n = title, 2
        while slugify(candidate) in taken:
            candidate, n = f"{title} ({n})", n + 1
        taken.add(slugify(candidate))
        return candidate

    # --- safeguarding and freshness mix ---

    def assign_safeguarding(self, orgs: list[OrgPlan]) -> None:
        """Most checks verified; a few self-declared, due soon, lapsed (some past the grace
        period, which hides the listings), and a few people with no check recorded. Lapsed
        checks go to small providers, so a few listings (not whole large providers) are hit."""
        left = [o for o in orgs if not o.demo_account]
        self.rng.shuffle(left)
        profiles = [(p, max(1, round(share * len(left)))) for p, share in DBS_MIX.items()]
        profiles.append(("none", round(NO_DBS_SHARE * len(left))))
        for profile, count in profiles:
            small = [o for o in left if len(o.listings) <= 3]
            pool = small if profile.startswith("lapsed") and len(small) >= count else left
            chosen = pool[:count]
            for org in chosen:
                first = org.listings[0]
                if first.staff_index is not None:
                    person = org.staff[first.staff_index]
                else:
                    person = self.rng.choice([s for s in org.staff if s.works_with_children])
                person.dbs = profile
            taken = {id(o) for o in chosen}
            left = [o for o in left if id(o) not in taken]

    def assign_freshness(self, orgs: list[OrgPlan]) -> None:
        """Most listings confirmed in the last few weeks; a few stale (shown lower, with a
        warning) and a few expired (out of the directory until the provider confirms)."""
        stale_weeks, expired_weeks = (
            settings.FRESHNESS_STALE_WEEKS,
            settings.FRESHNESS_EXPIRED_WEEKS,
        )
        listings = [(o, lp) for o in orgs for lp in o.listings]
        for _, listing in listings:
            listing.assured_days_ago = self.rng.randint(0, max(0, stale_weeks * 7 - 14))
        demo = [lp for o, lp in listings if o.demo_account == "demo-provider"]
        eligible = [lp for o, lp in listings if not o.demo_account]
        self.rng.shuffle(eligible)
        stale = max(1, round(STALE_SHARE * len(listings)))
        expired = max(1, round(EXPIRED_SHARE * len(listings)))
        stale_listings = eligible[:stale] + demo[1:2]  # the demo provider has one to confirm
        for listing in stale_listings:
            listing.freshness = Freshness.STALE
            low = max(stale_weeks * 7 + 7, 14 * 7)
            high = min(expired_weeks * 7 - 7, 20 * 7)
            listing.assured_days_ago = self.rng.randint(min(low, high), max(low, high))
        for listing in eligible[stale : stale + expired]:
            listing.freshness = Freshness.EXPIRED
            listing.assured_days_ago = self.rng.randint(
                expired_weeks * 7 + 7, expired_weeks * 7 + 100
            )
