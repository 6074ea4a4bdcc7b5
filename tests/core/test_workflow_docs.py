"""The tables of moves in docs/workflows/ are the engine's tables, exactly.

Each workflow's page has a section whose heading names the table in backticks (`REQUESTS`) with
a `| From | To | Who |` table: one row per move, states as their values in backticks, roles
comma-separated. A row the code does not have, or a move the page leaves out, fails here.
"""

import re
from pathlib import Path

import pytest

from brokerage.workflow import OFFERS, REQUESTS
from directory.workflow import APPLICATIONS, CONCERNS, DBS_CHECKS, REPORTS
from kitemark.workflow import AUDITS

DOCS = Path(__file__).resolve().parents[2] / "docs" / "workflows"

TABLES = [
    ("brokerage.md", "REQUESTS", REQUESTS),
    ("brokerage.md", "OFFERS", OFFERS),
    ("kitemark-audits.md", "AUDITS", AUDITS),
    ("provider-applications.md", "APPLICATIONS", APPLICATIONS),
    ("dbs-checks.md", "DBS_CHECKS", DBS_CHECKS),
    ("safeguarding-concerns.md", "REPORTS", REPORTS),
    ("safeguarding-concerns.md", "CONCERNS", CONCERNS),
]

HEADING = re.compile(r"^#{1,6}\s")
STATE = re.compile(r"^`([a-z_]*)`$")


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def section(text: str, name: str) -> list[str]:
    """The lines under the one heading that names the table, up to the next heading."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if HEADING.match(line) and f"`{name}`" in line]
    assert len(starts) == 1, f"expected one heading naming `{name}`, found {len(starts)}"
    body = []
    for line in lines[starts[0] + 1 :]:
        if HEADING.match(line):
            break
        body.append(line)
    return body


def documented_moves(text: str, name: str) -> list[tuple[str, str, frozenset[str]]]:
    lines = section(text, name)
    header = [i for i, line in enumerate(lines) if cells(line) == ["From", "To", "Who"]]
    assert len(header) == 1, f"expected one | From | To | Who | table under `{name}`"
    moves = []
    for line in lines[header[0] + 2 :]:
        if not line.strip().startswith("|"):
            break
        source, target, who = cells(line)
        states = [STATE.match(source), STATE.match(target)]
        assert all(states), f"states are values in backticks: {line!r}"
        roles = frozenset(role.strip() for role in who.split(","))
        moves.append((states[0][1], states[1][1], roles))
    return moves


@pytest.mark.parametrize(("page", "name", "workflow"), TABLES, ids=[t[1] for t in TABLES])
def test_the_documented_table_is_the_engines_table(page, name, workflow):
    documented = documented_moves((DOCS / page).read_text(encoding="utf-8"), name)
    in_code = {(move.source, move.target, move.roles) for move in workflow.moves}

    assert len(documented) == len(set(documented)), f"a row is in {page} twice"
    missing = in_code - set(documented)
    extra = set(documented) - in_code
    assert not missing, f"{page} leaves out moves of `{name}`: {sorted(missing, key=str)}"
    assert not extra, f"{page} has moves `{name}` does not: {sorted(extra, key=str)}"
