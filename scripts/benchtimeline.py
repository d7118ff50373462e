"""Per-second latency of the load runs of scripts/bench-capture (the `timeline` of proflab load --format json).

For each variant: every run's p99, the median and the max over runs of each second's p99, and in which second
each run had its worst p99 (a capture's start or end, or a warm-up's tail, shows as a second that stands out).

  python3 scripts/benchtimeline.py OUT [KIND]     (KIND: p99, the fixed-rate runs, or tput)
"""
import json, sys, glob, statistics, collections
out, kind = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "p99"
by = collections.defaultdict(list)
for f in sorted(glob.glob(f"{out}/{kind}-*-*.json")):
    _, v, r = f.rsplit("/", 1)[1][:-5].split("-")
    d = json.load(open(f))
    by[v].append((int(r), d))
for v, runs in sorted(by.items()):
    runs.sort()
    print(f"== {v}: {len(runs)} runs; run p99: " + " ".join(f"{d['latency_ms']['p99']:.0f}" for _, d in runs))
    secs = collections.defaultdict(list)
    for _, d in runs:
        for i, s in enumerate(d["timeline"]):
            secs[i].append(s["p99_ms"])
    print("  per-second p99, median over runs: " + " ".join(f"{statistics.median(secs[i]):.0f}" for i in sorted(secs)))
    print("  per-second p99, max over runs:    " + " ".join(f"{max(secs[i]):.0f}" for i in sorted(secs)))
    # in each run, which second holds the largest p99
    worst = collections.Counter(max(range(len(d["timeline"])), key=lambda i: d["timeline"][i]["p99_ms"]) + 1 for _, d in runs)
    print("  second with the run's worst p99: " + ", ".join(f"s{k}:{c}" for k, c in sorted(worst.items())))
