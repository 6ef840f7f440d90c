package io.mattepipe.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The lines {@code batch} ends with: the cutouts under the threshold, lowest first, a few named and the rest counted. */
class CheckFirstTest {

    private static Map<String, Object> task(String name, Double confidence, String doubts) {
        Map<String, Object> task = new HashMap<>();
        task.put("name", name);
        task.put("confidence", confidence);
        task.put("doubts", doubts);
        return task;
    }

    @Test
    void namesTheLowestUnderTheThresholdAndCountsTheRest() {
        CheckFirst checkFirst = new CheckFirst(0.5, 2);
        checkFirst.offer(task("a.jpg", 0.45, "undecided"));
        checkFirst.offer(task("b.jpg", 0.9, null));
        checkFirst.offer(task("c.jpg", 0.05, "models_disagree,touches_frame"));
        checkFirst.offer(task("d.jpg", 0.3, null));
        checkFirst.offer(task("old.jpg", null, null));
        assertEquals(3, checkFirst.count());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        checkFirst.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("""
                check first: 3 cutouts with confidence under 0.50 (lowest first; all in report.csv)
                  0.050  c.jpg  models_disagree,touches_frame
                  0.300  d.jpg \s
                  ... and 1 more
                """, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void saysNothingWhenNothingIsUnderTheThreshold() {
        CheckFirst checkFirst = new CheckFirst(0.5, 2);
        checkFirst.offer(task("b.jpg", 0.9, null));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        checkFirst.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
