package io.mattepipe.model;

import io.mattepipe.TestPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The declarations DJL cannot edit or show, read and edited at the protobuf level. */
class GraphEditTest {

    @Test
    void onlyTheMatteStaysAnOutputAndTheBatchBecomesSymbolicOnRequest() throws Exception {
        byte[] file = Files.readAllBytes(TestPaths.TINY_MODEL);
        GraphEdit.Declared original = GraphEdit.declared(file);
        assertEquals(List.of("1890", "output"), original.outputs());
        assertArrayEquals(new long[] {1, 3, 1024, 1024}, original.inputs().get("input"));

        GraphEdit.Declared oneOutput = GraphEdit.declared(GraphEdit.rewrite(file, "input", "output", false));
        assertEquals(List.of("output"), oneOutput.outputs());
        assertArrayEquals(new long[] {1, 3, 1024, 1024}, oneOutput.inputs().get("input"));

        GraphEdit.Declared batched = GraphEdit.declared(GraphEdit.rewrite(file, "input", "output", true));
        assertEquals(List.of("output"), batched.outputs());
        assertArrayEquals(new long[] {-1, 3, 1024, 1024}, batched.inputs().get("input"));
    }
}
