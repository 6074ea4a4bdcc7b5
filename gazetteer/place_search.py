"""Finding the places a family means by the words they typed, offline.

Tried in turn, the first that finds anything wins:
1. the name or another name of a place ("Hexham", "Newcastle", "Jesmond", "NE6");
2. names starting with the words typed, from 3 letters ("Haltwh");
3. names one typing slip away: a letter missed, added, changed or two swapped ("Hexam").

Within one council a place whose own name was typed hides places that only answer to it as
another name (Hexham the town, not the wards Hexham East and Hexham West), and a town hides
wards, councils and outcodes (Bellingham the village, not its ward; Berwick-upon-Tweed, not
the wards Berwick North and Berwick East), a ward hides councils and outcodes. The rest are
ordered by likelihood: population (in bands of ten times: 1,000s, 10,000s ...), then nearness
to `home` (the councils the site serves), then name.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from .models import PlaceAlias, PlaceName
from .names import place_key

MAX_PLACES = 10
MIN_PREFIX = 3
MIN_TYPO = 4
KIND_ORDER = {PlaceName.TOWN: 0, PlaceName.WARD: 1, PlaceName.COUNCIL: 2, PlaceName.OUTCODE: 3}
EXACT, START, TYPO = "exact", "start", "typo"
OUTCODE_RE = re.compile(r"[a-z]{1,2}[0-9][0-9a-z]?")


@dataclass
class Found:
    places: list[PlaceName]
    how: str = EXACT  # EXACT, START or TYPO


def search_key(text: str) -> str:
    """`place_key`, with an outcode's spaces dropped: "ne 6" is NE6."""
    key = place_key(text)
    compact = key.replace(" ", "")
    return compact if OUTCODE_RE.fullmatch(compact) else key


def find(text: str, home: list[tuple[float, float]] = ()) -> Found:
    key = search_key(text)
    if not key:
        return Found([])
    places = matching({key}, home)
    if places or OUTCODE_RE.fullmatch(key):
        return Found(places, EXACT)  # an outcode is never guessed at: "NE99" is not NE9
    if len(key) >= MIN_PREFIX:
        starting = list(PlaceName.objects.filter(key__startswith=key)[:200])
        places = likeliest(starting, {p.key for p in starting}, home)
        if places:
            return Found(places[:MAX_PLACES], START)
    if len(key) >= MIN_TYPO:
        keys = one_slip_away(key)
        if keys:
            return Found(matching(keys, home), TYPO)
    return Found([])


def answers_to(place: PlaceName, text: str) -> bool:
    """Whether `place` is one a family typing `text` may have chosen: its name or another
    name, a name starting with it, or one slip away."""
    key = place_key(text)
    if not key:
        return False
    keys = {place.key, *place.aliases.values_list("key", flat=True)}
    if key in keys or (len(key) >= MIN_PREFIX and place.key.startswith(key)):
        return True
    return len(key) >= MIN_TYPO and any(one_slip(key, k) for k in keys)


def matching(keys: set[str], home) -> list[PlaceName]:
    places = list(
        PlaceName.objects.filter(Q(key__in=keys) | Q(aliases__key__in=keys)).distinct()[:200]
    )
    return likeliest(places, keys, home)[:MAX_PLACES]


def likeliest(places: list[PlaceName], keys: set[str], home) -> list[PlaceName]:
    by_council: dict[str, list[PlaceName]] = defaultdict(list)
    for place in places:
        by_council[place.local_authority_code].append(place)
    kept = []
    for group in by_council.values():
        group = [p for p in group if p.key in keys] or group
        best = min(KIND_ORDER[p.kind] for p in group)
        kept += [p for p in group if KIND_ORDER[p.kind] == best]
    return sorted(kept, key=lambda p: (-size_band(p.population), distance(p, home), p.name))


def size_band(population: int) -> int:
    return int(math.log10(population)) if population > 0 else 0


def distance(place: PlaceName, home) -> float:
    """Roughly in degrees of latitude: enough to order by."""
    return min(
        (math.hypot(place.latitude - lat, (place.longitude - lon) * 0.6) for lat, lon in home),
        default=0.0,
    )


def one_slip_away(key: str) -> set[str]:
    """Known names (and other names) one slip from `key`, among those with the same first
    letter: a slip in the first letter is rarer, and this keeps the look-up small."""
    candidates = set(PlaceName.objects.filter(key__startswith=key[0]).values_list("key", flat=True))
    candidates |= set(
        PlaceAlias.objects.filter(key__startswith=key[0]).values_list("key", flat=True)
    )
    return {c for c in candidates if abs(len(c) - len(key)) <= 1 and one_slip(key, c)}


def one_slip(a: str, b: str) -> bool:
    """True if `a` and `b` differ by one letter missed, added, changed, or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]
