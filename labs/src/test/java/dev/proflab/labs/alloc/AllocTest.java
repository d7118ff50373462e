package dev.proflab.labs.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllocTest {

    @AfterEach
    void releaseHeld() {
        Alloc.release();
    }

    @ParameterizedTest
    @CsvSource({"0,0", "0,5", "1,1", "1,7", "16,100", "31,3", "32,3", "33,3", "1024,0", "1024,1", "1024,1000", "4096,257"})
    void allVersionsReturnTheSameChecksum(int bytes, int count) {
        long before = Alloc.allocate(bytes, count, false);
        assertThat(Alloc.allocateReusingDigest(bytes, count, false)).isEqualTo(before);
        assertThat(Alloc.allocatePooled(bytes, count, false)).isEqualTo(before);
        assertThat(Alloc.heldItems()).isZero();
    }

    @Test
    void pooledGivesTheSameResultWhenTheItemSizeChangesBetweenCalls() {
        // the per-thread scratch buffer is reused across calls of different sizes
        int[] sizes = {4096, 8, 1024, 31, 2048, 0, 33};
        for (int bytes : sizes) {
            assertThat(Alloc.allocatePooled(bytes, 50, false)).as("bytes=%d", bytes)
                    .isEqualTo(Alloc.allocate(bytes, 50, false));
        }
    }

    @Test
    void checksumDependsOnSizeAndCount() {
        long base = Alloc.allocate(1024, 10, false);
        assertThat(Alloc.allocate(1024, 11, false)).isNotEqualTo(base);
        assertThat(Alloc.allocate(1023, 10, false)).isNotEqualTo(base);
        assertThat(Alloc.allocate(1024, 10, false)).isEqualTo(base);
    }

    @Test
    void itemsHoldTheDigestOfTheirIndexFollowedByZeros() throws Exception {
        Alloc.allocate(100, 20, true);
        List<byte[]> held = Alloc.held();
        assertThat(held).hasSize(20);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < held.size(); i++) {
            byte[] expectedDigest = sha256.digest(ByteBuffer.allocate(4).putInt(i).array());
            byte[] item = held.get(i);
            assertThat(item).hasSize(100);
            assertThat(Arrays.copyOf(item, 32)).as("item %d", i).isEqualTo(expectedDigest);
            assertThat(Arrays.copyOfRange(item, 32, 100)).containsOnly((byte) 0);
        }
    }

    @Test
    void holdKeepsEqualItemsInEveryVersionUntilReleased() {
        Alloc.allocate(64, 30, true);
        List<byte[]> before = Alloc.held();
        assertThat(Alloc.release()).isEqualTo(30);
        assertThat(Alloc.heldItems()).isZero();

        Alloc.allocateReusingDigest(64, 30, true);
        List<byte[]> middle = Alloc.held();
        Alloc.release();

        Alloc.allocatePooled(64, 30, true);
        Alloc.allocatePooled(64, 5, true); // later items must not overwrite the held ones
        List<byte[]> after = Alloc.held();
        assertThat(after).hasSize(35);
        assertThat(Alloc.heldBytes()).isEqualTo(35L * 64);

        for (int i = 0; i < 30; i++) {
            assertThat(middle.get(i)).as("middle item %d", i).isEqualTo(before.get(i));
            assertThat(after.get(i)).as("after item %d", i).isEqualTo(before.get(i));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(after.get(30 + i)).isEqualTo(before.get(i));
        }
        assertThat(Alloc.release()).isEqualTo(35);
        assertThat(Alloc.heldBytes()).isZero();
    }

    @Test
    void holdAccumulatesAcrossCalls() {
        for (int call = 1; call <= 4; call++) {
            Alloc.allocate(128, 250, true);
            assertThat(Alloc.heldItems()).isEqualTo(call * 250);
        }
        assertThat(Alloc.heldBytes()).isEqualTo(1000L * 128);
    }

    @Test
    void versionsAgreeOnOtherThreads() throws InterruptedException {
        long expected = Alloc.allocate(1024, 300, false);
        long[] results = new long[4];
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int index = t;
            threads[t] = new Thread(() -> {
                long sum = 0;
                for (int round = 0; round < 20; round++) {
                    sum += index % 2 == 0 ? Alloc.allocatePooled(1024, 300, false)
                            : Alloc.allocateReusingDigest(1024, 300, false);
                }
                results[index] = sum;
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(results).containsOnly(20 * expected);
    }

    @Test
    void rejectsNegativeArguments() {
        assertThatThrownBy(() -> Alloc.allocate(-1, 1, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytesPerItem");
        assertThatThrownBy(() -> Alloc.allocatePooled(1, -1, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
        assertThatThrownBy(() -> Alloc.allocateReusingDigest(-5, 0, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
