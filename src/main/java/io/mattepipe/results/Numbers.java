package io.mattepipe.results;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Number formats shared by the CSV and HTML reports: locale-free, so a German desktop still gets dots. */
final class Numbers {

    private Numbers() {
    }

    /** Milliseconds as seconds with exactly three decimals; empty when absent. */
    static String seconds(Double millis) {
        return millis == null ? "" : BigDecimal.valueOf(millis).movePointLeft(3).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }

    /** At most {@code digits} significant digits, no exponent, no trailing zeros; empty when absent. */
    static String significant(Double value, int digits) {
        if (value == null) {
            return "";
        }
        // valueOf goes through the shortest decimal form, so 0.15 stays 0.15 instead of 0.149999...
        return BigDecimal.valueOf(value).round(new MathContext(digits, RoundingMode.HALF_EVEN))
                .stripTrailingZeros().toPlainString();
    }

    static String integer(Long value) {
        return value == null ? "" : value.toString();
    }

    static Double secondsOf(Double millis) {
        return millis == null ? null : millis / 1000.0;
    }
}
