"""The CPU one search costs, and so the most searches a second this machine can serve: `make
loadtest` runs it before the load, against the server it started.

    python loadtest/cpu_cost.py --host http://127.0.0.1:PORT --server-pid PID [--requests 200]

One client asks for the load test's searches one after another (urban and rural postcodes,
place names, filters, page 2), so nothing queues and each request's CPU is its own. The CPU is
read from /proc (user + system time, in clock ticks) for the web server's processes (the
gunicorn master `--server-pid` and its workers) and for PostgreSQL's connections to the site's
database (`--database`: the database is on this machine, so what it spends answering is the
search's too; not autovacuum, which tidies after the bulk load, nor other databases), before
and after. The machine's limit is cores x 1000 / CPU-ms per search: what it could serve if search
were all it did and every core were busy. Only for a server on 127.0.0.1 the load test started.
"""

import argparse
import os
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")

SEARCHES = [
    {"postcode": "NE1 4ST"},
    {"postcode": "NE48 2BT"},
    {"postcode": "Hexham"},
    {"postcode": "NE6 2HL", "age": "9", "need": "autism", "mode": "both"},
    {"postcode": "NE66 1TH", "radius": "30", "page": "2"},
    {"postcode": "NE46 3NR", "verified_dbs": "on", "funding": "direct-payment"},
    {"postcode": "Newcastle upon Tyne"},
    {"postcode": "NE28 6UP", "need": "learning-disability", "mode": "come"},
]


def title(pid: int) -> str:
    """What a process calls itself (PostgreSQL's backends: "postgres: 15/main: <user> <database>
    <client> <state>")."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def processes() -> dict[int, tuple[str, int]]:
    """pid -> (command name, parent pid) for every process."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        found[int(entry.name)] = (name, int(fields[1]))
    return found


def cpu_ticks(pids) -> int:
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue  # a process that ended between the listing and the reading
        fields = stat[stat.rindex(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def groups(server_pid: int, database: str = "") -> dict[str, list[int]]:
    table = processes()
    web = [server_pid] + [pid for pid, (_name, parent) in table.items() if parent == server_pid]
    backends = [
        pid
        for pid, (name, _parent) in table.items()
        if name.startswith("postgres")
        and database
        and f" {database} " in f"{title(pid)} "
        and "autovacuum" not in title(pid)
    ]
    return {"web": web, "database": backends}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--database", default="", help="The site's PostgreSQL database, whose connections count"
    )
    options = parser.parse_args(argv)
    host = urllib.parse.urlsplit(options.host)
    if host.hostname != "127.0.0.1":
        parser.error("only a server on 127.0.0.1 that the load test started")
    urls = [f"{options.host}/search/?{urllib.parse.urlencode(q)}" for q in SEARCHES]
    for url in urls:  # warm every worker's caches once, untimed
        urllib.request.urlopen(url, timeout=30).read()  # noqa: S310 (127.0.0.1 only)
    pids = groups(options.server_pid, options.database)
    before = {key: cpu_ticks(found) for key, found in pids.items()}
    wall = []
    started = time.perf_counter()
    for i in range(options.requests):
        begun = time.perf_counter()
        with urllib.request.urlopen(urls[i % len(urls)], timeout=30) as response:  # noqa: S310
            response.read()
            if response.status != 200:
                print(f"search answered {response.status}", file=sys.stderr)
                return 1
        wall.append((time.perf_counter() - begun) * 1000)
    elapsed = time.perf_counter() - started
    after = {key: cpu_ticks(found) for key, found in pids.items()}
    ms = {key: (after[key] - before[key]) * 1000 / TICK / options.requests for key in pids}
    total = sum(ms.values())
    cores = os.cpu_count() or 1
    limit = cores * 1000 / total if total else float("inf")
    print(
        f"{options.requests} searches one at a time in {elapsed:.1f} s: wall p50 "
        f"{statistics.median(wall):.0f} ms, p95 {statistics.quantiles(wall, n=20)[-1]:.0f} ms"
    )
    print(
        f"CPU a search: {total:.1f} ms (web server {ms['web']:.1f} ms, PostgreSQL "
        f"{ms['database']:.1f} ms; clock tick {1000 / TICK:.0f} ms)"
    )
    print(
        f"machine limit: {cores} cores x 1000 / {total:.1f} ms = {limit:.0f} searches a second; "
        f"the target at saturation (80%): {0.8 * limit:.0f} a second"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
