"""Six months of unmet demand, as searches and brokerage would have recorded it, so the
commissioners' dashboard tells the demo area's real story: rural Northumberland (Bellingham,
Kielder, Allendale, Wooler, Alnwick's villages) finds little at weekends and in the holidays,
the city less often; a few searches come from outside the area and are shown apart."""

import datetime
import random

from django.db.models import Avg, Count

from core.dates import today
from directory.models import Need
from gazetteer.models import Postcode
from search.demand import DAY_CODES
from search.models import UnmetDemand
from search.places import METHOD_DENSITY, classify

ROWS = 640
DAYS_BACK = 183
DEMO_COUNCILS = ("E06000057", "E08000021", "E08000022")  # Northumberland, Newcastle, N Tyneside
OUT_OF_AREA = [("SW1A", "E09000033"), ("TR1", "E06000052"), ("LS1", "E08000035")]
AGE_BANDS = ["0-4", "5-10", "5-10", "11-15", "11-15", "16-18", "19-25"]
KINDS = ["short_break", "personal_assistant", "inclusive_club"]
REASONS = ["none_in_area", "times", "no_capacity", "skills"]


def districts() -> list[tuple[str, str, bool, str]]:
    """Each demo postcode district: (outcode, council, rural, how it was classified)."""
    rows = (
        Postcode.objects.filter(local_authority_code__in=DEMO_COUNCILS)
        .values("outcode", "local_authority_code")
        .annotate(n=Count("pk"), lat=Avg("latitude"), lon=Avg("longitude"))
        .order_by("outcode")
    )
    found = {}
    for row in rows:
        if row["outcode"] in found and found[row["outcode"]][4] >= row["n"]:
            continue
        found[row["outcode"]] = (
            row["local_authority_code"],
            row["lat"],
            row["lon"],
            None,
            row["n"],
        )  # noqa: E501
    out = []
    for outcode, (council, lat, lon, _, _) in found.items():
        classification = classify(lat, lon)
        out.append((outcode, council, classification.rural, classification.method))
    return out


def seed_unmet_demand(seed: int) -> int:
    """Add the demo's unmet demand once; returns how many rows were added."""
    if UnmetDemand.objects.exists():
        return 0
    rng = random.Random(f"{seed}:demand")  # noqa: S311 (demo data, not secrets)
    places = districts()
    if not places:
        return 0
    weights = [5 if rural else 1 for _, _, rural, _ in places]
    needs = list(Need.objects.values_list("slug", flat=True))
    on = today()
    rows = []
    for _ in range(ROWS):
        searched_on = on - datetime.timedelta(days=int(DAYS_BACK * rng.random() ** 0.8))
        if rng.random() < 0.05:
            outcode, council = rng.choice(OUT_OF_AREA)
            rural, method = False, METHOD_DENSITY
        else:
            outcode, council, rural, method = rng.choices(places, weights)[0]
        weekend = rng.random() < (0.6 if rural else 0.35)
        days = ["sat", "sun"] if weekend else rng.sample(list(DAY_CODES.values())[:5], 2)
        brokerage = rng.random() < 0.12
        rows.append(
            UnmetDemand(
                searched_on=searched_on,
                outcode=outcode,
                local_authority_code=council,
                rural=rural,
                classified_by="brokerage request" if brokerage else method,
                mode="both" if brokerage else rng.choice(["both", "go", "come"]),
                kinds=rng.choice(KINDS),
                needs=",".join(rng.sample(needs, min(len(needs), rng.randint(1, 2)))),
                age_band=rng.choice(AGE_BANDS),
                days=",".join(sorted(days, key=list(DAY_CODES.values()).index)),
                results=0 if brokerage or rng.random() < 0.6 else rng.randint(1, 2),
                radius_miles=rng.choice([10, 20, 30]) if rural else rng.choice([3, 5, 10]),
                source="brokerage" if brokerage else "search",
                reasons=rng.choice(REASONS) if brokerage else "",
            )
        )
    UnmetDemand.objects.bulk_create(rows, batch_size=500)
    return len(rows)
