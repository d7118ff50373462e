package dev.proflab.report;

import dev.proflab.profile.Profile;
import dev.proflab.profile.ValueType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfileCacheTest {

    private static Profile profile() {
        return new Profile.Builder(new Profile.Meta("pprof", "cpu", 0, null, null, "", "", ""),
                List.of(new ValueType("samples", "count"))).build();
    }

    @Test
    void keepsValuesPerProfileAndKeyUntilTheBoundsEvictTheLeastRecentlyUsed() {
        ProfileCache c = new ProfileCache(3, 1000);
        Profile a = profile();
        Profile b = profile();
        AtomicInteger computed = new AtomicInteger();
        assertThat(c.get(a, "k", () -> "a" + computed.incrementAndGet(), v -> 10)).isEqualTo("a1");
        assertThat(c.get(a, "k", () -> "a" + computed.incrementAndGet(), v -> 10)).isEqualTo("a1");
        assertThat(c.get(b, "k", () -> "b" + computed.incrementAndGet(), v -> 10)).as("another profile").isEqualTo("b2");
        c.get(a, "k2", () -> "x", v -> 10);
        c.get(a, "k", () -> "again", v -> 10);    // a/k is now the most recently used
        c.get(a, "k3", () -> "y", v -> 10);       // a fourth value: b/k, the least recent, goes
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.get(b, "k", () -> "b-again", v -> 10)).isEqualTo("b-again");
        // bytes: a value of 990 pushes out all but itself and the newest
        c.get(a, "big", () -> "big", v -> 990);
        assertThat(c.bytes()).isLessThanOrEqualTo(1000);
        assertThat(c.get(a, "big", () -> "other", v -> 990)).isEqualTo("big");
    }

    @Test
    void aFailureIsNotKeptAndEvictForgetsAProfile() {
        ProfileCache c = new ProfileCache(8, 1 << 20);
        Profile a = profile();
        assertThatThrownBy(() -> c.get(a, "k", () -> {
            throw new ReportException("bad");
        }, v -> 1)).hasMessage("bad");
        assertThat(c.get(a, "k", () -> "ok", v -> 1)).isEqualTo("ok");
        c.evict(a);
        assertThat(c.size()).isZero();
        assertThat(c.bytes()).isZero();
    }

    @Test
    void twoCallersAskingAtOnceComputeOnce() throws Exception {
        ProfileCache c = new ProfileCache(8, 1 << 20);
        Profile a = profile();
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = pool.submit(() -> c.get(a, "k", () -> {
                computed.incrementAndGet();
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return "v";
            }, v -> 1));
            inside.await();
            Future<String> second = pool.submit(() -> c.get(a, "k", () -> {
                computed.incrementAndGet();
                return "w";
            }, v -> 1));
            release.countDown();
            assertThat(first.get()).isEqualTo("v");
            assertThat(second.get()).isEqualTo("v");
            assertThat(computed.get()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
