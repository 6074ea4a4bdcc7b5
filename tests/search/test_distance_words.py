"""How a distance reads: always with its unit, one mile in the singular, "about" under a mile,
and for a person a band from their district's centre."""

import pytest

from search.query import Match, SearchQuery, SearchResults, how_far, miles_words


@pytest.mark.parametrize(
    ("miles", "words"),
    [
        (0.02, "less than 0.1 miles"),
        (0.46, "about 0.5 miles"),
        (0.7, "about 0.7 miles"),
        (0.96, "1 mile"),
        (1.4, "1 mile"),
        (1.5, "2 miles"),
        (8.4, "8 miles"),
        (8.6, "9 miles"),
        (27.0, "27 miles"),
        (1, "1 mile"),
        (45, "45 miles"),
    ],
)
def test_a_distance_always_has_its_unit(miles, words):
    assert miles_words(miles) == words


@pytest.mark.parametrize(
    ("miles", "private", "words"),
    [
        (8.6, False, "9 miles away"),
        (0.5, False, "about 0.5 miles away"),
        (3.2, True, "within 5 miles"),
        (8.6, True, "5 to 10 miles away"),
        (12.0, True, "10 to 20 miles away"),
        (27.0, True, "more than 20 miles away"),
    ],
)
def test_a_persons_distance_is_a_band(miles, private, words):
    assert how_far(miles, private) == words


def test_a_venues_distance_band_reads_in_whole_miles_and_a_persons_as_a_band():
    venue = Match(listing_id=1, distance_miles=8.6, comes_to_you=False, reasons=[])
    person = Match(
        listing_id=2, distance_miles=8.6, comes_to_you=True, reasons=[], private_position=True
    )
    assert venue.distance_band == "9 miles"
    assert person.distance_band == "5 to 10 miles"


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ((1, 0, 0), "Showing 1 place within 10 miles."),
        (
            (2, 1, 0),
            "Showing 2 places within 10 miles and 1 person or service who travels as far as you.",
        ),
        (
            (0, 3, 1),
            "Showing 3 people and services who travel as far as you"
            " and 1 service covering all of Northumberland.",
        ),
        ((0, 0, 0), "Showing 0 results within 10 miles."),
    ],
)
def test_the_count_names_each_kind_of_result_in_the_singular_or_plural(counts, message):
    places, travelling, area_wide = counts
    results = SearchResults(
        SearchQuery(),
        [],
        sum(counts),
        10.0,
        [10.0],
        {},
        "embedded",
        places=places,
        travelling=travelling,
        area_wide=area_wide,
        area_name="Northumberland",
    )
    assert results.message == message
