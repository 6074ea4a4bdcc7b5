"""Checks the pinned requirements against the public advisory database, offline.

    python -m ops.audit_requirements [requirements-dev.txt ...] [--installed]    (make audit)

`pip-audit` needs PyPI's JSON API or OSV over the network, which the council's build machines
cannot reach, so this does the same check against a vendored copy of the PyPA advisory database
(github.com/pypa/advisory-database, OSV format): `ops/advisories/pypa.json`, refreshed with
`make advisories-refresh` (`ops/refresh_advisories.py`). It reads every `name==version` pin,
following `-r` includes (extras such as `psycopg[binary]` are the same package), and with
`--installed` also every package installed beside them (the pins' own dependencies). Each hit is
printed with its id, aliases, summary and the version that fixes it; the exit status is 1 when
there is any, or when a requirement is not pinned (it could not be checked).

The check is only as new as the snapshot, whose date is printed on every run.
"""

import argparse
import json
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parents[1]
ADVISORIES = Path(__file__).resolve().parent / "advisories" / "pypa.json"
DEFAULT_REQUIREMENTS = (ROOT / "requirements-dev.txt",)


class RequirementsError(Exception):
    """A requirements file that cannot be read or checked."""


@dataclass(frozen=True)
class Pin:
    name: str  # canonical: "django", "psycopg"
    version: str
    source: str  # "requirements.txt:2", or "installed"


@dataclass(frozen=True)
class Hit:
    pin: Pin
    advisory_id: str
    aliases: tuple[str, ...]
    summary: str
    fixed: str  # the lowest version that fixes it above the pinned one, or ""

    def describe(self) -> str:
        names = ", ".join((self.advisory_id, *self.aliases))
        fix = f"fixed in {self.fixed}" if self.fixed else "no fixed version published"
        where = f"{self.pin.name} {self.pin.version} ({self.pin.source})"
        return f"{where}: {names}: {fix}\n    {self.summary}"


# --- Reading requirements ---------------------------------------------------------------------


def read_pins(path: Path, _seen: set[Path] | None = None) -> tuple[list[Pin], list[str]]:
    """The `name==version` pins of a requirements file and the files it includes with `-r`;
    and the lines that are requirements but not pinned to one version."""
    seen = _seen if _seen is not None else set()
    path = path.resolve()
    if path in seen:
        return [], []
    seen.add(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise RequirementsError(f"Cannot read {path}: {error.strerror}") from error
    pins: list[Pin] = []
    unpinned: list[str] = []
    for number, raw in enumerate(lines, start=1):
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        where = f"{path.name}:{number}"
        include = re.match(r"^(-r|--requirement)(\s+|=)(\S+)$", line)
        if include:
            more_pins, more_unpinned = read_pins(path.parent / include.group(3), seen)
            pins += more_pins
            unpinned += more_unpinned
            continue
        if line.startswith("-"):
            continue  # pip options (-c, --index-url, --hash on its own line): nothing to check
        try:
            requirement = Requirement(line.split(" --")[0].strip())
        except InvalidRequirement:
            unpinned.append(f"{where}: {line} (not a requirement pip understands)")
            continue
        specifiers = list(requirement.specifier)
        if len(specifiers) == 1 and specifiers[0].operator in ("==", "==="):
            version = specifiers[0].version
            if "*" not in version:
                pins.append(Pin(canonicalize_name(requirement.name), version, where))
                continue
        unpinned.append(f"{where}: {line}")
    return pins, unpinned


def installed_pins() -> list[Pin]:
    """Every package installed in this Python environment."""
    pins = {}
    for distribution in metadata.distributions():
        name = distribution.metadata["Name"]
        if name:
            pins[canonicalize_name(name)] = Pin(
                canonicalize_name(name), distribution.version, "installed"
            )
    return sorted(pins.values(), key=lambda pin: pin.name)


# --- Matching advisories (OSV) ----------------------------------------------------------------


def parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def range_affects(events: list[dict], version: Version) -> tuple[bool, str]:
    """Whether an OSV ECOSYSTEM range covers the version, and the first `fixed` above it.

    Events are applied in version order: `introduced` opens the range ("0" is before every
    version), `fixed` closes it at that version, `last_affected` closes it after that version.
    """
    ordered = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in event:
                at = Version("0") if event[kind] == "0" else parse_version(str(event[kind]))
                if at is not None:
                    ordered.append((at, kind))
    ordered.sort(key=lambda item: item[0])
    affected = False
    for at, kind in ordered:
        if kind == "introduced" and version >= at:
            affected = True
        elif kind == "fixed" and version >= at:
            affected = False
        elif kind == "last_affected" and version > at:
            affected = False
    fixes = sorted(at for at, kind in ordered if kind == "fixed" and at > version)
    return affected, str(fixes[0]) if fixes and affected else ""


def advisory_hit(advisory: dict, pin: Pin) -> Hit | None:
    """The hit when the advisory affects the pinned version; withdrawn ones never do."""
    if advisory.get("withdrawn"):
        return None
    version = parse_version(pin.version)
    for affected in advisory.get("affected", []):
        package = affected.get("package", {})
        if canonicalize_name(package.get("name", "")) != pin.name:
            continue
        if package.get("ecosystem", "PyPI") != "PyPI":
            continue
        hit, fixed = False, ""
        listed = affected.get("versions", [])
        if pin.version in listed or (
            version is not None and any(parse_version(str(v)) == version for v in listed)
        ):
            hit = True
        if version is not None:
            for each in affected.get("ranges", []):
                if each.get("type") != "ECOSYSTEM":
                    continue  # GIT ranges are commits, not releases
                in_range, fix = range_affects(each.get("events", []), version)
                if in_range:
                    hit, fixed = True, fixed or fix
        if hit:
            return Hit(
                pin=pin,
                advisory_id=advisory["id"],
                aliases=tuple(advisory.get("aliases", [])),
                summary=summary_of(advisory),
                fixed=fixed,
            )
    return None


def summary_of(advisory: dict) -> str:
    text = advisory.get("summary") or advisory.get("details") or "(no description)"
    text = " ".join(str(text).split())
    return text if len(text) <= 200 else text[:197].rstrip() + "..."


def load_advisories(path: Path = ADVISORIES) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RequirementsError(
            f"Cannot read the advisories in {path} ({error}); run make advisories-refresh"
        ) from error
    return data


def audit(pins: list[Pin], data: dict) -> tuple[list[Hit], list[Pin]]:
    """The hits, and the pins the vendored snapshot has no advisory list for (not vendored)."""
    packages = data.get("packages", {})
    hits, not_covered = [], []
    for pin in pins:
        if pin.name not in packages:
            not_covered.append(pin)
            continue
        for advisory in packages[pin.name]:
            hit = advisory_hit(advisory, pin)
            if hit:
                hits.append(hit)
    return hits, not_covered


# --- Command ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None, advisories: Path = ADVISORIES) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("requirements", nargs="*", type=Path, default=DEFAULT_REQUIREMENTS)
    parser.add_argument(
        "--installed", action="store_true", help="also check every installed package"
    )
    args = parser.parse_args(argv)
    try:
        data = load_advisories(advisories)
        pins, unpinned = [], []
        for path in args.requirements:
            more_pins, more_unpinned = read_pins(path)
            pins += more_pins
            unpinned += more_unpinned
    except RequirementsError as error:
        print(error, file=sys.stderr)
        return 2
    unique = {}
    for pin in pins:
        unique.setdefault((pin.name, pin.version), pin)
    if args.installed:
        for pin in installed_pins():
            unique.setdefault((pin.name, pin.version), pin)
    checked = sorted(unique.values(), key=lambda pin: (pin.name, pin.version))
    hits, not_covered = audit(checked, data)

    snapshot = data.get("snapshot", {})
    print(
        f"Advisories: {snapshot.get('source', 'PyPA advisory database')} as of "
        f"{snapshot.get('date', 'an unknown date')} (commit {snapshot.get('commit', '?')[:12]}); "
        f"{len(checked)} packages checked"
    )
    for line in unpinned:
        print(f"Not pinned, so not checked: {line}")
    if not_covered:
        names = ", ".join(sorted({pin.name for pin in not_covered}))
        print(f"No advisories vendored for: {names} (make advisories-refresh adds them)")
    for hit in hits:
        print(f"VULNERABLE {hit.describe()}")
    if hits or unpinned:
        print(f"{len(hits)} known vulnerabilities, {len(unpinned)} requirements not pinned")
        return 1
    print("No known vulnerabilities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
