package dev.proflab.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UnitsTest {

    private static void check(String unit, String metric, double valueOfOne) {
        Units.Conversion c = Units.of(unit);
        assertThat(c).as(unit).isNotNull();
        assertThat(c.metric()).as(unit).isEqualTo(metric);
        assertThat(c.factor()).as(unit).isCloseTo(valueOfOne, within(Math.abs(valueOfOne) * 1e-15));
    }

    @Test
    void timePerOperationBecomesSecondsPerOp() {
        check("ns/op", "sec/op", 1e-9);
        check("us/op", "sec/op", 1e-6);
        check("µs/op", "sec/op", 1e-6);
        check("ms/op", "sec/op", 1e-3);
        check("s/op", "sec/op", 1);
        check("min/op", "sec/op", 60);
    }

    @Test
    void throughputBecomesOpsPerSecond() {
        check("ops/ns", "ops/s", 1e9);
        check("ops/us", "ops/s", 1e6);
        check("ops/ms", "ops/s", 1e3);
        check("ops/s", "ops/s", 1);
        check("ops/min", "ops/s", 1.0 / 60);
        check("ops/hr", "ops/s", 1.0 / 3600);
    }

    @Test
    void bytesPerOpStay() {
        check("B/op", "B/op", 1);
    }

    @Test
    void unknownUnits() {
        assertThat(Units.of("MB/sec")).isNull();
        assertThat(Units.of("counts")).isNull();
        assertThat(Units.of("ops/fortnight")).isNull();
        assertThat(Units.of(null)).isNull();
    }
}
