"""What may not reach a provider before the family has agreed to share it.

A broker's note to providers travels with the anonymised summary, before the family has chosen
anyone or consented to share their details. `personal_details_in(note, request)` finds what
would identify the family or the child in it: their names, their contact details and where
they live beyond the postcode district, checked against the request's own data and against
the shapes such details take (phone numbers, email addresses, postcodes, street addresses).
"""

import re

from django.contrib.auth import get_user_model

from .models import FamilyProfile, SupportRequest

EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
# Ten or more digits, however spaced or punctuated, with or without +44: a phone number.
PHONE = re.compile(r"(?:\+\s*44|\b0)(?:[\s\-().]*\d){9,10}\b")
# A postcode sector or a full postcode ("NE46 3", "NE46 3AB"); the district alone is allowed.
BEYOND_DISTRICT = re.compile(
    r"\b[A-Z]{1,2}[0-9][A-Z0-9]?(?:\s+[0-9](?:[A-Z]{2})?|[0-9][A-Z]{2})\b", re.I
)
# A house number, one to three capitalised words, and a street word: "12 Priestpopple Road".
# The name must be capitalised, so "aged 12, likes the park" is not an address.
STREET = re.compile(
    r"\b\d+[a-z]?,?\s+(?:[A-Z][\w'-]*\s+){1,3}"
    r"(?i:street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|terrace|crescent|place|"
    r"court|gardens|grove|walk|square|row|mews|view|hill|green|park|rise)\b"
)
NAME_MIN_LETTERS = 2


def names_of(request: SupportRequest, user, profile: FamilyProfile | None) -> set[str]:
    """Every name the family gave us, each word on its own ("Sarah", "Jones")."""
    names = {request.child_first_name, request.contact_name, user.first_name, user.last_name}
    if profile:
        names.add(profile.contact_name)
    words = set()
    for name in names:
        for word in re.split(r"[\s,]+", name or ""):
            word = word.strip(".'-")
            if len(word) >= NAME_MIN_LETTERS:
                words.add(word)
    return words


def personal_details_in(note: str, request: SupportRequest) -> list[str]:
    """What in `note` would identify the family or the child, in plain words (empty if none)."""
    user = get_user_model().objects.get(pk=request.family_id)  # as the family has it now
    profile = FamilyProfile.objects.filter(user=user).first()
    found = []
    if request.child_first_name and mentions(note, request.child_first_name):
        found.append("the child's name")
    names = names_of(request, user, profile) - {request.child_first_name}
    if any(mentions(note, name) for name in names):
        found.append("the family's names")
    email = user.email.lower()
    if EMAIL.search(note) or (email and email in note.lower()):
        found.append("an email address")
    digits = re.sub(r"\D", "", note)
    known = {request.contact_phone, profile.contact_phone if profile else ""}
    known = {re.sub(r"\D", "", phone or "") for phone in known}
    if PHONE.search(note) or any(len(phone) >= 6 and phone in digits for phone in known):
        found.append("a phone number")
    if BEYOND_DISTRICT.search(note) or STREET.search(note):
        found.append("an address or a postcode beyond its first half")
    return found


def mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.I) is not None


def refusal(found: list[str]) -> str:
    return (
        f"Take out {', '.join(found[:-1]) + ' and ' if len(found) > 1 else ''}{found[-1]} "
        "from the note. Providers read it before the family has agreed to share their details."
    )
