#!/usr/bin/env python3
"""Regenerates src/bin/chartroom-symbol-order.txt, the function order of the release command line.

usage: symbol_order.py --chartroom PATH [--corpus DIR] [--rounds N] [--out FILE]

Runs every case of the chart corpus N times (default 3) with PATH (a release build of
`chartroom`, as `./build.sh cli` makes it) under `perf record -g` at 40 kHz, and writes
the functions of PATH seen on a sampled stack, one mangled name a line: first those that
the most runs used, ties in the order they were first seen. `build.sh` hands the file to
the linker (lld's --symbol-ordering-file), which places these functions first, together:
a run then maps fewer of the executable's pages (the kernel maps 64 KiB around each
page fault, and code a run needs was spread over nearly all 5 MB of it). Functions no
sample caught keep the linker's order after them, and names the binary no longer has
are skipped, so a stale file only orders less; rerun this after large changes.

Needs Linux `perf`. Standard library only.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "src", "bin", "chartroom-symbol-order.txt")


def cases(corpus):
    """(case directory, argv) for every case of the corpus, run as run_cases.py runs them."""
    root = os.path.join(corpus, "cases")
    for name in sorted(os.listdir(root)):
        case_dir = os.path.join(root, name)
        with open(os.path.join(case_dir, "case.json")) as f:
            case = json.load(f)
        chart = os.path.relpath(os.path.join(corpus, case["chart"]), case_dir)
        release = [case["release"]] if case.get("release") is not None else []
        yield case_dir, ["template"] + release + [chart] + list(case.get("args", []))


def functions_of(binary):
    """The names of the functions defined in `binary` (its symbol table)."""
    out = subprocess.run(["nm", "--defined-only", binary], check=True, capture_output=True, text=True).stdout
    return {p[2] for p in (line.split() for line in out.splitlines()) if len(p) == 3 and p[1] in "tTwW"}


def record(binary, corpus, rounds, data):
    """Runs the corpus under perf, writing its samples to `data`."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as driver:
        driver.write(
            "import os, subprocess, sys\n"
            f"runs = {list(cases(corpus))!r}\n"
            f"for _ in range({rounds}):\n"
            "    for cwd, argv in runs:\n"
            f"        subprocess.run([{binary!r}] + argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        )
    try:
        subprocess.run(
            ["perf", "record", "-q", "-F", "40000", "-g", "-o", data, "--", sys.executable, driver.name],
            check=True,
        )
    finally:
        os.unlink(driver.name)


def order(binary, data):
    """The binary's functions on the recorded stacks, by the number of runs that used them."""
    defined = functions_of(binary)
    script = subprocess.run(
        ["perf", "script", "-i", data, "--no-demangle", "-F", "comm,pid,ip,sym"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # The main thread's name is the executable's (cut to the kernel's 15
    # characters); threads have their own names but the same process id.
    main_thread = os.path.basename(binary)[:15]
    ours = set()
    samples = []
    for block in script.split("\n\n"):
        lines = block.strip("\n").splitlines()
        if not lines:
            continue
        head = lines[0].split()
        if len(head) < 2:
            continue
        comm, pid = head[0], head[1]
        if comm == main_thread:
            ours.add(pid)
        frames = [p[1] for p in (line.split() for line in lines[1:]) if len(p) >= 2]
        samples.append((pid, frames))
    runs = collections.defaultdict(set)
    first = {}
    for pid, frames in samples:
        if pid not in ours:
            continue
        for name in frames:
            if name in defined:
                runs[name].add(pid)
                first.setdefault(name, len(first))
    return sorted(runs, key=lambda name: (-len(runs[name]), first[name])), len(ours)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--chartroom", required=True)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "conformance", "charts", "public"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    binary = os.path.abspath(args.chartroom)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "perf.data")
        record(binary, os.path.abspath(args.corpus), args.rounds, data)
        names, processes = order(binary, data)
    if not names:
        sys.exit("symbol_order: no samples of the binary (is perf allowed to record?)")
    with open(args.out, "w") as f:
        f.write("".join(name + "\n" for name in names))
    print(f"symbol_order: {len(names)} functions from {processes} runs -> {args.out}")
    # Cargo does not see the file change (the link flags name the same path).
    print("symbol_order: relink with `touch src/bin/chartroom.rs && ./build.sh cli`")


if __name__ == "__main__":
    main()
