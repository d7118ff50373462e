package dev.proflab.labs.fib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FibTest {

    @Test
    void knownValues() {
        assertThat(Fib.iterative(0)).isZero();
        assertThat(Fib.iterative(1)).isEqualTo(1);
        assertThat(Fib.iterative(2)).isEqualTo(1);
        assertThat(Fib.iterative(10)).isEqualTo(55);
        assertThat(Fib.iterative(35)).isEqualTo(9_227_465L);
        assertThat(Fib.iterative(60)).isEqualTo(1_548_008_755_920L);
        assertThat(Fib.iterative(92)).isEqualTo(7_540_113_804_746_346_429L);
    }

    @Test
    void memoMatchesIterativeFrom0To92() {
        for (int n = 0; n <= 92; n++) {
            assertThat(Fib.memo(n)).as("memo(%d)", n).isEqualTo(Fib.iterative(n));
        }
    }

    @Test
    void recursiveMatchesIterativeFrom0To30() {
        for (int n = 0; n <= 30; n++) {
            assertThat(Fib.recursive(n)).as("recursive(%d)", n).isEqualTo(Fib.iterative(n));
        }
    }

    @Test
    void eachStepIsTheSumOfTheTwoBefore() {
        for (int n = 2; n <= 92; n++) {
            assertThat(Fib.iterative(n)).isEqualTo(Fib.iterative(n - 1) + Fib.iterative(n - 2));
        }
    }

    @Test
    void allVersionsReturnNBelowTwo() {
        for (int n = -3; n < 2; n++) {
            assertThat(Fib.recursive(n)).isEqualTo(n);
            assertThat(Fib.memo(n)).isEqualTo(n);
            assertThat(Fib.iterative(n)).isEqualTo(n);
        }
    }

    @Test
    void memoAndIterativeAgreePastOverflow() {
        for (int n = 93; n <= 200; n++) {
            assertThat(Fib.memo(n)).as("memo(%d)", n).isEqualTo(Fib.iterative(n));
        }
    }

    @Test
    void burnCpuSumsTheWorkersResults() throws InterruptedException {
        assertThat(Fib.burnCpu(20, 1)).isEqualTo(6765);
        assertThat(Fib.burnCpu(20, 3)).isEqualTo(3 * 6765);
        assertThat(Fib.burnCpu(25, 4)).isEqualTo(4 * 75_025);
    }

    @Test
    void burnCpuRejectsNoWorkers() {
        assertThatThrownBy(() -> Fib.burnCpu(10, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers");
    }
}
