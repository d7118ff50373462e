package dev.proflab.export;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ProfileReader;
import jdk.jfr.Recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Real recordings for the tests: JDK Flight Recorder, in this JVM, of {@link Fib} on a thread of its
 * own (so the stacks are shallow and complete), read into a {@link Profile} by {@link ProfileReader}.
 * Recorded once per test JVM.
 */
final class Recordings {

    private static Path cpu;
    private static Path alloc;

    private Recordings() {
    }

    /** A CPU recording of about a second of {@code Fib.recursive(30)} in a loop (jdk.ExecutionSample every 1 ms). */
    static synchronized Path cpuRecording() {
        if (cpu == null) {
            cpu = record("fib-cpu", "jdk.ExecutionSample", () -> {
                long sink = 0;
                long end = System.nanoTime() + 1_200_000_000L;
                while (System.nanoTime() < end) {
                    sink += Fib.recursive(27);
                }
                return sink;
            });
        }
        return cpu;
    }

    /** An allocation recording of {@code Fib.boxes} (jdk.ObjectAllocationSample, unthrottled). */
    static synchronized Path allocRecording() {
        if (alloc == null) {
            alloc = record("fib-alloc", "jdk.ObjectAllocationSample", () -> {
                long sink = 0;
                long end = System.nanoTime() + 600_000_000L;
                while (System.nanoTime() < end) {
                    sink += Fib.boxes(10_000);
                }
                return sink;
            });
        }
        return alloc;
    }

    static Profile cpuProfile() {
        return read(cpuRecording(), "cpu");
    }

    static Profile allocProfile() {
        return read(allocRecording(), "alloc");
    }

    interface Work {
        long run();
    }

    private static Path record(String name, String event, Work work) {
        try {
            Path file = Files.createTempFile(name, ".jfr");
            file.toFile().deleteOnExit();
            try (Recording r = new Recording()) {
                r.enable(event).withPeriod(Duration.ofMillis(1)).withStackTrace();
                r.enable("jdk.ActiveSetting"); // the sampling period: without it the reader cannot tell the cpu time
                if (event.equals("jdk.ObjectAllocationSample")) {
                    r.enable(event).with("throttle", "off");
                }
                r.setToDisk(true);
                r.start();
                long[] sink = new long[1];
                Thread t = new Thread(() -> sink[0] = work.run(), "fib-worker");
                t.start();
                t.join();
                r.stop();
                r.dump(file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads a recording with the project's reader ({@code cpu} or {@code alloc}). */
    static Profile read(Path jfr, String event) {
        return ProfileReader.read(jfr, event);
    }
}
