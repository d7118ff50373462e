package dev.proflab.labs.challenge.solution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference fix reads prices without BigDecimal: it must agree with the original's BigDecimal. */
class SalesReportSolutionTest {

    @ParameterizedTest
    @ValueSource(strings = {"18.40", "18.4", "18", "0.05", "1.", "007.10", "+3.10", "1e2", "9999999999999.99", "1234567890123456.78"})
    void centsAgreeWithBigDecimal(String price) {
        String line = "price=" + price + " region=eu-west";
        int end = line.indexOf(' ');
        assertThat(SalesReportSolution.Order.cents(line, 6, end))
                .isEqualTo(new BigDecimal(price).movePointRight(2).longValueExact());
    }

    @ParameterizedTest
    @ValueSource(strings = {"18.405", "abc", "", "1.2.3", "99999999999999999.99"})
    void pricesTheOriginalRefusesAreRefused(String price) {
        String line = "price=" + price;
        Class<? extends Throwable> refusal;
        try {
            new BigDecimal(price).movePointRight(2).longValueExact();
            throw new AssertionError("BigDecimal accepts '" + price + "'");
        } catch (ArithmeticException | NumberFormatException e) {
            refusal = e.getClass();
        }
        assertThatThrownBy(() -> SalesReportSolution.Order.cents(line, 6, line.length())).isExactlyInstanceOf(refusal);
    }
}
