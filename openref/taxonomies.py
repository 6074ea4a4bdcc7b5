"""Our classifications published as Open Referral UK taxonomies, with stable term ids.

Taxonomies kept as snippets (service types, needs, skills, access features, ways of paying)
give their rows' own `uuid` as the term id. Those defined in code (kinds of listing, how a
service is delivered, checks and awards) get an id derived from their code. A listing's terms
become its `attributes`; the DBS badge and the kitemark are terms of "checks and awards" whose
attribute carries the badge's words, never a certificate number.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from types import SimpleNamespace

from django.db.models import Q
from django.utils.dateformat import format as date_format
from django.utils.translation import get_language

from core.dates import today
from directory.badges import dbs_badge
from directory.choices import DBSStatus, ListingKind
from directory.models import AccessFeature, FundingRoute, Need, ServiceType, Skill

from .ids import compact, named
from .queries import related


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    description: str
    code: str
    taxonomy: "Taxonomy"
    q: Q = field(compare=False)  # the listings that have this term

    @cached_property
    def json(self) -> dict:
        """`term_json`, compact, made once a term: every service's attributes show it. Shared:
        read it, never change it."""
        return compact(term_json(self))


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str
    link_type: str
    model: type | None = None  # a snippet whose rows are the terms
    relation: str = ""  # the listing's many-to-many to `model`
    fixed: tuple = ()  # (code, name, description, Q) for terms defined in code

    @cached_property
    def id(self) -> str:
        return named("taxonomy", self.key)

    def terms(self) -> list[Term]:
        if self.model is None:
            return [
                Term(named("term", self.key, code), name, description, code, self, q)
                for code, name, description, q in self.fixed
            ]
        rows = self.model.objects.order_by("sort_order", "name")
        return [self.term_of(row) for row in rows]

    def term_of(self, row) -> Term:
        # Made once for each row read: a batch of services shares its rows (`queries.nest`).
        term = row.__dict__.get("_openref_term")
        if term is None or term.taxonomy is not self:
            term = row.__dict__["_openref_term"] = self._term_of(row)
        return term

    def _term_of(self, row) -> Term:
        return Term(
            str(row.uuid),
            row.name,
            row.description,
            row.slug,
            self,
            Q(**{self.relation: row.pk}),
        )

    def any_term_q(self) -> Q:
        if self.model is None:
            combined = Q(pk__in=[])
            for *_, q in self.fixed:
                combined |= q
            return combined
        return Q(**{f"{self.relation}__isnull": False})


def kitemark_q() -> Q:
    return Q(status__kitemark_expires_on__gte=today())


TAXONOMIES = [
    Taxonomy(
        "kinds",
        "Kinds of listing",
        "What a listing is: a short break service, a personal assistant, or an inclusive club.",
        "service_type",
        fixed=tuple(
            (kind.value, kind.label, kind.label, Q(kind=kind.value)) for kind in ListingKind
        ),
    ),
    Taxonomy(
        "service-types",
        "Service types",
        "The kinds of short break on offer, such as day care, overnight stays or youth clubs.",
        "service_type",
        model=ServiceType,
        relation="service_types",
    ),
    Taxonomy(
        "needs",
        "Needs supported",
        "The needs and conditions of the children and young people a service supports.",
        "eligibility",
        model=Need,
        relation="needs",
    ),
    Taxonomy(
        "skills",
        "Skills",
        "Skills and training the staff or personal assistant have.",
        "staff_skill",
        model=Skill,
        relation="skills",
    ),
    Taxonomy(
        "access-features",
        "Access and sensory features",
        "Features of a venue that make it accessible.",
        "accessibility",
        model=AccessFeature,
        relation="access_features",
    ),
    Taxonomy(
        "ways-of-paying",
        "Ways of paying",
        "How families can pay: a direct payment, a personal budget, paying themselves...",
        "payment",
        model=FundingRoute,
        relation="funding_accepted",
    ),
    Taxonomy(
        "delivery",
        "How it is delivered",
        "Where the service happens: at a venue, at the family's home or in their area, online.",
        "delivery",
        fixed=(
            ("at-venue", "At a venue", "Families come to a venue.", Q(at_venue=True)),
            (
                "comes-to-family",
                "Comes to the family",
                "Comes to the family's home or area.",
                Q(comes_to_family=True),
            ),
            ("online", "Online", "Delivered online.", Q(online=True)),
        ),
    ),
    Taxonomy(
        "checks-and-awards",
        "Checks and awards",
        "The council's DBS check badge and the young people's kitemark. The attribute's value "
        "says what was checked and when; certificate numbers are never published.",
        "accreditation",
        fixed=tuple(
            (
                f"dbs-{status.value.replace('_', '-')}",
                f"DBS check: {status.label.lower()}",
                f"The DBS check badge of the listing is '{status.label.lower()}'.",
                Q(status__dbs_status=status.value),
            )
            for status in DBSStatus
        )
        + (
            (
                "kitemark",
                "Kitemark",
                "Awarded a kitemark by the panel of disabled and non-disabled young people.",
                # Evaluated per query in `term_q`: the date moves on.
                None,
            ),
        ),
    ),
]
TAXONOMIES_BY_ID = {taxonomy.id: taxonomy for taxonomy in TAXONOMIES}


def term_q(term: Term) -> Q:
    if term.q is None:
        return kitemark_q()
    return term.q


def taxonomy_q(taxonomy: Taxonomy) -> Q:
    if taxonomy.key == "checks-and-awards":
        return Q(status__isnull=False)
    return taxonomy.any_term_q()


def all_terms() -> list[Term]:
    return [term for taxonomy in TAXONOMIES for term in taxonomy.terms()]


def find_term(term_id: str) -> Term | None:
    for taxonomy in TAXONOMIES:
        if taxonomy.model is None:
            for term in taxonomy.terms():
                if term.id == term_id:
                    return term
        else:
            row = taxonomy.model.objects.filter(uuid=term_id).first()
            if row is not None:
                return taxonomy.term_of(row)
    return None


def term_json(term: Term) -> dict:
    return {
        "id": term.id,
        "name": term.name,
        "description": term.description or term.name,
        "taxonomy": term.taxonomy.name,
        "taxonomy_id": term.taxonomy.id,
        "term": term.code,
    }


def taxonomy_json(taxonomy: Taxonomy, with_terms: bool = False) -> dict:
    data = {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description}
    if with_terms:
        data["taxonomy_terms"] = [term_json(term) for term in taxonomy.terms()]
    return data


# The terms defined in code, by (taxonomy key, code): the same as `Taxonomy.terms()` gives.
FIXED_TERMS = {
    (taxonomy.key, code): Term(
        named("term", taxonomy.key, code), name, description, code, taxonomy, q
    )
    for taxonomy in TAXONOMIES
    for code, name, description, q in taxonomy.fixed
}
DELIVERY_FLAGS = (
    ("at_venue", "at-venue"),
    ("comes_to_family", "comes-to-family"),
    ("online", "online"),
)


def listing_terms(listing, on: datetime.date | None = None) -> list[tuple[Term, str]]:
    """The listing's terms with the attribute's value: (term, value or "").

    Reads the relations `openref.queries.nest` read, when it has."""
    found: list[tuple[Term, str]] = []
    if kind := FIXED_TERMS.get(("kinds", listing.kind)):
        found.append((kind, ""))
    for taxonomy in TAXONOMIES:
        if taxonomy.model is not None:
            for row in related(listing, taxonomy.relation):
                found.append((taxonomy.term_of(row), ""))
    for flag, code in DELIVERY_FLAGS:
        if getattr(listing, flag):
            found.append((FIXED_TERMS["delivery", code], ""))
    found.extend(check_terms(listing, on))
    return found


def check_terms(listing, on: datetime.date | None = None) -> list[tuple[Term, str]]:
    """The listing's terms of "checks and awards", its DBS badge and kitemark, with the
    attribute's value: from its status alone."""
    status = getattr(listing, "status", None)
    if status is None:
        return []
    found = []
    dbs = FIXED_TERMS.get(("checks-and-awards", f"dbs-{status.dbs_status.replace('_', '-')}"))
    if dbs:
        found.append((dbs, dbs_label(status)))
    if status.kitemarked(on or today()):
        expires = date_format(status.kitemark_expires_on, "j F Y")
        kitemark = FIXED_TERMS["checks-and-awards", "kitemark"]
        found.append((kitemark, f"Kitemark awarded, valid until {expires}"))
    return found


def dbs_label(status) -> str:
    """The public badge's words: level and verification date, never the certificate."""
    return _dbs_label(
        status.dbs_status,
        status.dbs_level,
        status.dbs_verified_on,
        status.dbs_next_due,
        get_language(),
    )


@lru_cache(maxsize=4096)
def _dbs_label(dbs_status, dbs_level, dbs_verified_on, dbs_next_due, language) -> str:
    # Remembered: formatting the date is most of a service's accreditation, and a directory
    # has a few thousand different badges. The badge reads these fields alone (a stand-in
    # without one would fail, not go stale).
    status = SimpleNamespace(
        dbs_status=dbs_status,
        dbs_level=dbs_level,
        dbs_verified_on=dbs_verified_on,
        dbs_next_due=dbs_next_due,
    )
    return dbs_badge(status).label
