"""Print the load test's figures from locust's CSV: requests/s, p50/p95/p99 and errors per kind
of request, grouped by who makes them (families, providers, brokers, the open data harvester),
then what the errors were. `python loadtest/report.py PREFIX` (PREFIX as given to locust's
--csv). Exits 1 if any request failed."""

import csv
import os
import sys

# Who makes each kind of request, by the start of its name (loadtest/locustfile.py).
GROUPS = (
    ("provider:", "providers"),
    ("broker:", "brokers"),
    ("oruk:", "open data harvester"),
)


def group_of(name: str) -> str:
    for prefix, group in GROUPS:
        if name.startswith(prefix):
            return group
    return "families"


def main(prefix: str) -> int:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = [row for row in rows if row["Name"] == "Aggregated"]
    rows = [row for row in rows if row["Name"] != "Aggregated"]
    order = ["families"] + [group for _, group in GROUPS]
    rows.sort(key=lambda row: (order.index(group_of(row["Name"])), row["Name"]))
    width = max([len(row["Name"]) for row in rows] + [24])
    header = (
        f"{'request':<{width}} {'count':>6} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} "
        f"{'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    group = None
    for row in rows + [dict(row, Name="TOTAL") for row in total]:
        name = row["Name"]
        if name != "TOTAL":
            failures += int(row["Failure Count"])
            if group_of(name) != group:
                group = group_of(name)
                print(f"[{group}]")
        print(
            f"{name:<{width}} {row['Request Count']:>6} {float(row['Requests/s']):>6.1f} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {row['Failure Count']:>6}"
        )
    print("(times in milliseconds)")
    errors_file = f"{prefix}_failures.csv"
    if failures and os.path.exists(errors_file):
        with open(errors_file, newline="") as handle:
            errors = sorted(csv.DictReader(handle), key=lambda e: -int(e["Occurrences"]))
        print("\nErrors:")
        for error in errors[:10]:
            print(f"  {error['Occurrences']:>5} x {error['Name']}: {error['Error'][:200]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
