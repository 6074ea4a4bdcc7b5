"""Print the load test's figures from locust's CSV: requests/s, p50/p95/p99 and errors per kind
of request. `python loadtest/report.py PREFIX` (PREFIX as given to locust's --csv)."""

import csv
import sys


def main(prefix: str) -> int:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = (
        f"{'request':<26} {'count':>6} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    failures = 0
    for row in rows:
        name = "TOTAL" if row["Name"] == "Aggregated" else row["Name"]
        failures += int(row["Failure Count"]) if name != "TOTAL" else 0
        print(
            f"{name:<26} {row['Request Count']:>6} {float(row['Requests/s']):>6.1f} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} {row['Failure Count']:>6}"
        )
    print("(times in milliseconds)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
