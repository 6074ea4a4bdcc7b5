"""Refreshes `ops/advisories/pypa.json`, the advisories `ops/audit_requirements.py` checks.

    git clone --depth 1 https://github.com/pypa/advisory-database /tmp/advisory-database
    make advisories-refresh ADVISORY_DB=/tmp/advisory-database

Reads the OSV YAML files (`vulns/<package>/*.yaml`) of a checkout, or of a bare clone (read
through git), and keeps only what the check needs (id, aliases, summary, withdrawn, the PyPI
ranges and versions) for the packages we pin and everything installed beside them (`pip freeze`
on standard input), so the repository carries a few hundred kilobytes, not the whole database.
The snapshot's commit and date are recorded and printed by every check.

Needs PyYAML (Debian and Ubuntu: `apt install python3-yaml`); the site never imports it.
"""

import argparse
import datetime
import json
import re
import subprocess  # noqa: S404 - runs git on a path the operator gives
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = Path(__file__).resolve().parent / "advisories" / "pypa.json"
SOURCE = "PyPA advisory database (github.com/pypa/advisory-database)"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def names_in_requirements(path: Path, seen: set[Path] | None = None) -> set[str]:
    seen = seen if seen is not None else set()
    path = path.resolve()
    if path in seen:
        return set()
    seen.add(path)
    names = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        include = re.match(r"^(-r|--requirement)(\s+|=)(\S+)$", line)
        if include:
            names |= names_in_requirements(path.parent / include.group(3), seen)
        elif line and not line.startswith("-"):
            match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)", line)
            if match:
                names.add(canonical(match.group(1)))
    return names


def names_in_freeze(text: str) -> set[str]:
    names = set()
    for line in text.splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(==|@)", line.strip())
        if match:
            names.add(canonical(match.group(1)))
    return names


def git(database: Path, *args: str, stdin: str | None = None) -> str:
    return subprocess.run(  # noqa: S603
        ["git", "-C", str(database), *args],  # noqa: S607
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def read_advisory_files(database: Path, wanted: set[str]) -> dict[str, list[str]]:
    """YAML texts of the advisories in `vulns/<package>/`, for the wanted packages."""
    texts: dict[str, list[str]] = {}
    if (database / "vulns").is_dir():
        for folder in sorted((database / "vulns").iterdir()):
            if folder.is_dir() and canonical(folder.name) in wanted:
                texts[canonical(folder.name)] = [
                    file.read_text(encoding="utf-8") for file in sorted(folder.glob("*.yaml"))
                ]
        return texts
    # A bare clone: read the files of its newest commit through git.
    paths = git(database, "ls-tree", "-r", "--name-only", "HEAD", "vulns").splitlines()
    chosen = [
        path
        for path in paths
        if path.endswith(".yaml")
        and path.count("/") == 2
        and canonical(path.split("/")[1]) in wanted
    ]
    for path in chosen:
        text = git(database, "show", f"HEAD:{path}")
        texts.setdefault(canonical(path.split("/")[1]), []).append(text)
    return texts


def compact(advisory: dict, package: str) -> dict | None:
    affected = []
    for entry in advisory.get("affected") or []:
        details = entry.get("package") or {}
        if details.get("ecosystem") != "PyPI" or canonical(details.get("name", "")) != package:
            continue
        ranges = [
            {
                "type": "ECOSYSTEM",
                "events": [{k: str(v) for k, v in e.items()} for e in r["events"]],
            }
            for r in entry.get("ranges") or []
            if r.get("type") == "ECOSYSTEM"
        ]
        versions = [str(v) for v in entry.get("versions") or []]
        if ranges or versions:
            affected.append(
                {
                    "package": {"name": package, "ecosystem": "PyPI"},
                    "ranges": ranges,
                    "versions": versions,
                }
            )
    if not affected:
        return None
    text = advisory.get("summary") or advisory.get("details") or ""
    text = " ".join(str(text).split())
    result = {
        "id": advisory["id"],
        "aliases": sorted(advisory.get("aliases") or []),
        "summary": text if len(text) <= 200 else text[:197].rstrip() + "...",
        "affected": affected,
    }
    if advisory.get("withdrawn"):
        result["withdrawn"] = str(advisory["withdrawn"])
    return result


def snapshot_of(database: Path) -> dict:
    try:
        commit, date = git(database, "log", "-1", "--format=%H %cI").split()
    except (subprocess.CalledProcessError, ValueError, OSError):
        commit, date = "unknown", "unknown"
    return {
        "source": SOURCE,
        "commit": commit,
        "date": date[:10],
        "refreshed": datetime.date.today().isoformat(),
    }


def refresh(database: Path, wanted: set[str], output: Path = OUTPUT) -> dict:
    import yaml  # only the refresh needs PyYAML

    packages: dict[str, list[dict]] = {name: [] for name in sorted(wanted)}
    for package, texts in read_advisory_files(database, wanted).items():
        for text in texts:
            entry = compact(yaml.safe_load(text), package)
            if entry:
                packages[package].append(entry)
        packages[package].sort(key=lambda advisory: advisory["id"])
    data = {"snapshot": snapshot_of(database), "packages": packages}
    output.parent.mkdir(parents=True, exist_ok=True)
    # One advisory a line: a refresh reads as a short diff.
    lines = ["{", f' "snapshot": {json.dumps(data["snapshot"], sort_keys=True)},', ' "packages": {']
    names = list(packages)
    for index, name in enumerate(names):
        advisories = packages[name]
        close = "," if index < len(names) - 1 else ""
        if not advisories:
            lines.append(f"  {json.dumps(name)}: []{close}")
            continue
        lines.append(f"  {json.dumps(name)}: [")
        for number, advisory in enumerate(advisories):
            comma = "," if number < len(advisories) - 1 else ""
            lines.append(f"   {json.dumps(advisory, sort_keys=True, ensure_ascii=False)}{comma}")
        lines.append(f"  ]{close}")
    lines += [" }", "}", ""]
    output.write_text("\n".join(lines), encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path, help="a clone of pypa/advisory-database")
    parser.add_argument(
        "--requirements", type=Path, nargs="*", default=[ROOT / "requirements-dev.txt"]
    )
    parser.add_argument(
        "--freeze", type=argparse.FileType("r"), help="pip freeze output ('-': standard input)"
    )
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"No advisory database at {args.database}: clone it first", file=sys.stderr)
        return 2
    wanted = set()
    for path in args.requirements:
        wanted |= names_in_requirements(path)
    if args.freeze:
        wanted |= names_in_freeze(args.freeze.read())
    data = refresh(args.database, wanted)
    count = sum(len(advisories) for advisories in data["packages"].values())
    print(
        f"{OUTPUT.relative_to(ROOT)}: {count} advisories for {len(wanted)} packages, "
        f"snapshot {data['snapshot']['date']} (commit {data['snapshot']['commit'][:12]})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
