package dev.proflab.report;

/**
 * Function names of code the JVM generates at run time, made the same from one run to the next, so that a
 * diff matches them across two recordings instead of showing each as gone on one side and new on the other.
 * The raw name stays what reports show; this is the key they match by.
 *
 * <p>Each rule with the names it was written from, recorded with {@code scripts/diff-calibration/GeneratedFrames.java}
 * (JDK 17.0.15 and 25.0.3, async-profiler 4.5 and JDK Flight Recorder, as {@code dev.proflab.profile.Frame#name()}
 * gives them):
 *
 * <ol>
 *   <li><b>Hidden class addresses</b>: a {@code .}, {@code /} or {@code +} followed by {@code 0x} and 8 or 16 hex
 *       digits (the JVM's pointer format, 32- or 64-bit) and then a {@code .} or the end, is removed.
 *       {@code java.lang.invoke.LambdaForm$DMH.0x0000000048041c00.invokeVirtual} (async-profiler, JDK 25) and
 *       {@code java.lang.invoke.LambdaForm$MH.0x00007f0ca8002800.invokeExact_MT} (JDK 17) become
 *       {@code java.lang.invoke.LambdaForm$DMH.invokeVirtual} and {@code ...LambdaForm$MH.invokeExact_MT}, the names
 *       JDK Flight Recorder's recordings of the same program already have after reading;
 *       {@code java.lang.String$$StringConcat.0x000000004804a400.concat} becomes
 *       {@code java.lang.String$$StringConcat.concat}. Any class defined with {@code Lookup.defineHiddenClass}
 *       is named this way (lambdas, {@code LambdaForm$MH/DMH/BMH}, string concatenation, frameworks' proxies).
 *       The address depends on where the class landed in memory: it differs between runs. Shorter hex numbers
 *       are left alone: {@code I2C/C2I adapters(0xbbe)} (a signature) or {@code libfoo.so+0x1a2b3} (an offset)
 *       are the same in every run.
 *   <li><b>Lambda numbering</b>: {@code $$Lambda$} followed by digits loses the digits:
 *       {@code Foo$$Lambda$14.0x0000000800c03000.apply} (JDK 17) becomes {@code Foo$$Lambda.apply}, as JDK 21+
 *       names it ({@code Foo$$Lambda.0x...}). The number counts the lambdas spun before it in the JVM.
 *   <li><b>JDK 8 anonymous classes</b>: a {@code /} followed by decimal digits and then a {@code .} or the end,
 *       after a letter, digit, {@code $} or {@code _}, is removed: {@code java.lang.invoke.LambdaForm$MH/1283928880.invokeExact_MT}
 *       and {@code Foo$$Lambda$1/1234567.run} become {@code java.lang.invoke.LambdaForm$MH.invokeExact_MT} and
 *       {@code Foo$$Lambda.run} (an identity hash code, different in every run).
 *   <li><b>Reflection accessors</b>: {@code GeneratedMethodAccessor}, {@code GeneratedConstructorAccessor} and
 *       {@code GeneratedSerializationConstructorAccessor} at the start of a class name lose the number after them:
 *       {@code jdk.internal.reflect.GeneratedMethodAccessor1.invoke} (async-profiler, JDK 17) and
 *       {@code jdk.internal.reflect.GeneratedMethodAccessor7.invoke} (the same program under JDK Flight Recorder,
 *       whose own reflection came first) both become {@code jdk.internal.reflect.GeneratedMethodAccessor.invoke};
 *       likewise {@code GeneratedConstructorAccessor1} / {@code 18} and {@code GeneratedSerializationConstructorAccessor1}
 *       (deserialising a class whose superclass is not serialisable). JDK 18+ reflects through method handles
 *       ({@code jdk.internal.reflect.DirectMethodHandleAccessor}), a stable name; JDK 8 has the same classes in
 *       {@code sun.reflect}.
 *   <li><b>Proxies</b>: {@code $Proxy} followed by digits at the start of a class name loses the digits, and so
 *       does the package {@code jdk.proxy} with digits right before it: {@code jdk.proxy1.$Proxy0.applyAsLong}
 *       (async-profiler) and {@code jdk.proxy2.$Proxy24.applyAsLong} (the same program under JDK Flight Recorder,
 *       which makes proxies of its own first) become {@code jdk.proxy.$Proxy.applyAsLong}; {@code $Proxy1.work}
 *       and {@code $Proxy25.work} (a package-private interface: the proxy is in its package) become
 *       {@code $Proxy.work}; {@code com.sun.proxy.$Proxy12} (JDK 8 to 15) becomes {@code com.sun.proxy.$Proxy}.
 * </ol>
 *
 * <p>Left as they are, being the same in every run: {@code java.lang.invoke.BoundMethodHandle$Species_LJ}
 * (named after the types it binds), {@code Foo.lambda$main$0} and {@code java.util.Comparator.lambda$comparing$77a9974f$1}
 * (named by javac: the same for the same build; a different build may number them differently), native and
 * kernel symbols. Several classes of one kind fall together: all of a program's {@code GeneratedMethodAccessor}s
 * are one function after this, as all its lambdas of one class already are once read ({@code Foo$$Lambda.apply}).
 *
 * <p>Linear in the length of the name, with no regular expression; a name with nothing to change is returned
 * as the same instance, after one pass that looks for {@code $}, {@code /}, {@code 0x} and {@code G}enerated.
 */
public final class GeneratedNames {

    private static final String LAMBDA = "$$Lambda$";
    private static final String PROXY = "$Proxy";
    private static final String PROXY_PACKAGE = "jdk.proxy";
    private static final String[] ACCESSORS = {
        "GeneratedMethodAccessor", "GeneratedConstructorAccessor", "GeneratedSerializationConstructorAccessor"};

    private GeneratedNames() {
    }

    /**
     * {@code frameName} with the run-specific parts of generated names removed (the rules above); the same
     * instance when there are none. Null is returned as null.
     */
    public static String normalize(String frameName) {
        if (frameName == null) {
            return null;
        }
        String s = frameName;
        int n = s.length();
        StringBuilder out = null;
        int copied = 0;   // s[copied, i) is still to be copied to out
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            int from = -1;   // a change: s[from, to) is dropped
            int to = -1;
            if (c == '.' || c == '/' || c == '+') {
                int end = address(s, i + 1);
                if (end > 0 && i > 0 && (end == n || s.charAt(end) == '.')) {
                    from = i;
                    to = end;
                } else if (c == '/' && i > 0 && isNamePart(s.charAt(i - 1))) {
                    int d = digits(s, i + 1);
                    if (d > i + 1 && (d == n || s.charAt(d) == '.')) {
                        from = i;
                        to = d;
                    }
                }
            } else if (c == '$') {
                if (s.startsWith(LAMBDA, i)) {
                    int d = digits(s, i + LAMBDA.length());
                    if (d > i + LAMBDA.length()) {
                        from = i + LAMBDA.length() - 1;   // keep "$$Lambda", drop "$14"
                        to = d;
                    }
                } else if (s.startsWith(PROXY, i) && startsClass(s, i)) {
                    int d = digits(s, i + PROXY.length());
                    if (d > i + PROXY.length() && (d == n || s.charAt(d) == '.')) {
                        from = i + PROXY.length();
                        to = d;
                    }
                }
            } else if (c == 'G' && startsClass(s, i)) {
                for (String a : ACCESSORS) {
                    if (s.startsWith(a, i)) {
                        int d = digits(s, i + a.length());
                        if (d > i + a.length() && (d == n || s.charAt(d) == '.')) {
                            from = i + a.length();
                            to = d;
                        }
                        break;
                    }
                }
            } else if (c == 'j' && startsClass(s, i) && s.startsWith(PROXY_PACKAGE, i)) {
                int d = digits(s, i + PROXY_PACKAGE.length());
                if (d > i + PROXY_PACKAGE.length() && d < n && s.charAt(d) == '.' && s.startsWith(PROXY, d + 1)) {
                    from = i + PROXY_PACKAGE.length();
                    to = d;
                }
            }
            if (from < 0) {
                i++;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(s, copied, from);
            copied = to;
            i = to;
        }
        if (out == null) {
            return s;
        }
        return out.append(s, copied, n).toString();
    }

    /** The end of {@code 0x} and exactly 8 or 16 hex digits from {@code at}, or -1. */
    private static int address(String s, int at) {
        int n = s.length();
        if (at + 1 >= n || s.charAt(at) != '0' || s.charAt(at + 1) != 'x') {
            return -1;
        }
        int i = at + 2;
        while (i < n && i - at - 2 <= 16 && Character.digit(s.charAt(i), 16) >= 0) {
            i++;
        }
        int len = i - at - 2;
        return len == 8 || len == 16 ? i : -1;
    }

    /** The end of the decimal digits from {@code at} (at {@code at} itself when there are none). */
    private static int digits(String s, int at) {
        int i = at;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** Whether a class name (or a package name) starts at {@code i}: the start, or after a {@code .}. */
    private static boolean startsClass(String s, int i) {
        return i == 0 || s.charAt(i - 1) == '.';
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '$' || c == '_';
    }
}
