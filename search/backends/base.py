"""What every search backend shares, so that they cannot drift apart (docs/decisions/0005):
widening the radius, combining "where can I go?" and "who can come to me?" with their
reasons, scoring the family's words, ordering and paging. A backend module subclasses
`RankingBackend` and supplies how its store finds the candidates; `search.backends` loads the
one that settings name."""

import datetime

from django.conf import settings

from core.dates import today
from directory import rules
from directory.choices import ListingKind
from directory.models import ListingPage

from ..query import Match, Mode, SearchQuery, SearchResults, Sort, miles_words

# A personal assistant, or a listing with no venue, has a private position (rules.py); written
# out here because it is checked for every match of every search.
PERSONAL_ASSISTANT = ListingKind.PERSONAL_ASSISTANT.value


class RankingBackend:
    """What every backend shares, so they cannot drift apart: widening the radius, combining
    the two questions with their reasons, ordering, paging (docs/decisions/0005). A backend
    supplies `candidates`, `where_can_i_go`, `come_to_me`, `listing_rows` and `facet_counts`.
    """

    name = ""
    keeps_index = False  # True when the backend searches an index that follows the directory

    def search(self, query: SearchQuery) -> SearchResults:
        base = self.candidates(query)
        if query.place is None:
            return self.without_place(query, base)
        steps = query.radius_steps()
        enough = settings.SEARCH_ENOUGH_RESULTS
        come = self.come_to_me(query, base) if query.mode != Mode.GO else {}
        tried, matches = [], []
        for radius in steps:
            tried.append(radius)
            go = self.where_can_i_go(query, base, radius) if query.mode != Mode.COME else {}
            matches = self.combine(query, go, come)
            near = sum(1 for m in matches if m.near)  # council-wide services are not "near"
            # Only venues depend on the radius: a search for who comes to the family is done.
            if near >= enough or query.radius_miles is not None or query.mode == Mode.COME:
                break
        radius = tried[-1] if tried else None
        return self.finish(query, matches, radius, tried)

    # --- putting it together -----------------------------------------------------------------

    def combine(self, query, go: dict, come: dict) -> list[Match]:
        cutoffs = rules.Cutoffs.on(today())
        matches = {}
        for pk, (row, miles) in go.items():
            match = matches[pk] = make_match(row, miles, cutoffs)
            match.near = match.in_radius = True
            match.reasons.append(f"You travel {match.distance_band} to get there")
        area = query.place.local_authority_name or "your council area"
        for pk, (row, miles, within, serving) in come.items():
            match = matches.get(pk)
            if match is None:
                match = matches[pk] = make_match(row, miles, cutoffs)
            match.comes_to_you = True
            match.within_reach = within
            match.near = match.near or within
            why = []
            if within:
                travels = miles_words(row[6])
                if match.private_position:
                    why.append(
                        f"Comes to you: travels up to {travels} from their area, "
                        f"which is {match.distance_band} from you"
                    )
                else:
                    why.append(
                        f"Comes to you: travels up to {travels}, "
                        f"and you are {match.distance_band} away"
                    )
            if serving:
                match.covers_area = area
                why.append(f"Comes to families anywhere in {area}")
            match.reasons = why + match.reasons
        return list(matches.values())

    def finish(self, query, matches, radius, tried) -> SearchResults:
        if query.sort == Sort.RELEVANCE and query.text.strip():
            score_text(matches, query.text)
        order(matches, query.sort)
        facets = self.facet_counts(matches)
        start = (max(1, query.page) - 1) * query.page_size
        places = sum(1 for m in matches if m.in_radius)
        travelling = sum(1 for m in matches if m.near and not m.in_radius)
        area_wide = sum(1 for m in matches if m.area_only)
        return SearchResults(
            query=query,
            matches=matches[start : start + query.page_size],
            total=len(matches),
            radius_miles=radius,
            tried_radii=tried,
            facets=facets,
            backend=self.name,
            places=places,
            travelling=travelling,
            area_wide=area_wide,
            area_name=query.place.local_authority_name if query.place else "",
        )

    def without_place(self, query, base) -> SearchResults:
        cutoffs = rules.Cutoffs.on(today())
        matches = [make_match(row, None, cutoffs) for row in self.listing_rows(base)]
        return self.finish(query, matches, None, [])


def make_match(row, miles: float | None, cutoffs: rules.Cutoffs) -> Match:
    """A listing that passed the filters (so is visible, and confirmed at some date), with
    whether it ranks as stale."""
    assured = row[7]
    return Match(
        listing_id=row[0],
        distance_miles=round(miles, 1) if miles is not None else None,
        miles=miles,
        comes_to_you=False,
        reasons=[],
        stale=rules.is_stale(assured, cutoffs),
        title=row[1],
        assured_date=assured,
        kind=row[8],
        has_space=bool(row[9]),
        private_position=row[8] == PERSONAL_ASSISTANT or not row[4],  # rules.private_position
    )


TEXT_WEIGHTS = (3, 2, 1)  # a word in the name counts most, then the summary, then the rest


def score_text(matches: list[Match], text: str) -> None:
    """How well each listing matches the family's words: for each word, the weight of the
    best place it appears (name, summary, description). Every match has every word somewhere
    (the filter saw to that), so the score orders, it never excludes."""
    words = [w.lower() for w in text.split()[:8]]
    ids = [m.listing_id for m in matches]
    texts = {
        pk: (title.lower(), summary.lower(), description.lower())
        for pk, title, summary, description in ListingPage.objects.filter(pk__in=ids).values_list(
            "pk", "title", "summary", "description"
        )
    }
    for match in matches:
        fields = texts.get(match.listing_id, ("", "", ""))
        match.score = sum(
            next(
                (
                    weight
                    for weight, field in zip(TEXT_WEIGHTS, fields, strict=True)
                    if word in field
                ),
                0,
            )
            for word in words
        )


def order(matches: list[Match], sort: Sort) -> None:
    """Services that come only because they cover the family's whole council area are listed
    apart, after everything near, with no distance claimed; then the chosen order.

    Nearest first is by real distance for every listing: to the venue, or from where a
    provider who comes to the family is based (a person's district centre). Ties (people in
    the same district) go to those with space now, then the fresher (current before stale,
    then the most recently checked), then the name. The council-wide part, having no
    distance, goes by those ties alone. By relevance or by date checked, stale listings rank
    after current ones; by relevance the best match to the family's words comes first, then
    the nearest."""
    oldest = datetime.date.min

    def distance(m: Match) -> float:
        if m.area_only:
            return 0.0
        return m.miles if m.miles is not None else float("inf")

    def then(m: Match) -> tuple:
        fresh = (m.stale, -(m.assured_date or oldest).toordinal())
        return (not m.has_space, *fresh, m.title, m.listing_id)

    if sort == Sort.RELEVANCE:
        matches.sort(key=lambda m: (m.area_only, m.stale, -m.score, distance(m), *then(m)))
    elif sort == Sort.CHECKED:
        matches.sort(
            key=lambda m: (m.area_only, m.stale, -(m.assured_date or oldest).toordinal(), m.title)
        )
    else:
        matches.sort(key=lambda m: (m.area_only, distance(m), *then(m)))
