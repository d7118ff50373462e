package dev.proflab.gc;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap sizes as the JVM's options take them ({@code 64m}, {@code 1g}, {@code 524288k}, {@code 67108864}), checked
 * before any JVM starts so that a typo is one clear line, not a matrix of failed runs.
 */
public final class HeapSize {

    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})([kKmMgGtT]?)");
    /** The JVM refuses smaller heaps ("Too small maximum heap"); the labs need more anyway. */
    public static final long MIN_BYTES = 2L << 20;
    /** Options whose value (after the prefix) is a size. */
    private static final List<String> SIZE_OPTIONS = List.of("-Xmx", "-Xms", "-Xmn", "-XX:MaxHeapSize=",
            "-XX:InitialHeapSize=", "-XX:MinHeapSize=", "-XX:SoftMaxHeapSize=", "-XX:MaxNewSize=", "-XX:NewSize=");

    private HeapSize() {
    }

    /** Bytes of a size such as {@code 64m}; {@code what} names it in the error (e.g. "heap"). */
    public static long parse(String text, String what) {
        String t = text == null ? "" : text.strip();
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new GcCompareException(what + ": '" + text + "' is not a size (use e.g. 64m, 512m, 2g)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new GcCompareException(what + ": '" + text + "' is too large");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new GcCompareException(what + ": '" + text + "' is too large");
        }
        long bytes = n << shift;
        if (bytes > (1L << 42)) {
            throw new GcCompareException(what + ": '" + text + "' is larger than 4t, more than any JVM heap here");
        }
        return bytes;
    }

    /** As {@link #parse}, and at least {@link #MIN_BYTES}: a heap the JVM can start with. */
    public static long parseHeap(String text, String what) {
        long b = parse(text, what);
        if (b < MIN_BYTES) {
            throw new GcCompareException(what + ": '" + text + "' is too small for a heap (at least 2m)");
        }
        return b;
    }

    /** The canonical spelling: {@code 64m}, {@code 1g}, {@code 1536k}. */
    public static String format(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        if (bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "g";
        }
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "m";
        }
        if (bytes % 1024 == 0) {
            return (bytes >> 10) + "k";
        }
        return Long.toString(bytes);
    }

    /**
     * Checks the size-valued options among JVM options ({@code -Xmx}, {@code -Xms}, {@code -XX:SoftMaxHeapSize=} ...);
     * throws {@link GcCompareException} naming the configuration and the option. Other options are left to
     * the JVM to judge (its own words are reported then).
     */
    public static void checkOptions(String config, List<String> options) {
        for (String o : options) {
            for (String prefix : SIZE_OPTIONS) {
                if (o.startsWith(prefix)) {
                    String v = o.substring(prefix.length());
                    boolean heapLimit = prefix.equals("-Xmx") || prefix.equals("-XX:MaxHeapSize=");
                    String what = "config " + config + ": " + o;
                    if (heapLimit) {
                        parseHeap(v, what);
                    } else {
                        parse(v, what);
                    }
                }
            }
        }
    }
}
