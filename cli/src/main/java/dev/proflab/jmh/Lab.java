package dev.proflab.jmh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The labs that {@code proflab compare} knows: which benchmark, which parameter tells the variants
 * apart, and the role of each variant: the "before" (the baseline, first column), the "after", and any
 * other step worth a column of its own (the best, a middle step, a lock-free alternative).
 */
public enum Lab {
    FIB("fib", "dev.proflab.bench.FibBench.fib",
            "recursive", "before", "memo", "after", "iterative", "best"),
    ALLOC("alloc", "dev.proflab.bench.AllocBench.allocate",
            "before", "before", "reuse-digest", "digest reused", "after", "after"),
    MUTEX("mutex", "dev.proflab.bench.MutexBench.record",
            "before", "before", "after", "after", "adder", "lock-free"),
    /** The Go seed's pair, kept to show why its "after" was not a fair experiment. */
    MUTEX_SEED("mutex-seed", "dev.proflab.bench.MutexBench.record",
            "seed-before", "before", "seed-after", "after"),
    /** A pitfall rather than a lab: a dropped result lets the JIT delete the work (JMH dead-code elimination). */
    DCE("dce", "dev.proflab.bench.DeadCodeBench.fib",
            "returned", "result returned", "discarded", "result dropped", "blackhole", "Blackhole"),
    /** The final challenge: the original job against the learner's copy (labs/.../challenge/MySalesReport). */
    CHALLENGE("challenge", "dev.proflab.bench.ChallengeBench.report",
            "before", "before", "mine", "your fix"),
    /** The final challenge's reference fix against the original. */
    CHALLENGE_SOLUTION("challenge-solution", "dev.proflab.bench.ChallengeBench.report",
            "before", "before", "solution", "after");

    /** The parameter whose values are the variants. */
    public static final String PARAM = "impl";

    private final String id;
    private final String benchmark;
    private final List<String> variants;
    private final Map<String, String> roles;

    /** {@code variantsAndRoles}: value, role, value, role, ...; the first is the baseline. */
    Lab(String id, String benchmark, String... variantsAndRoles) {
        this.id = id;
        this.benchmark = benchmark;
        List<String> v = new ArrayList<>();
        Map<String, String> r = new LinkedHashMap<>();
        for (int i = 0; i < variantsAndRoles.length; i += 2) {
            v.add(variantsAndRoles[i]);
            r.put(variantsAndRoles[i], variantsAndRoles[i + 1]);
        }
        this.variants = List.copyOf(v);
        this.roles = Map.copyOf(r);
    }

    public String id() {
        return id;
    }

    /** The benchmark's full name. */
    public String benchmark() {
        return benchmark;
    }

    /** A JMH include pattern that matches this benchmark only. */
    public String include() {
        return "^" + benchmark.replace(".", "\\.") + "$";
    }

    /** The baseline: the first column. */
    public String before() {
        return variants.get(0);
    }

    /** The variants in column order; the first is the baseline. */
    public List<String> variants() {
        return variants;
    }

    /** The role of a variant in words: before, after, best, lock-free ...; empty for a stranger. */
    public String role(String variant) {
        return roles.getOrDefault(variant, "");
    }

    public static Optional<Lab> byId(String id) {
        String k = id.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(l -> l.id.equals(k)).findFirst();
    }

    /** "fib, alloc, mutex, mutex-seed, dce, challenge or challenge-solution", for messages. */
    public static String ids() {
        List<String> ids = Arrays.stream(values()).map(Lab::id).collect(Collectors.toList());
        return String.join(", ", ids.subList(0, ids.size() - 1)) + " or " + ids.get(ids.size() - 1);
    }
}
