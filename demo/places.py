"""What the demo plan draws on from the database: the real postcodes of the loaded gazetteer in
each demo town, and the taxonomies (needs, skills, service types...) that are there."""

from dataclasses import dataclass

from django.core.management.base import CommandError
from django.db.models import Q

from directory.models import AccessFeature, FundingRoute, Language, Need, ServiceType, Skill
from gazetteer.models import Postcode

from .content import NEWCASTLE, NORTHUMBERLAND, TOWNS, Town

LOAD_HINT = "run: manage.py load_gazetteer --areas NE TD DH"


@dataclass
class Place:
    """A town and the real postcodes (with coordinates) of the gazetteer inside it."""

    town: Town
    postcodes: list[tuple[str, float, float]]

    @property
    def label(self) -> str:
        return self.town.area or self.town.name


def load_places() -> dict[str, list[Place]]:
    """Real postcodes per town, by council. Towns the loaded gazetteer does not cover are left
    out; a council with none of its towns loaded falls back to all its loaded postcodes."""
    if not Postcode.objects.exists():
        raise CommandError(f"The postcode gazetteer is empty: {LOAD_HINT}")
    places: dict[str, list[Place]] = {NORTHUMBERLAND: [], NEWCASTLE: []}
    for town in TOWNS:
        outcodes = [c for c in town.codes if " " not in c]
        sectors = [c for c in town.codes if " " in c]
        rows = list(
            Postcode.objects.filter(local_authority_code=town.la)
            .filter(Q(outcode__in=outcodes) | Q(sector__in=sectors))
            .order_by("postcode")
            .values_list("postcode", "latitude", "longitude")
        )
        if rows:
            places[town.la].append(Place(town, rows))
    for la in places:
        if not places[la]:
            rows = list(
                Postcode.objects.filter(local_authority_code=la)
                .order_by("postcode")
                .values_list("postcode", "latitude", "longitude")
            )
            if rows:
                name = "Newcastle upon Tyne" if la == NEWCASTLE else "Northumberland"
                places[la].append(Place(Town(name, la, (), 1), rows))
    places = {la: towns for la, towns in places.items() if towns}
    if not places:
        raise CommandError(
            "The postcode gazetteer has no postcodes in Northumberland or Newcastle upon Tyne: "
            + LOAD_HINT
        )
    return places


# --- Names --------------------------------------------------------------------------------------


def taxonomy_slugs() -> dict[str, list[str]]:
    return {
        "service_types": list(ServiceType.objects.values_list("slug", flat=True)),
        "needs": list(Need.objects.values_list("slug", flat=True)),
        "skills": list(Skill.objects.values_list("slug", flat=True)),
        "access_features": list(AccessFeature.objects.values_list("slug", flat=True)),
        "languages": list(Language.objects.values_list("slug", flat=True)),
        "funding_accepted": list(FundingRoute.objects.values_list("slug", flat=True)),
    }
