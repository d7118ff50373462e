package dev.proflab.labs.contention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ContentionTest {

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    /** What {@code hammer} must record: replays every thread's key sequence single-threaded. */
    private static long expectedSum(int threads, long opsPerThread, int rounds) {
        long sum = 0;
        for (int t = 0; t < threads; t++) {
            long key = Contention.seed(t);
            for (long i = 0; i < opsPerThread; i++) {
                key = Contention.nextKey(key);
                sum += Contention.work(key, rounds);
            }
        }
        return sum;
    }

    private static long deadlineFarAway() {
        return System.nanoTime() + 3_600_000_000_000L;
    }

    @ParameterizedTest
    @ValueSource(strings = {"before", "after", "adder"})
    void noUpdateIsLostUnderContention(String impl) throws InterruptedException {
        for (int threads : new int[] {1, 2, 4, 8}) {
            Contention.Table table = Contention.newTable(impl, 3, 0);
            long ops = 50_000;
            long done = Contention.hammer(table, threads, ops, deadlineFarAway());
            assertThat(done).isEqualTo(threads * ops);
            assertThat(table.count()).as("%s on %d threads", impl, threads).isEqualTo(threads * ops);
            assertThat(table.sum()).as("%s on %d threads", impl, threads).isEqualTo(expectedSum(threads, ops, 3));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-before", "seed-after"})
    void seedPairCountsEveryIncrement(String impl) throws InterruptedException {
        Contention.Table table = Contention.newTable(impl, 0, 10);
        long done = Contention.hammer(table, 4, 20_000, deadlineFarAway());
        assertThat(done).isEqualTo(80_000);
        assertThat(table.count()).isEqualTo(80_000);
        assertThat(table.sum()).isEqualTo(80_000);
    }

    @Test
    void allVersionsRecordTheSameTotalsForTheSameKeys() throws InterruptedException {
        long[] sums = new long[3];
        String[] impls = {"before", "after", "adder"};
        for (int i = 0; i < impls.length; i++) {
            Contention.Table table = Contention.newTable(impls[i], Contention.DEFAULT_WORK_ROUNDS, 0);
            Contention.hammer(table, 3, 30_000, deadlineFarAway());
            assertThat(table.count()).isEqualTo(90_000);
            sums[i] = table.sum();
        }
        assertThat(sums[1]).isEqualTo(sums[0]);
        assertThat(sums[2]).isEqualTo(sums[0]);
    }

    @Test
    void singleThreadedRecordsLandInTheKeysSlot() {
        Contention.Table table = new Contention.StripedLockTable(0);
        table.record(5);
        table.record(5 + Contention.SLOTS);
        table.record(7);
        assertThat(table.count()).isEqualTo(3);
        assertThat(table.sum()).isEqualTo(5 + 5 + Contention.SLOTS + 7);
        assertThat(Contention.slot(5 + Contention.SLOTS)).isEqualTo(5);
        assertThat(Contention.slot(-1)).isEqualTo(Contention.SLOTS - 1);
    }

    @Test
    void workIsTheIdentityForZeroRoundsAndMixesOtherwise() {
        assertThat(Contention.work(12345, 0)).isEqualTo(12345);
        assertThat(Contention.work(12345, 1)).isNotEqualTo(12345);
        assertThat(Contention.work(12345, 10)).isNotEqualTo(Contention.work(12346, 10));
        assertThat(Contention.work(12345, 10)).isEqualTo(Contention.work(12345, 10));
    }

    @Test
    void keysSpreadOverAllSlotsAndNeverRepeatSoon() {
        Set<Integer> slots = new HashSet<>();
        Set<Long> keys = new HashSet<>();
        long key = Contention.seed(0);
        for (int i = 0; i < 100_000; i++) {
            key = Contention.nextKey(key);
            assertThat(key).isNotZero();
            keys.add(key);
            slots.add(Contention.slot(key));
        }
        assertThat(keys).hasSize(100_000);
        assertThat(slots).hasSize(Contention.SLOTS);
    }

    @Test
    void hammerStopsAtTheDeadline() throws InterruptedException {
        Contention.Table table = Contention.newTable("after", 0, 0);
        long start = System.nanoTime();
        long done = Contention.hammer(table, 2, Long.MAX_VALUE, start + 200_000_000L);
        assertThat(done).isPositive().isEqualTo(table.count());
        assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Contention.newTable("global", 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("global").hasMessageContaining("before");
        assertThatThrownBy(() -> new Contention.OneLockTable(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Contention.SeedHotMutex(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Contention.hammer(new Contention.AdderTable(0), 0, 1, NO_DEADLINE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyListedImplCanBeCreated() {
        for (String impl : Contention.IMPLS) {
            Contention.Table table = Contention.newTable(impl, 1, 1);
            table.record(42);
            assertThat(table.count()).as(impl).isEqualTo(1);
        }
    }
}
