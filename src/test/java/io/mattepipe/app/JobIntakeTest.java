package io.mattepipe.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upload's model option names the loaded setting, as configured or by its models' names. */
class JobIntakeTest {

    @TempDir
    Path data;

    @Test
    void theLoadedSettingIsAcceptedInEitherSpellingAndRecordedByName() {
        JobIntake named = new JobIntake(new DataLayout(data), "isnet-fp16+u2netp", "isnet-fp16 + u2netp", new CallbackAddresses(false), "local");
        assertEquals("isnet-fp16+u2netp", named.newJob("upload", "a.zip", "isnet-fp16+u2netp", null, null, null, null).get("model"));
        assertEquals("isnet-fp16+u2netp", named.newJob("upload", "a.zip", null, null, null, null, null).get("model"));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> named.newJob("upload", "a.zip", "u2netp", null, null, null, null));
        assertTrue(other.getMessage().contains("is not loaded"), other.getMessage());

        JobIntake byPath = new JobIntake(new DataLayout(data), "mine", "/models/mine.onnx", new CallbackAddresses(false), "local");
        assertEquals("mine", byPath.newJob("upload", "a.zip", "/models/mine.onnx", null, null, null, null).get("model"));
        assertEquals("mine", byPath.newJob("upload", "a.zip", "mine", null, null, null, null).get("model"));
    }
}
