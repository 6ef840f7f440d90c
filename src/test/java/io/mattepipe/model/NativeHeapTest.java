package io.mattepipe.model;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeHeapTest {

    /**
     * On Linux with JDK 17.0.9 or later (CI's), the trim must really happen: if the diagnostic
     * command's name or form changed, the model's load-time memory would silently stay mapped.
     */
    @Test
    void trimsOnLinuxWithACurrentJdk() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "malloc_trim is glibc's: Linux only");
        Runtime.Version version = Runtime.version();
        assumeTrue(version.feature() > 17 || version.update() >= 9,
                "System.trim_native_heap came with JDK 17.0.9; this is " + version);

        Optional<String> report = NativeHeap.trim();

        assertTrue(report.isPresent(), "no trim on " + version);
        assertTrue(report.get().matches("(?s).*RSS\\+Swap: \\d+\\w?->\\d+\\w?.*"), report.get());
    }
}
