"""Users against p95: the load test's curve, for `make loadtest`.

    python loadtest/curve.py --host http://127.0.0.1:PORT --users 1 2 4 8 16 --step-time 60s

Runs locust headless once a step, each with that many families searching one search after
another with no pause (`LOADTEST_MIX=searchers`), so the server is offered all
the work it can take; prints, a step a line, searches a second, p50, p95 and errors, then the
saturation (the most searches a second any step reached) and the knee (the fewest users that
reach 90% of it: past it, more users only queue, and p95 grows with them). Each step is
bounded in time; only a server on 127.0.0.1 that the load test started.
"""

import argparse
import csv
import os
import subprocess  # noqa: S404 - runs locust, from this virtualenv, on arguments built here
import sys
import urllib.parse
from pathlib import Path

BIN = Path(sys.executable).parent


def aggregated(prefix: str) -> dict:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return row
    raise SystemExit(f"no figures in {prefix}_stats.csv")


def step(host: str, users: int, run_time: str, out: Path, pace: float = 0) -> dict:
    prefix = str(out / (f"curve-{users}" + ("-paced" if pace else "")))
    env = {**os.environ, "LOADTEST_MIX": "searchers", "LOADTEST_PACE": str(pace or "")}
    done = subprocess.run(  # noqa: S603
        [
            str(BIN / "locust"),
            "-f",
            "loadtest/locustfile.py",
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            run_time,
            "--host",
            host,
            "--csv",
            prefix,
            "--exit-code-on-error",
            "0",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"locust failed ({done.returncode}):\n{done.stderr[-3000:]}")
    row = aggregated(prefix)
    return {
        "users": users,
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
    }


def knee(steps: list[dict]) -> tuple[float, dict]:
    saturation = max(s["rps"] for s in steps)
    first = next(s for s in steps if s["rps"] >= 0.9 * saturation)
    return saturation, first


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--users", type=int, nargs="+", default=[1, 2, 4, 8, 16])
    parser.add_argument("--step-time", default="60s")
    parser.add_argument("--out", default="loadtest/results")
    options = parser.parse_args(argv)
    if urllib.parse.urlsplit(options.host).hostname != "127.0.0.1":
        parser.error("only a server on 127.0.0.1 that the load test started")
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"{'users':>5} {'searches/s':>10} {'p50':>6} {'p95':>6} {'requests':>8} {'errors':>6}")
    steps = []
    for users in options.users:
        found = step(options.host, users, options.step_time, out)
        steps.append(found)
        print(
            f"{found['users']:>5} {found['rps']:>10.1f} {found['p50']:>6.0f} {found['p95']:>6.0f} "
            f"{found['requests']:>8} {found['errors']:>6}",
            flush=True,
        )
    saturation, first = knee(steps)
    print("(times in milliseconds)")
    print(
        f"saturation: {saturation:.1f} searches a second; the knee: {first['users']} users "
        f"({first['rps']:.1f} a second, p95 {first['p95']:.0f} ms)"
    )
    # Then searches offered at 80% of saturation, evenly (each searcher paced), rather than as
    # fast as answered: what families would get on a busy day with headroom left.
    users = max(options.users)
    paced = step(options.host, users, options.step_time, out, pace=0.8 * saturation / users)
    print(
        f"at 80% of saturation ({0.8 * saturation:.1f} searches a second offered by {users} "
        f"searchers): {paced['rps']:.1f} a second, p50 {paced['p50']:.0f} ms, p95 "
        f"{paced['p95']:.0f} ms, {paced['errors']} errors"
    )
    return 1 if any(s["errors"] for s in [*steps, paced]) else 0


if __name__ == "__main__":
    sys.exit(main())
