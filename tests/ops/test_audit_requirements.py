"""CI fails when a pinned requirement has a known vulnerability in the public advisory database
(the vendored PyPA snapshot, OSV format), and says which, why and what fixes it."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ops.audit_requirements import ADVISORIES, main, read_pins

ROOT = Path(__file__).resolve().parents[2]


def advisory(id_, package="django", events=(), versions=(), **extra):
    ranges = [{"type": "ECOSYSTEM", "events": list(events)}] if events else []
    return {
        "id": id_,
        "aliases": [f"CVE-{id_}"],
        "summary": f"Summary of {id_}",
        "affected": [
            {
                "package": {"name": package, "ecosystem": "PyPI"},
                "ranges": ranges,
                "versions": list(versions),
            }
        ],
        **extra,
    }


@pytest.fixture
def audit_of(tmp_path):
    """Runs the check of a requirements text against the given advisories."""

    def run(requirements: str, *advisories):
        data = {
            "snapshot": {"source": "Fixture", "commit": "abc123", "date": "2024-10-10"},
            "packages": {"django": [], "wagtail": [], "psycopg": []},
        }
        for each in advisories:
            package = each["affected"][0]["package"]["name"]
            data["packages"].setdefault(package, []).append(each)
        (tmp_path / "advisories.json").write_text(json.dumps(data))
        (tmp_path / "requirements.txt").write_text(requirements)
        return main([str(tmp_path / "requirements.txt")], advisories=tmp_path / "advisories.json")

    return run


def test_a_pinned_version_inside_an_advisory_range_fails_with_its_id_summary_and_fix(
    audit_of, capsys
):
    bad = advisory("PYSEC-1", events=[{"introduced": "5.0"}, {"fixed": "5.2.20"}])
    assert audit_of("Django==5.2.19\n", bad) == 1
    out = capsys.readouterr().out
    assert (
        "VULNERABLE django 5.2.19 (requirements.txt:1): PYSEC-1, CVE-PYSEC-1: fixed in 5.2.20"
        in out
    )
    assert "Summary of PYSEC-1" in out


def test_a_pinned_version_at_or_after_the_fix_passes(audit_of, capsys):
    fixed = advisory("PYSEC-1", events=[{"introduced": "0"}, {"fixed": "5.2.19"}])
    assert audit_of("Django==5.2.19\n", fixed) == 0
    assert "No known vulnerabilities" in capsys.readouterr().out


def test_a_version_before_the_range_was_introduced_passes(audit_of):
    later = advisory("PYSEC-1", events=[{"introduced": "6.0"}, {"fixed": "6.0.2"}])
    assert audit_of("Django==5.2.19\n", later) == 0


def test_each_introduced_and_fixed_pair_of_a_range_counts(audit_of, capsys):
    two_lines = advisory(
        "PYSEC-2",
        events=[
            {"introduced": "0"},
            {"fixed": "4.2.11"},
            {"introduced": "5.0"},
            {"fixed": "5.0.3"},
        ],
    )
    assert audit_of("Django==4.2.11\n", two_lines) == 0
    assert audit_of("Django==5.0.2\n", two_lines) == 1
    assert "fixed in 5.0.3" in capsys.readouterr().out


def test_last_affected_includes_that_version_but_not_the_next(audit_of, capsys):
    unfixed = advisory("PYSEC-3", events=[{"introduced": "0"}, {"last_affected": "5.2.19"}])
    assert audit_of("Django==5.2.19\n", unfixed) == 1
    assert "no fixed version published" in capsys.readouterr().out
    assert audit_of("Django==5.2.20\n", unfixed) == 0


def test_a_version_named_in_the_versions_list_fails_without_any_range(audit_of):
    listed = advisory("PYSEC-4", versions=["5.2.18", "5.2.19"])
    assert audit_of("Django==5.2.19\n", listed) == 1
    assert audit_of("Django==5.2.17\n", listed) == 0


def test_withdrawn_advisories_are_ignored(audit_of):
    withdrawn = advisory("PYSEC-5", events=[{"introduced": "0"}], withdrawn="2024-01-01T00:00:00Z")
    assert audit_of("Django==5.2.19\n", withdrawn) == 0


def test_an_advisory_for_another_package_never_matches(audit_of):
    other = advisory("PYSEC-6", package="wagtail", events=[{"introduced": "0"}])
    assert audit_of("Django==5.2.19\n", other) == 0


def test_extras_and_spelling_of_names_are_the_same_package(audit_of, capsys):
    bad = advisory("PYSEC-7", package="psycopg", events=[{"introduced": "0"}, {"fixed": "3.4"}])
    assert audit_of("psycopg[binary]==3.3.9  # the driver\n", bad) == 1
    assert "psycopg 3.3.9" in capsys.readouterr().out


def test_an_unpinned_requirement_fails_because_it_cannot_be_checked(audit_of, capsys):
    assert audit_of("Django>=5.2\nwagtail==8.0.1\n") == 1
    assert "Not pinned, so not checked: requirements.txt:1: Django>=5.2" in capsys.readouterr().out


def test_included_files_are_read_once_each_with_comments_and_options_skipped(tmp_path):
    (tmp_path / "base.txt").write_text("# runtime\nDjango==5.2.19\nwagtail==8.0.1 # cms\n")
    (tmp_path / "dev.txt").write_text(
        "-r base.txt\n--requirement=base.txt\n--index-url https://x\npytest==9.2.0\n"
    )
    pins, unpinned = read_pins(tmp_path / "dev.txt")
    assert [(pin.name, pin.version, pin.source) for pin in pins] == [
        ("django", "5.2.19", "base.txt:2"),
        ("wagtail", "8.0.1", "base.txt:3"),
        ("pytest", "9.2.0", "dev.txt:4"),
    ]
    assert unpinned == []


def test_a_missing_requirements_file_is_a_clear_message(tmp_path, capsys):
    assert main([str(tmp_path / "nope.txt")]) == 2
    assert "Cannot read" in capsys.readouterr().err


def test_every_run_says_how_old_its_advisories_are(audit_of, capsys):
    audit_of("Django==5.2.19\n")
    assert "Advisories: Fixture as of 2024-10-10 (commit abc123)" in capsys.readouterr().out


def test_the_vendored_snapshot_has_an_entry_for_every_pinned_requirement():
    packages = json.loads(ADVISORIES.read_text())["packages"]
    pins, unpinned = read_pins(ROOT / "requirements-dev.txt")
    assert unpinned == []
    assert sorted({pin.name for pin in pins} - set(packages)) == []


def python_with_yaml():
    for candidate in ("python3", "/usr/bin/python3"):
        path = shutil.which(candidate)
        if (
            path
            and subprocess.run([path, "-c", "import yaml"], capture_output=True).returncode == 0
        ):
            return path
    return None


@pytest.mark.skipif(python_with_yaml() is None, reason="the refresh needs a Python with PyYAML")
def test_the_refresh_keeps_only_our_packages_and_records_the_snapshot(tmp_path):
    database = tmp_path / "advisory-database"
    (database / "vulns" / "Django").mkdir(parents=True)
    (database / "vulns" / "leftpad").mkdir(parents=True)
    (database / "vulns" / "Django" / "PYSEC-2024-1.yaml").write_text(
        "id: PYSEC-2024-1\n"
        "details: A long\n  description.\n"
        "aliases: [CVE-2024-1]\n"
        "affected:\n"
        "- package: {name: django, ecosystem: PyPI}\n"
        "  ranges:\n"
        "  - type: GIT\n    repo: https://github.com/django/django\n"
        "    events: [{introduced: abc}]\n"
        "  - type: ECOSYSTEM\n    events: [{introduced: '0'}, {fixed: 4.2.1}]\n"
        "  versions: [4.2.0]\n"
    )
    (database / "vulns" / "leftpad" / "PYSEC-2024-2.yaml").write_text("id: PYSEC-2024-2\n")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("Django==4.2.0\n")
    output = tmp_path / "out.json"
    code = (
        "import sys; from pathlib import Path; import ops.refresh_advisories as r; "
        f"r.refresh(Path({str(database)!r}), r.names_in_requirements(Path({str(requirements)!r})),"
        f" Path({str(output)!r}))"
    )
    result = subprocess.run(
        [python_with_yaml(), "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(output.read_text())
    assert list(data["packages"]) == ["django"]
    assert data["packages"]["django"] == [
        {
            "id": "PYSEC-2024-1",
            "aliases": ["CVE-2024-1"],
            "summary": "A long description.",
            "affected": [
                {
                    "package": {"name": "django", "ecosystem": "PyPI"},
                    "ranges": [
                        {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.2.1"}]}
                    ],
                    "versions": ["4.2.0"],
                }
            ],
        }
    ]
    assert set(data["snapshot"]) == {"source", "commit", "date", "refreshed"}
