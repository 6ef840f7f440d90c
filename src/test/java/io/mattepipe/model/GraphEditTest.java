package io.mattepipe.model;

import io.mattepipe.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The declarations DJL cannot edit or show, read and edited at the protobuf level. */
class GraphEditTest {

    @Test
    void onlyTheMatteStaysAnOutputAndTheBatchBecomesSymbolicOnRequest(@TempDir Path dir) throws Exception {
        Path file = TestPaths.TINY_MODEL;
        GraphEdit.Declared original = GraphEdit.declared(file);
        assertEquals(List.of("1890", "output"), original.outputs());
        assertArrayEquals(new long[] {1, 3, 1024, 1024}, original.inputs().get("input"));

        Path single = dir.resolve("single.onnx");
        GraphEdit.rewrite(file, single, "input", "output", false);
        GraphEdit.Declared oneOutput = GraphEdit.declared(single);
        assertEquals(List.of("output"), oneOutput.outputs());
        assertArrayEquals(new long[] {1, 3, 1024, 1024}, oneOutput.inputs().get("input"));

        Path batchedFile = dir.resolve("batched.onnx");
        GraphEdit.rewrite(file, batchedFile, "input", "output", true);
        GraphEdit.Declared batched = GraphEdit.declared(batchedFile);
        assertEquals(List.of("output"), batched.outputs());
        assertArrayEquals(new long[] {-1, 3, 1024, 1024}, batched.inputs().get("input"));
    }
}
