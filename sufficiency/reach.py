"""Reach: for each ward of the councils the site serves, how many published venues are within a
family's reasonable travel distance of its centre, and how many services come to families
there. The wards with the fewest come first: they are the gaps.

A ward is a `gazetteer.PlaceName` (an electoral ward of OS Code-Point Open), placed at the mean
position of its live postcodes (worked out by `load_gazetteer`). Distances are measured from
that centre as search measures them from a family: venues within the first radius search tries
(`SEARCH_RURAL_RADII[0]` for a rural place, `SEARCH_URBAN_RADII[0]` for an urban one), and
services that come to families whose own travel radius reaches the centre or who serve its
council. Each candidate is bounded by a latitude/longitude box first, then measured exactly
(haversine) here: a fixed handful of queries, whatever the number of wards or listings."""

import bisect
import dataclasses
import hashlib
import math
import statistics

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Q

from directory.models import ListingPage
from gazetteer.models import PlaceName, Postcode, RuralUrbanClass, TerminatedPostcode
from search.places import DENSITY_RADIUS_MILES
from search.query import MILES_PER_DEGREE_LATITUDE, bounding_box, miles_from

from .demand import council_names, served_councils
from .filters import Filters
from .models import ALL, ReachCount, ReachWard
from .supply import RURAL_CODE, listings
from .tables import COUNT, LABEL, NUMBER, TEXT, Column, Table, plural

RURAL, URBAN = "Rural", "Urban"
DENSITY_CHUNK = 500  # wards measured in one query
CLASSES_CACHE_SECONDS = 24 * 60 * 60
SHOWN = 50  # wards on screen, fewest first: the download has every one


@dataclasses.dataclass
class Area:
    code: str  # the ward's ONS code
    name: str
    council: str
    latitude: float
    longitude: float
    ons: str | None = None  # RURAL, URBAN or None: the ONS class, when it is imported
    rural: bool = False  # what search would use for a family here (ONS, else density)
    radius: float = 0
    venues: int = 0
    coming: int = 0


def wards(councils: set[str]) -> list[Area]:
    rows = PlaceName.objects.filter(
        kind=PlaceName.WARD, local_authority_code__in=councils
    ).values_list("ward_code", "name", "local_authority_code", "latitude", "longitude")
    return [Area(*row) for row in rows.order_by()]


def classify_ons(areas: list[Area], councils: set[str]) -> None:
    """Each ward takes the ONS class of the classified LSOA (of its own council) whose centre
    is nearest its own: a ward has no single LSOA. One aggregate query for the LSOA centres."""
    classified = RuralUrbanClass.objects.values("lsoa11")
    rural = set(RuralUrbanClass.objects.filter(RURAL_CODE).values_list("lsoa11", flat=True))
    centres: dict[str, list] = {}
    rows = (
        Postcode.objects.filter(local_authority_code__in=councils, lsoa11__in=classified)
        .values("local_authority_code", "lsoa11")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
        .order_by()
    )
    for row in rows:
        centres.setdefault(row["local_authority_code"], []).append(
            (row["lat"], row["lon"], row["lsoa11"] in rural)
        )
    for area in areas:
        nearby = centres.get(area.council)
        if not nearby:
            continue
        miles_to = miles_from(area.latitude, area.longitude)
        _lat, _lon, is_rural = min(nearby, key=lambda c: miles_to(c[0], c[1]))
        area.ons = RURAL if is_rural else URBAN
        area.rural = is_rural


def classify_density(areas: list[Area]) -> None:
    """Wards with no ONS class are rural or urban by postcode density, as search classes a
    place found by name (`search.places.classify`): live and terminated postcodes in the box a
    mile around the centre. One query for up to DENSITY_CHUNK wards: a correlated count a ward,
    each an index range scan, as search's own."""
    tables = [connection.ops.quote_name(m._meta.db_table) for m in (Postcode, TerminatedPostcode)]
    real = "CAST(%s AS DOUBLE PRECISION)"
    counts = " + ".join(
        f"(SELECT COUNT(*) FROM {table} WHERE latitude >= box.south "  # noqa: S608
        "AND latitude <= box.north AND longitude >= box.west AND longitude <= box.east)"
        for table in tables
    )
    for start in range(0, len(areas), DENSITY_CHUNK):
        chunk = areas[start : start + DENSITY_CHUNK]
        values = ", ".join([f"(%s, {real}, {real}, {real}, {real})"] * len(chunk))
        params = []
        for i, area in enumerate(chunk):
            params += [i, *bounding_box(area.latitude, area.longitude, DENSITY_RADIUS_MILES)]
        sql = (
            f"WITH box(i, south, north, west, east) AS (VALUES {values}) "  # noqa: S608
            f"SELECT box.i, {counts} FROM box"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for i, nearby in cursor.fetchall():
                chunk[i].rural = nearby < settings.SEARCH_RURAL_DENSITY_THRESHOLD


def service_filters(filters: Filters) -> Filters:
    """The filters that narrow the services: kind, need and age band. The council and rural or
    urban narrow the wards instead (a family may cross a council boundary to a venue)."""
    return dataclasses.replace(filters, council="", rural=None, problems=[])


def in_box(points: list, lats: list[float], lat: float, lon: float, radius: float) -> list:
    """The `points` (sorted by latitude, their first two items latitude and longitude; `lats`
    their latitudes) inside the box around a circle of `radius` miles: the cheap bound before
    the exact distance."""
    low_lat, high_lat, low_lon, high_lon = bounding_box(lat, lon, radius)
    first, last = bisect.bisect_left(lats, low_lat), bisect.bisect_right(lats, high_lat)
    return [p for p in points[first:last] if low_lon <= p[1] <= high_lon]


@dataclasses.dataclass
class InReach:
    """Which services are within reach of each ward (by the wards' index in a list):
    `venues(i)` the venues within its radius, `travellers[i]` those whose own travel radius
    reaches its centre, and `serving` those who serve a council (counted once, under it)."""

    areas: list[Area]
    venue_points: list  # (latitude, longitude, pk), sorted by latitude
    venue_lats: list[float]
    travellers: list[list[int]]
    serving: dict[str, set[int]]

    def venues(self, i: int) -> list[int]:
        area = self.areas[i]
        miles_to = miles_from(area.latitude, area.longitude)
        box = in_box(self.venue_points, self.venue_lats, area.latitude, area.longitude, area.radius)
        return [pk for lat, lon, pk in box if miles_to(lat, lon) <= area.radius]

    def served(self, i: int) -> set[int]:
        return self.serving.get(self.areas[i].council, set())


def in_reach(areas: list[Area], services) -> InReach:
    """Venues: for each ward, those in the box of its radius, then measured. Services that come
    to families: for each, the wards in the box of its own travel radius, then measured (so
    the work follows the pairs that may be in reach, not wards times services); and those who
    serve a ward's council. Two queries over `services` (a queryset of listings)."""
    rows = services.filter(
        Q(at_venue=True) | Q(comes_to_family=True), latitude__isnull=False
    ).values_list(
        "pk", "latitude", "longitude", "at_venue", "comes_to_family", "travel_radius_miles"
    )
    cap = settings.SEARCH_MAX_TRAVEL_MILES
    venues, movers = [], []
    for pk, lat, lon, at_venue, comes, radius in rows:
        if at_venue:
            venues.append((lat, lon, pk))
        if comes and radius:
            movers.append((lat, lon, pk, min(radius, cap)))
    venues.sort()
    for area in areas:
        steps = settings.SEARCH_RURAL_RADII if area.rural else settings.SEARCH_URBAN_RADII
        area.radius = steps[0]
    serving: dict[str, set[int]] = {}
    through = ListingPage.served_local_authorities.through.objects.filter(
        listingpage_id__in=services.filter(comes_to_family=True).values("pk")
    ).values_list("listingpage_id", "localauthority__code")
    for pk, code in through:
        serving.setdefault(code, set()).add(pk)
    found = InReach(areas, venues, [v[0] for v in venues], [[] for _ in areas], serving)
    places = sorted(((a.latitude, a.longitude, i) for i, a in enumerate(areas)), key=lambda p: p[0])
    place_lats = [p[0] for p in places]
    for lat, lon, pk, radius in movers:
        miles_to = miles_from(lat, lon)
        north = MILES_PER_DEGREE_LATITUDE
        east = MILES_PER_DEGREE_LATITUDE * math.cos(math.radians(lat))
        surely_in, surely_out = (radius * 0.98) ** 2, (radius * 1.02) ** 2
        for area_lat, area_lon, i in in_box(places, place_lats, lat, lon, radius):
            if pk in found.served(i):
                continue  # counted once, as serving the council
            flat = ((area_lat - lat) * north) ** 2 + ((area_lon - lon) * east) ** 2
            if flat <= surely_in or (flat <= surely_out and miles_to(area_lat, area_lon) <= radius):
                found.travellers[i].append(pk)
    return found


def count_reach(areas: list[Area], filters: Filters) -> None:
    """Each ward's counts, live, for the services the filters leave."""
    found = in_reach(areas, listings(service_filters(filters)))
    for i, area in enumerate(areas):
        area.venues = len(found.venues(i))
        area.coming = len(found.served(i)) + len(found.travellers[i])


def classify(areas: list[Area], councils: set[str]) -> bool:
    """Each ward's ONS class (when the classification is imported) and whether search would
    treat a family there as rural. They depend on the gazetteer alone, and cost a query a
    hundred wards or so, so they are kept in the cache for a day, keyed by the councils and
    the number of wards and of ONS classes (a new import changes the key). Returns whether the
    classification is imported."""
    imported = RuralUrbanClass.objects.count()
    digest = hashlib.sha1(",".join(sorted(councils)).encode(), usedforsecurity=False).hexdigest()
    key = f"sufficiency:reach-classes:{digest}:{len(areas)}:{imported}"
    classes = cache.get(key)
    if classes is None:
        if imported:
            classify_ons(areas, councils)
        classify_density([area for area in areas if area.ons is None])
        classes = {area.code: (area.ons, area.rural) for area in areas}
        cache.set(key, classes, CLASSES_CACHE_SECONDS)
    for area in areas:
        area.ons, area.rural = classes.get(area.code, (None, False))
    return bool(imported)


def reach_areas(filters: Filters, stored: bool = False) -> tuple[list[Area], bool]:
    """The wards (narrowed by council and by rural or urban), with their counts, fewest
    first; and whether the ONS classification is imported. From the daily count when
    `stored` (`reach_count.py`), else counted now."""
    if stored:
        areas = counted_areas(filters)
        loaded = RuralUrbanClass.objects.exists()
    else:
        councils = {filters.council} if filters.council else served_councils()
        areas = wards(councils)
        loaded = classify(areas, councils) if areas else RuralUrbanClass.objects.exists()
    if filters.rural is not None:
        wanted = RURAL if filters.rural else URBAN
        areas = [area for area in areas if area.ons == wanted]
    if areas and not stored:
        count_reach(areas, filters)
    areas.sort(key=lambda a: (a.venues, a.coming, a.name, a.council))
    return areas, loaded


def daily_count_holds(filters: Filters) -> bool:
    """Whether the daily count holds these wards: it counts the councils served then, so a
    council chosen that nobody served has its wards counted as the page is made."""
    return not filters.council or ReachWard.objects.filter(council=filters.council).exists()


def counted_areas(filters: Filters) -> list[Area]:
    """The wards and their counts as the daily count left them: two reads of an index."""
    wards_counted = ReachWard.objects.order_by()
    counts = ReachCount.objects.order_by().filter(
        kind=filters.kind or ALL,
        need=filters.need or ALL,
        age_band=filters.age_band[2] if filters.age_band else ALL,
    )
    if filters.council:
        wards_counted = wards_counted.filter(council=filters.council)
        counts = counts.filter(council=filters.council)
    found = {
        code: (venues, coming)
        for code, venues, coming in counts.values_list("ward_code", "venues", "coming")
    }
    areas = []
    for code, name, council, lat, lon, ons, rural, radius in wards_counted.values_list(
        "code", "name", "council", "latitude", "longitude", "ons", "rural", "radius"
    ):
        venues, coming = found.get(code, (0, 0))
        areas.append(Area(code, name, council, lat, lon, ons, rural, radius, venues, coming))
    return areas


def median(values) -> str:
    return f"{statistics.median(values):g}" if values else "-"


def rural_urban_line(areas: list[Area], loaded: bool) -> str:
    if not loaded:
        return (
            "The rural-urban classification has not been imported, so no ward is classed rural "
            "or urban (distances follow postcode density, as search does)."
        )
    parts = []
    for label, radius in ((RURAL, settings.SEARCH_RURAL_RADII[0]), (URBAN, None)):
        group = [a for a in areas if a.ons == label]
        if not group:
            parts.append(f"no {label.lower()} wards")
            continue
        radius = radius or settings.SEARCH_URBAN_RADII[0]
        parts.append(
            f"{plural(len(group), label.lower() + ' ward')}: a median of "
            f"{median([a.venues for a in group])} venues within {radius:g} miles and "
            f"{median([a.coming for a in group])} services that come to families"
        )
    return "; ".join(parts).capitalize() + "."


def reach_table(filters: Filters, stored: bool = False) -> Table:
    stored = stored and daily_count_holds(filters)
    areas, loaded = reach_areas(filters, stored)
    names = council_names({a.council for a in areas})
    no_venue = sum(1 for a in areas if a.venues == 0)
    no_coming = sum(1 for a in areas if a.coming == 0)
    if areas:
        fewest = areas[0]
        summary = (
            f"Of {plural(len(areas), 'ward')}, {no_venue:,} {'has' if no_venue == 1 else 'have'} "
            f"no venue within reach and {no_coming:,} no service that comes to families; "
            f"fewest: {fewest.name} (venues {fewest.venues:,}, "
            f"services that come {fewest.coming:,}). " + rural_urban_line(areas, loaded)
        )
    else:
        summary = "No wards to show for these filters."
    rows = [
        [
            a.name,
            names.get(a.council, a.council),
            a.ons,
            a.venues,
            a.radius,
            a.coming,
        ]
        for a in areas
    ]
    return Table(
        id="reach-wards",
        counted_now=not stored,
        points=[
            {
                "name": f"{a.name} ({names.get(a.council, a.council)})",
                "lat": round(a.latitude, 5),
                "lng": round(a.longitude, 5),
                "venues": a.venues,
                "says": f"{plural(a.venues, 'venue')} within {a.radius:g} miles, "
                f"{plural(a.coming, 'service')} that {'come' + 's' * (a.coming == 1)} to families",
            }
            for a in areas[:SHOWN]
        ],
        caption="Services within reach of each ward, fewest first",
        summary=summary,
        columns=[
            Column("Ward", LABEL),
            Column("Council", TEXT),
            Column("Rural or urban", TEXT),
            Column("Venues within reach", COUNT),
            Column("Venue distance (miles)", NUMBER),
            Column("Services that come to families", COUNT),
        ],
        rows=rows,
        shown=SHOWN,
        note=(
            (
                f"Shown: the {SHOWN} wards with the fewest, of {len(rows):,}; the download "
                "has every ward. "
                if len(rows) > SHOWN
                else ""
            )
            + "Measured from the centre of each ward's postcodes. Venues: published, at a venue, "
            "within the first distance search uses there (rural or urban). Come to families: "
            "their own travel distance reaches the centre, or they serve the ward's council. "
            "Kind, need and age narrow the services; council and rural or urban narrow the wards."
        ),
    )


def reach_tables(filters: Filters, stored: bool = False) -> list[Table]:
    return [reach_table(filters, stored)]
