#!/usr/bin/env python3
"""Fails unless a run_cases.py report meets the chart corpus floor.

usage: charts_floor.py REPORT

The floor (issue "Charts end to end"): every case from Helm's own test charts
(`helm__*`) passes, and at least 95% of all cases pass. Failing cases stay
listed in the report; nothing is filtered.
"""
import re
import sys

MIN_SHARE = 0.95


def main(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    if not lines:
        sys.exit("charts floor: empty report")
    m = re.fullmatch(r"(\d+) passed, (\d+) failed", lines[-1].strip())
    if not m:
        sys.exit(f"charts floor: no summary line in {path}")
    passed, failed = int(m.group(1)), int(m.group(2))
    helm_failures = [l for l in lines if l.startswith("FAIL helm__")]
    total = passed + failed
    share = passed / total if total else 0.0
    print(f"chart corpus: {passed} passed, {failed} failed ({share:.1%}; floor {MIN_SHARE:.0%}, every helm__ case)")
    if helm_failures:
        sys.exit("charts floor: Helm's own test cases failed:\n" + "\n".join(helm_failures))
    if share < MIN_SHARE:
        sys.exit(f"charts floor: {share:.1%} is below {MIN_SHARE:.0%}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
