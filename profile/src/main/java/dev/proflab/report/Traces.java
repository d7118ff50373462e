package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.List;

/** pprof's {@code traces}: the distinct stacks, heaviest first, each with its value. */
public final class Traces {

    /** One stack, leaf first, and its value. */
    public record Trace(long value, double percent, List<String> frames) {
    }

    /**
     * @param traces the traces shown
     * @param distinct how many distinct stacks there are
     */
    public record Result(Header header, List<Trace> traces, int distinct) {
    }

    private Traces() {
    }

    /** @param n traces to show, 0 or less for all */
    public static Result compute(Profile profile, Selection selection, int n) {
        return compute(CallIndex.of(profile, selection), n);
    }

    /** The same of an index, e.g. a comparison ({@link CallIndex#diff}). */
    public static Result compute(CallIndex x, int n) {
        // a trace is a node of the call tree where stacks end: its path of names
        CallIndex.Tree t = x.tree();
        List<Trace> all = new ArrayList<>();
        for (int node = 0; node < t.view.count; node++) {
            long v = t.self[node];
            if (v == 0 || t.reach[node] == 0) {
                continue;
            }
            List<String> names = new ArrayList<>();
            for (int at = node; at != 0; at = t.view.parent[at]) {
                names.add(t.name(at));
            }
            all.add(new Trace(v, Top.pct(v, x.total), List.copyOf(names)));
        }
        all.sort((a, b) -> {
            if (a.value() != b.value()) {
                return Long.compare(Math.abs(b.value()), Math.abs(a.value()));
            }
            return String.join(";", a.frames()).compareTo(String.join(";", b.frames()));
        });
        int distinct = all.size();
        List<Trace> shown = n > 0 && all.size() > n ? List.copyOf(all.subList(0, n)) : List.copyOf(all);
        return new Result(x.header(), shown, distinct);
    }
}
