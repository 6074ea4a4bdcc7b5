"""Reach, counted by the daily job (`refresh.refresh_figures`): for every ward of the councils
the site serves, the services within reach for every filter the dashboard offers that narrows
the services (kind, need, age band, each or all), so a view reads one slice of an index
(`models.ReachCount`) instead of measuring every ward against every listing.

The wards are placed and classed as the live count does (`reach.py`), and the services in
reach of each are found once, unfiltered (`reach.in_reach`); each is then counted under every
filter it satisfies: its kind and "every kind", each need it supports and "every need", each
age band its ages overlap and "every age". Services that serve a council are counted once a
council and added to each of its wards."""

import itertools
from collections import Counter

from django.db import connection

from directory.models import ListingPage
from search.demand import AGE_BANDS

from .models import ALL, ReachCount, ReachWard
from .reach import classify_density, classify_ons, in_reach, wards

BATCH = 5000


def filter_keys(services) -> dict[int, list[tuple[str, str, str]]]:
    """Every (kind, need, age band) a service counts under, by its id."""
    needs: dict[int, list[str]] = {}
    through = ListingPage.needs.through.objects.filter(listingpage_id__in=services.values("pk"))
    for pk, slug in through.values_list("listingpage_id", "need__slug").order_by():
        needs.setdefault(pk, []).append(slug)
    keys = {}
    for pk, kind, low, high in services.values_list("pk", "kind", "age_min", "age_max"):
        bands = [ALL]
        if low is not None and high is not None:
            bands += [
                label
                for band_low, band_high, label in AGE_BANDS
                if low <= band_high and high >= band_low
            ]
        keys[pk] = list(itertools.product((ALL, kind), (ALL, *needs.get(pk, ())), bands))
    return keys


def tally(pks, keys) -> Counter:
    return Counter(itertools.chain.from_iterable(keys[pk] for pk in pks if pk in keys))


def count_reach_daily(councils: set[str]) -> int:
    """Replace the wards of `councils` (those served) and their counts (the caller holds the
    transaction). Returns the number of count rows written."""
    for model in (ReachWard, ReachCount):
        model.objects.all()._raw_delete(connection.alias)
    areas = wards(councils)
    if not areas:
        return 0
    classify_ons(areas, councils)
    classify_density([area for area in areas if area.ons is None])
    services = ListingPage.objects.in_directory().order_by()
    found = in_reach(areas, services)
    keys = filter_keys(services)
    ReachWard.objects.bulk_create(
        [
            ReachWard(
                code=a.code,
                name=a.name,
                council=a.council,
                latitude=a.latitude,
                longitude=a.longitude,
                ons=a.ons,
                rural=a.rural,
                radius=a.radius,
            )
            for a in areas
        ],
        batch_size=BATCH,
    )
    by_council = {code: tally(pks, keys) for code, pks in found.serving.items()}
    none: Counter = Counter()
    written, batch = 0, []
    for i, area in enumerate(areas):
        venues = tally(found.venues(i), keys)
        coming = by_council.get(area.council, none) + tally(found.travellers[i], keys)
        for kind, need, band in venues.keys() | coming.keys():
            batch.append(
                ReachCount(
                    ward_code=area.code,
                    council=area.council,
                    kind=kind,
                    need=need,
                    age_band=band,
                    venues=venues[kind, need, band],
                    coming=coming[kind, need, band],
                )
            )
        if len(batch) >= BATCH:
            ReachCount.objects.bulk_create(batch)
            written, batch = written + len(batch), []
    ReachCount.objects.bulk_create(batch)
    return written + len(batch)
