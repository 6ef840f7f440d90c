package io.mattepipe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The programs under {@code bench/} run as single source files against the jar
 * ({@code java -cp target/mattepipe.jar bench/X.java}), outside the build: compiled here against
 * the same classes, so a change to the product that breaks one fails the build instead of the
 * next measurement.
 */
class BenchSourcesTest {

    @Test
    void everyBenchProgramCompilesAgainstTheProduct(@TempDir Path classes) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(Path.of("bench"))) {
            sources = files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "no bench programs found");
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        assertNotNull(compiler, "a JDK, not a JRE, runs the tests");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            // each program on its own, as java runs it: two may declare the same helper class
            for (Path source : sources) {
                boolean compiled = compiler.getTask(null, files, diagnostics,
                        List.of("-classpath", System.getProperty("java.class.path"), "-d", classes.toString(), "-proc:none"),
                        null, files.getJavaFileObjects(source)).call();
                assertTrue(compiled, source + " does not compile: " + diagnostics.getDiagnostics());
            }
        }
    }
}
