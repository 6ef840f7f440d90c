package io.mattepipe;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where tests find their inputs: the project's own files, and the shared data that may be absent. */
public final class TestPaths {

    public static final Path SAMPLES = Path.of("samples", "photos");
    public static final Path TINY_MODEL = Path.of("src/test/resources/models/tiny-matting.onnx");
    public static final Path MODELS = Path.of("models");
    public static final Path SHARED_TESTDATA = Path.of("..", "shared", "testdata");

    private TestPaths() {
    }

    /** A folder under {@code ../shared/testdata}; the test is skipped, with the reason printed, where it is absent. */
    public static Path sharedTestdata(String folder) {
        Path dir = SHARED_TESTDATA.resolve(folder);
        if (!Files.isDirectory(dir)) {
            String reason = "skipped: " + dir.toAbsolutePath().normalize() + " is absent (shared test data not beside the checkout)";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return dir;
    }

    /** A real model under {@code models/}; skipped with the reason printed where it was not fetched. */
    public static Path realModel(String name) {
        Path model = MODELS.resolve(name + ".onnx");
        if (!Files.isRegularFile(model)) {
            String reason = "skipped: " + model + " is absent (run models/fetch-models.sh)";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return model;
    }
}
