"""Summary of interleaved with/without load runs (scripts/bench-capture, scripts/bench-always-on).

Each run left OUT/<kind>-<variant>-<round>.json (proflab load --format json) and OUT/<kind>-<variant>-<round>.cpu
(the service's CPU seconds meanwhile). Prints medians [min-max], the ratio, a two-sided exact Mann-Whitney U test
and the within-round ratios (the two runs of a round were back to back, so the machine's drift cancels).

  python3 scripts/benchstats.py OUT ROUNDS BASE:LABEL OTHER:LABEL KIND:METRIC[:TARGET] ...
  METRIC: tput (throughput, target a ratio >= T), p99 (p99 latency, target a rise <= T), cpu (CPU per request)
"""
import itertools, json, statistics, sys


def ranks(xs):
    order = sorted(range(len(xs)), key=lambda i: xs[i]); r = [0.0] * len(xs); i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[order[j + 1]] == xs[order[i]]: j += 1
        for k in range(i, j + 1): r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def mann_whitney(a, b):
    """Two-sided exact p of the rank sum (mid-ranks for ties): every split of the pooled ranks."""
    rk = ranks(a + b); n = len(a); mean = n * (len(rk) + 1) / 2
    obs = abs(sum(rk[:n]) - mean); hits = total = 0
    for c in itertools.combinations(rk, n):
        total += 1
        if abs(sum(c) - mean) >= obs - 1e-9: hits += 1
    return hits / total


METRICS = {  # name, value of one run, how the target reads, worse when
    "tput": ("throughput (req/s)", lambda d, c: d["throughput_rps"], "ratio"),
    "p99": ("p99 latency (ms)", lambda d, c: d["latency_ms"]["p99"], "rise"),
    # the CPU was read around the whole load, its warm-up included
    "cpu": ("CPU per request (ms)", lambda d, c: 1000 * c / (d["requests"] + d.get("warmup_requests", 0)), "rise"),
}


def main(argv):
    out, rounds = argv[1], int(argv[2])
    (base, base_label), (other, other_label) = (a.split(":", 1) for a in argv[3:5])
    rows = []
    for spec in argv[5:]:
        parts = spec.split(":")
        rows.append((parts[0], parts[1], float(parts[2]) if len(parts) > 2 else None))

    def values(kind, v, f):
        return [f(json.load(open(f"{out}/{kind}-{v}-{r}.json")), float(open(f"{out}/{kind}-{v}-{r}.cpu").read()))
                for r in range(1, rounds + 1)]

    print(f"{'metric':<26} {base_label + ': median [min-max]':>30} {other_label + ': median [min-max]':>34}"
          f" {'ratio':>7} {'p (MWU)':>8}  target")
    within = []
    for kind, metric, target in rows:
        name, f, how = METRICS[metric]
        if metric == "cpu" and len({r[0] for r in rows}) > 1:  # which runs' CPU: closed loop or fixed rate
            name = name.replace(" (ms)", f", {kind} (ms)")
        a, b = values(kind, base, f), values(kind, other, f)
        ma, mb = statistics.median(a), statistics.median(b); ratio = mb / ma; p = mann_whitney(a, b)
        if target is None:
            goal = "(the service's CPU time / requests)" if metric == "cpu" else ""
        else:
            ok = ratio >= target if how == "ratio" else ratio - 1 <= target
            goal = (f">= {target:.2f}" if how == "ratio" else f"<= +{target:.0%}") + (": met" if ok else ": NOT met")
        print(f"{name:<26} {ma:12.2f} [{min(a):.2f}-{max(a):.2f}]{'':>4} {mb:14.2f} [{min(b):.2f}-{max(b):.2f}]{'':>4}"
              f" {ratio:7.3f} {p:8.3f}  {goal}{'' if p < 0.05 else ' (difference not significant)'}")
        q = sorted(y / x for x, y in zip(a, b))
        worse = sum(1 for x in q if (x < 1 if how == "ratio" else x > 1))
        within.append(f"{name.split(' (')[0]} median {statistics.median(q):.3f} [{q[0]:.3f}-{q[-1]:.3f}],"
                      f" worse in {worse} of {len(q)} rounds")
    print(f"within a round ({other_label} / {base_label}, back-to-back runs): " + "; ".join(within))
    bad = {v: sum(sum(values(k, v, lambda d, c: d["requests"] - d["status"]["2xx"] + sum(d["errors"].values())))
                  for k in {r[0] for r in rows}) for v in (base, other)}
    print(f"n={rounds}+{rounds} per metric; Mann-Whitney U, two-sided, exact (alpha 0.05); "
          f"non-2xx or failed requests: {bad[base]} {base_label}, {bad[other]} {other_label}")


if __name__ == "__main__":
    main(sys.argv)
