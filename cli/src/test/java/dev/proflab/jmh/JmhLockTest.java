package dev.proflab.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JmhLockTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondRunWaitsForTheFirstAndSaysWhy() throws Exception {
        Path file = tmp.resolve("jmh.lock");
        List<String> heard = new CopyOnWriteArrayList<>();
        try (JmhLock first = JmhLock.acquire(file, heard::add, () -> false)) {
            assertThat(first.held()).isTrue();
            assertThat(heard).isEmpty();
            CompletableFuture<JmhLock> second = CompletableFuture.supplyAsync(() -> {
                try {
                    return JmhLock.acquire(file, heard::add, () -> false);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // it waits (as long as the first holds it) and says so at once
            while (heard.isEmpty()) {
                Thread.sleep(10);
            }
            assertThat(heard.get(0)).startsWith("waiting for another JMH run to end (it holds " + file);
            assertThat(second).isNotDone();
            first.close();
            try (JmhLock got = second.get(30, TimeUnit.SECONDS)) {
                assertThat(got.held()).isTrue();
            }
        }
    }

    @Test
    void aWaitCanBeCancelled() throws Exception {
        Path file = tmp.resolve("jmh.lock");
        try (JmhLock first = JmhLock.acquire(file, m -> { }, () -> false)) {
            assertThat(first.held()).isTrue();
            assertThatThrownBy(() -> JmhLock.acquire(file, m -> { }, () -> true))
                    .isInstanceOf(InterleavedRun.CancelledException.class);
        }
        try (JmhLock again = JmhLock.acquire(file, m -> { }, () -> false)) {
            assertThat(again.held()).as("the cancelled wait left nothing held").isTrue();
        }
    }

    @Test
    void aLockFileThatCannotBeOpenedHoldsNothing() throws Exception {
        try (JmhLock none = JmhLock.acquire(tmp.resolve("no-such-folder/jmh.lock"), m -> { }, () -> false)) {
            assertThat(none.held()).isFalse();
        }
    }
}
