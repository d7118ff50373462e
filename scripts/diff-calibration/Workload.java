import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.IntBinaryOperator;
import java.util.stream.Collectors;

/**
 * The fixed program of the diff calibration (scripts/diff-calibration, docs/diff-significance.md): one
 * thread, always on the CPU, running the same work in the same order on the same data every time, so that
 * two recordings of it differ only by chance. Its functions have different weights and phases:
 *
 * <ul>
 *   <li>a cycle of six functions, each a contiguous stretch of a few milliseconds (runs of one or two samples
 *       at the default 10 ms): {@code tokenize} (streams and lambdas), {@code sortRecords} (comparators built
 *       from lambdas), {@code matrix}, {@code checksum}, {@code render} (string formatting) and
 *       {@code dispatch} (reflection, a proxy, method handles: the JVM's generated classes);
 *   <li>every 12th cycle {@code compact}, a burst of ~100 ms: a long run of samples in one function, which a
 *       test that takes every sample as independent mistakes for evidence;
 *   <li>two modes that alternate every 24 cycles, one with more sorting and one with more matrix work.
 * </ul>
 *
 * <p>Usage: {@code java Workload.java SECONDS [heavier]}. With {@code heavier}, {@code checksum} does 2.5x its
 * work (about 5% of the samples become about 12%); nothing else changes.
 */
public class Workload {

    static volatile long sink;

    interface Shape {
        double area(double scale);
    }

    public static void main(String[] args) throws Throwable {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 6.5;
        boolean heavier = args.length > 1 && args[1].equals("heavier");
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        Random r = new Random(42);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            words.add(Long.toString(r.nextLong() & Long.MAX_VALUE, 36));
        }
        byte[] bytes = new byte[1 << 16];
        r.nextBytes(bytes);
        double[][] m = new double[48][48];
        for (double[] row : m) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextDouble();
            }
        }
        int checksumRounds = heavier ? 10 : 4;
        for (int cycle = 0; System.nanoTime() < deadline; cycle++) {
            boolean sortMode = (cycle / 24) % 2 == 0;
            tokenize(words, 3);
            sortRecords(words, sortMode ? 2 : 1);
            matrix(m, sortMode ? 10 : 20);
            checksum(bytes, checksumRounds);
            render(words, 6);
            dispatch(3000);
            if (cycle % 12 == 11) {
                compact(words, bytes);
            }
        }
    }

    static void tokenize(List<String> words, int rounds) {
        long s = 0;
        for (int k = 0; k < rounds; k++) {
            int salt = k;
            s += words.stream()
                    .map(w -> w + salt)
                    .filter(w -> w.indexOf('z') < 0)
                    .mapToInt(w -> w.chars().map(c -> c * 31 + salt).sum())
                    .sum();
            s += words.stream().collect(Collectors.groupingBy(w -> w.charAt(0), Collectors.counting())).size();
        }
        sink += s;
    }

    record Rec(String name, int size, long stamp) {
    }

    static void sortRecords(List<String> words, int rounds) {
        List<Rec> recs = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            recs.add(new Rec(w, w.length(), (long) w.hashCode() * i));
        }
        long s = 0;
        for (int k = 0; k < rounds; k++) {
            List<Rec> copy = new ArrayList<>(recs);
            copy.sort(Comparator.comparingInt(Rec::size).thenComparing(Rec::name).thenComparingLong(Rec::stamp));
            s += copy.get(k).stamp();
            copy.sort(Comparator.comparing(Rec::name, Comparator.reverseOrder()));
            s += copy.get(0).size();
        }
        sink += s;
    }

    static void matrix(double[][] m, int rounds) {
        int n = m.length;
        double[][] out = new double[n][n];
        for (int k = 0; k < rounds; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int x = 0; x < n; x++) {
                        acc += m[i][x] * m[x][j];
                    }
                    out[i][j] = acc;
                }
            }
        }
        sink += (long) out[1][2];
    }

    static void checksum(byte[] bytes, int rounds) {
        long h = 1125899906842597L;
        for (int k = 0; k < rounds; k++) {
            for (byte b : bytes) {
                h = 31 * h + (b ^ k);
                h ^= h >>> 17;
            }
        }
        sink += h;
    }

    static void render(List<String> words, int rounds) {
        long s = 0;
        for (int k = 0; k < rounds; k++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 300; i++) {
                sb.append(String.format("%-12s|%6d|%08x%n", words.get(i), i * k, words.get(i).hashCode()));
            }
            s += sb.length();
        }
        sink += s;
    }

    /** Reflection, a dynamic proxy, a method handle and a lambda behind an interface. */
    static void dispatch(int calls) throws Throwable {
        Method length = String.class.getMethod("length");
        MethodHandle concat = MethodHandles.lookup().findVirtual(String.class, "concat",
                MethodType.methodType(String.class, String.class));
        Shape shape = (Shape) Proxy.newProxyInstance(Workload.class.getClassLoader(), new Class<?>[]{Shape.class},
                (proxy, method, a) -> ((Double) a[0]) * 3.14);
        IntBinaryOperator op = (a, b) -> a * 31 + b;
        long s = 0;
        for (int i = 0; i < calls; i++) {
            String v = (String) concat.invokeExact("w", Integer.toString(i));
            s += (Integer) length.invoke(v);
            s += (long) shape.area(i);
            s = op.applyAsInt((int) s, i);
        }
        sink += s;
    }

    static void compact(List<String> words, byte[] bytes) {
        long s = 0;
        for (int k = 0; k < 6; k++) {
            String[] a = words.toArray(new String[0]);
            Arrays.sort(a, (x, y) -> Integer.compare(x.hashCode() ^ y.length(), y.hashCode() ^ x.length()));
            s += a[0].length();
            byte[] c = Arrays.copyOf(bytes, bytes.length);
            Arrays.sort(c);
            s += c[c.length / 2];
        }
        sink += s;
    }
}
