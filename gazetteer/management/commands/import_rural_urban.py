"""Import the ONS 2011 Rural-Urban Classification per LSOA (Open Government Licence v3.0).

manage.py import_rural_urban path/to/RUC11_LSOA11_EW.csv

The file has one row per Lower Super Output Area with its code and the RUC11 code and name
(columns `LSOA11CD` or `lsoa`, `RUC11CD`, `RUC11`; header case and a byte-order mark do not
matter). Running it again replaces the classes in place: it is safe to repeat.
"""

import csv
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from gazetteer.models import RuralUrbanClass

LSOA_COLUMNS = ("lsoa11cd", "lsoa")
CODE_COLUMN = "ruc11cd"
NAME_COLUMN = "ruc11"
LSOA_NAME_COLUMN = "lsoa11nm"
RUC_CODE_RE = re.compile(r"^[A-E][1-4]$")
BATCH = 2000


class Command(BaseCommand):
    help = "Import the ONS 2011 Rural-Urban Classification per LSOA from its CSV file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The ONS RUC 2011 LSOA CSV file")

    def handle(self, *args, path, **options):
        rows = read_classes(Path(path))
        existing = dict(
            (lsoa, (lsoa_name, code, name))
            for lsoa, lsoa_name, code, name in RuralUrbanClass.objects.values_list(
                "lsoa11", "lsoa_name", "code", "name"
            )
        )
        created, changed = [], []
        for lsoa, values in rows.items():
            if lsoa not in existing:
                created.append(
                    RuralUrbanClass(lsoa11=lsoa, **dict(zip(FIELDS, values, strict=True)))
                )
            elif existing[lsoa] != values:
                changed.append(lsoa)
        with transaction.atomic():
            RuralUrbanClass.objects.bulk_create(created, batch_size=BATCH)
            for lsoa in changed:
                RuralUrbanClass.objects.filter(lsoa11=lsoa).update(
                    **dict(zip(FIELDS, rows[lsoa], strict=True))
                )
        rural = sum(1 for _n, code, _name in rows.values() if code[0] in "DE")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(rows):,} LSOAs read ({rural:,} rural, {len(rows) - rural:,} urban): "
                f"{len(created):,} added, {len(changed):,} updated, "
                f"{len(rows) - len(created) - len(changed):,} unchanged. "
                "Source: Office for National Statistics licensed under the Open Government "
                "Licence v.3.0."
            )
        )


FIELDS = ("lsoa_name", "code", "name")


def read_classes(path: Path) -> dict[str, tuple[str, str, str]]:
    """lsoa11 -> (LSOA name, RUC code, RUC name). Raises CommandError on a file that is not
    the ONS RUC 2011 LSOA table."""
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [h.strip().lower() for h in next(reader, [])]
            lsoa_col = next((c for c in LSOA_COLUMNS if c in header), None)
            missing = [
                label
                for label, present in (
                    ("LSOA11CD (or lsoa)", lsoa_col),
                    ("RUC11CD", CODE_COLUMN in header),
                    ("RUC11", NAME_COLUMN in header),
                )
                if not present
            ]
            if missing:
                raise CommandError(
                    f"{path} is not the ONS 2011 Rural-Urban Classification LSOA file: "
                    f"missing column(s) {', '.join(missing)}. Found: {', '.join(header) or 'none'}."
                )
            at = {
                "lsoa": header.index(lsoa_col),
                "code": header.index(CODE_COLUMN),
                "name": header.index(NAME_COLUMN),
                "lsoa_name": header.index(LSOA_NAME_COLUMN) if LSOA_NAME_COLUMN in header else None,
            }
            rows = {}
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                try:
                    lsoa = row[at["lsoa"]].strip().upper()
                    code = row[at["code"]].strip().upper()
                    name = row[at["name"]].strip()
                    lsoa_name = row[at["lsoa_name"]].strip() if at["lsoa_name"] is not None else ""
                except IndexError:
                    raise CommandError(f"{path}, line {number}: too few columns.") from None
                if not RUC_CODE_RE.match(code) or not re.match(r"^[EW]\d{8}$", lsoa):
                    raise CommandError(
                        f"{path}, line {number}: {lsoa!r} {code!r} is not an LSOA code with an "
                        "RUC 2011 code (A1 to E2)."
                    )
                rows[lsoa] = (lsoa_name[:100], code, name[:80])
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not a UTF-8 CSV file: {error}") from None
    if not rows:
        raise CommandError(f"{path} has no rows.")
    return rows
