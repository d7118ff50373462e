package dev.proflab.report;

import dev.proflab.profile.Profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * pprof's {@code -tags}: each label key of the selected samples with its values and their totals, heaviest first.
 * The keys are the profile's labels ({@code file} of a merge, pprof's string labels) and {@code thread}, every
 * sample's thread. A key's total is of the samples that have it; a sample with two values of a key counts in both.
 */
public final class Tags {

    /** One value of a key: its selected value and share of the key's total. */
    public record Value(String name, long value, double percent) {
    }

    /** One label key, the total of the samples that have it, and its values. */
    public record Key(String name, long total, List<Value> values) {
    }

    public record Result(Header header, List<Key> keys) {
    }

    private Tags() {
    }

    public static Result compute(Profile profile, Selection selection) {
        return compute(CallIndex.of(profile, selection));
    }

    /** The labels of the samples {@code x} selects (time range, thread, labels, focus, ignore). */
    public static Result compute(CallIndex x) {
        Profile p = x.profile;
        long[] bySet = new long[p.labelSetCount()];
        long[] byThread = new long[p.threadCount()];
        long from = x.selection.fromNanos();
        long to = x.selection.toNanos();
        for (int i = 0, n = p.sampleCount(); i < n; i++) {
            long t = p.timeOf(i);
            if (t < from || t >= to || x.stackValue[p.stackOf(i)] == 0 || !x.keeps(i)) {
                continue;
            }
            long v = p.value(i, x.valueIndex);
            bySet[p.labelSetOf(i)] += v;
            byThread[p.threadOf(i)] += v;
        }
        Map<String, Map<String, Long>> keys = new TreeMap<>();
        Map<String, Long> threads = new HashMap<>();
        for (int th = 0; th < byThread.length; th++) {
            if (byThread[th] != 0) {
                threads.merge(p.threadName(th), byThread[th], Long::sum);
            }
        }
        if (!threads.isEmpty()) {
            keys.put(TagFilter.THREAD, threads);
        }
        for (int s = 0; s < bySet.length; s++) {
            if (bySet[s] == 0) {
                continue;
            }
            for (int k = 0, m = p.labelCount(s); k < m; k++) {
                String key = p.labelKey(s, k);
                if (key.equals(TagFilter.THREAD)) {
                    continue; // the thread is the sample's thread
                }
                keys.computeIfAbsent(key, x2 -> new HashMap<>()).merge(p.labelValue(s, k), bySet[s], Long::sum);
            }
        }
        List<Key> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> e : keys.entrySet()) {
            long total = 0;
            for (long v : e.getValue().values()) {
                total += v;
            }
            List<Value> values = new ArrayList<>();
            for (Map.Entry<String, Long> v : e.getValue().entrySet()) {
                values.add(new Value(v.getKey(), v.getValue(), Top.pct(v.getValue(), total)));
            }
            values.sort((a, b) -> a.value() != b.value() ? Long.compare(Math.abs(b.value()), Math.abs(a.value()))
                    : a.name().compareTo(b.name()));
            out.add(new Key(e.getKey(), total, List.copyOf(values)));
        }
        // pprof sorts keys by their totals, heaviest first; then by name
        out.sort((a, b) -> a.total() != b.total() ? Long.compare(Math.abs(b.total()), Math.abs(a.total()))
                : a.name().compareTo(b.name()));
        return new Result(x.header(), List.copyOf(out));
    }
}
