"""Recording unmet demand: searches with no or too few results, anonymously."""

from django.conf import settings

from core.dates import today

from .models import UnmetDemand
from .query import SearchResults

AGE_BANDS = (
    (0, 4, "0-4"),
    (5, 10, "5-10"),
    (11, 15, "11-15"),
    (16, 18, "16-18"),
    (19, 25, "19-25"),
)


DAY_CODES = {1: "mon", 2: "tue", 3: "wed", 4: "thu", 5: "fri", 6: "sat", 7: "sun"}


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), "")


def record_if_unmet(results: SearchResults, classified_by: str) -> UnmetDemand | None:
    query = results.query
    if query.place is None or query.page != 1:
        return None
    if results.total >= settings.SEARCH_ENOUGH_RESULTS:
        return None
    filters = query.filters
    return UnmetDemand.objects.create(
        searched_on=today(),
        outcode=query.place.outcode or query.place.label.split(" ")[0],
        local_authority_code=query.place.local_authority_code,
        rural=query.place.rural,
        classified_by=classified_by,
        mode=query.mode.value,
        kinds=",".join(filters.kinds),
        service_type=",".join(filters.service_types),
        needs=",".join(filters.needs)[:400],
        age_band=age_band(filters.age),
        days=",".join(DAY_CODES[d] for d in filters.days if d in DAY_CODES),
        results=min(results.total, 32767),
        radius_miles=results.radius_miles,
    )
