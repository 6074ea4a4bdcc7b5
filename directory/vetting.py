"""Vetting a provider application: does it look like an organisation already in the directory?

Council staff reviewing an application are warned, with a link to each organisation it
matches and what matched: the organisation's name (ignoring case, punctuation, "The", "Ltd"
and the like), its charity or company number, its email domain (never a free-mail domain such
as gmail.com, which thousands share), or its postcode (the organisation's, or one of its
listings' venues). A match is a question for staff, not a refusal: one charity may rightly run
two registrations. Reads only."""

import re
from dataclasses import dataclass

from django.db.models import Q

from .models import ListingPage, Organisation, ProviderApplication

FREE_MAIL_DOMAINS = frozenset(
    """aol.com aol.co.uk btinternet.com btopenworld.com gmail.com googlemail.com gmx.com
    gmx.co.uk hotmail.com hotmail.co.uk icloud.com live.com live.co.uk mac.com mail.com me.com
    msn.com outlook.com outlook.co.uk proton.me protonmail.com sky.com talktalk.net
    tiscali.co.uk virginmedia.com yahoo.com yahoo.co.uk ymail.com""".split()
)
# Words that do not tell one organisation from another.
NOISE_WORDS = frozenset(
    "the ltd limited cic llp plc co company uk charity charitable incorporated cio".split()
)


@dataclass(frozen=True)
class PossibleDuplicate:
    organisation: Organisation
    what: str  # "Same name", "Same charity number"...
    detail: str  # what was the same, e.g. "tynedale.example"


def normalised_name(name: str) -> str:
    words = re.sub(r"[^a-z0-9 ]+", " ", (name or "").lower().replace("&", " and ")).split()
    return " ".join(word for word in words if word not in NOISE_WORDS)


def normalised_postcode(postcode: str) -> str:
    return "".join((postcode or "").upper().split())


def email_domain(address: str) -> str:
    return (address or "").rpartition("@")[2].strip().lower()


def possible_duplicates(application: ProviderApplication) -> list[PossibleDuplicate]:
    """Existing organisations the application matches, each with every way it matches; the
    organisation the application itself became (once admitted) is left out."""
    others = Organisation.objects.all()
    if application.organisation_id:
        others = others.exclude(pk=application.organisation_id)
    found: list[PossibleDuplicate] = []

    name = normalised_name(application.organisation_name)
    if name:
        # Names are compared after normalising, in Python, among those sharing a word.
        first = name.split()[0]
        for organisation in others.filter(name__icontains=first):
            if normalised_name(organisation.name) == name:
                found.append(PossibleDuplicate(organisation, "Same name", organisation.name))

    for field, what in (
        ("charity_number", "Same charity number"),
        ("company_number", "Same company number"),
    ):
        value = getattr(application, field)
        if value:
            for organisation in others.filter(**{f"{field}__iexact": value}):
                found.append(PossibleDuplicate(organisation, what, value))

    domain = email_domain(application.email)
    if domain and domain not in FREE_MAIL_DOMAINS:
        ending = f"@{domain}"
        matching = others.filter(
            Q(email__iendswith=ending) | Q(editors__user__email__iendswith=ending)
        ).distinct()
        for organisation in matching:
            found.append(PossibleDuplicate(organisation, "Same email domain", domain))

    postcode = normalised_postcode(application.postcode)
    if postcode:
        spaced = f"{postcode[:-3]} {postcode[-3:]}"
        venues = ListingPage.objects.filter(postcode__in=[postcode, spaced]).values(
            "organisation_id"
        )
        matching = others.filter(Q(postcode__in=[postcode, spaced]) | Q(pk__in=venues)).distinct()
        for organisation in matching:
            found.append(PossibleDuplicate(organisation, "Same postcode", spaced))

    found.sort(key=lambda match: (match.organisation.name, match.what))
    return found
