package io.mattepipe.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Hands the C heap's free memory back to the operating system, through the JVM's own diagnostic
 * command ({@code jcmd PID System.trim_native_heap}: glibc's {@code malloc_trim}, in JDK 17.0.9
 * and later on Linux).
 *
 * <p>Why: ONNX Runtime's graph optimisation allocates and frees about 600 MB while it builds
 * IS-Net's session. glibc keeps freed memory for reuse, so without a trim the process carries it
 * for its whole life; the model's later runs reuse only part of it (BENCHMARKS.md, issue 11).
 */
final class NativeHeap {

    private static final Logger LOG = LoggerFactory.getLogger(NativeHeap.class);
    private static final String COMMAND = "com.sun.management:type=DiagnosticCommand";

    private NativeHeap() {
    }

    /**
     * Trims now and returns the JVM's report ("RSS+Swap: 1126M->494M"), or empty where the JVM or
     * the C library cannot (another OS, an older JDK); then the memory stays where it was.
     */
    static Optional<String> trim() {
        try {
            Object report = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(COMMAND),
                    "systemTrimNativeHeap", new Object[] {null}, new String[] {String[].class.getName()});
            String text = String.valueOf(report).strip();
            if (!text.contains("->")) {
                LOG.debug("the native heap was not trimmed: {}", text);
                return Optional.empty();
            }
            LOG.debug("native heap trimmed: {}", text);
            return Optional.of(text);
        } catch (JMException | RuntimeException e) {
            LOG.debug("this JVM cannot trim the native heap ({}); ONNX Runtime's freed load-time memory stays mapped",
                    e.toString());
            return Optional.empty();
        }
    }
}
