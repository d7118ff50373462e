package dev.proflab.agent;

/**
 * The small application the agent's tests start: spins in {@link #spinHot} for {@code args[0]} seconds, prints
 * "done" on standard output and returns (exit 0): a JVM that the agent must neither hold up nor keep alive.
 */
public final class HotApp {

    private HotApp() {
    }

    static long spinHot(long n) {
        long s = 0;
        for (long i = 0; i < n; i++) {
            s += i * 31 ^ (s >>> 3);
        }
        return s;
    }

    public static void main(String[] args) {
        long end = System.nanoTime() + (long) (Double.parseDouble(args.length > 0 ? args[0] : "0") * 1e9);
        long s = 0;
        do {
            s += spinHot(1_000_000);
        } while (System.nanoTime() < end);
        System.out.println("done " + (s & 1));
    }
}
