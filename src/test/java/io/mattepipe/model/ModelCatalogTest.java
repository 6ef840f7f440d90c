package io.mattepipe.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model settings become specs from descriptors: the catalogue's in the jar, a user's beside the file. */
class ModelCatalogTest {

    @TempDir
    Path models;

    @Test
    void theCatalogueDescribesEachModelAsData() {
        List<ModelSpec> specs = new ModelCatalog(models).resolve("isnet-fp16 + u2netp", null);
        assertEquals(List.of("isnet-fp16", "u2netp"), specs.stream().map(ModelSpec::name).toList());
        ModelSpec isnet = specs.get(0);
        assertEquals(models.resolve("isnet-fp16.onnx"), isnet.path());
        assertEquals("output", isnet.outputName());
        assertEquals(ModelSpec.Scaling.FIXED, isnet.scaling());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, isnet.mean());
        assertArrayEquals(new float[] {1f, 1f, 1f}, isnet.std());
        ModelSpec u2netp = specs.get(1);
        assertEquals("input.1", u2netp.inputName());
        assertEquals("1959", u2netp.outputName());
        assertEquals(320, u2netp.inputSize());
        assertEquals(ModelSpec.Scaling.IMAGE_MAX, u2netp.scaling());
        assertArrayEquals(new float[] {0.229f, 0.224f, 0.225f}, u2netp.std());
        assertFalse(u2netp.sigmoid());
        assertTrue(u2netp.normalize());
    }

    /**
     * A gateway names the models its workers run without a models folder: the catalogue's names
     * from the jar, a path by its file name (nothing is read there), as {@link ModelCatalog#resolve}
     * names them; a bare name the catalogue lacks is refused rather than recorded on jobs untested.
     */
    @Test
    void aSettingIsNamedFromTheCatalogueAloneWithoutAModelsFolder() {
        Path none = models.resolve("no-such-folder");
        assertEquals("isnet-fp16+u2netp", ModelCatalog.name("isnet-fp16 + u2netp"));
        assertEquals(ModelCatalog.name("isnet-quint8+/mnt/models/mine.onnx"), String.join("+",
                new ModelCatalog(none).resolve("isnet-quint8+/mnt/models/mine.onnx", null).stream().map(ModelSpec::name).toList()),
                "the same name a worker records");
        assertEquals("mine", ModelCatalog.name("/mnt/models/mine.onnx"));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> ModelCatalog.name("isnet-fp61"));
        assertTrue(unknown.getMessage().contains("'isnet-fp61'") && unknown.getMessage().contains(".onnx"), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelCatalog.name("u2netp+u2netp"), "each model once");
    }

    @Test
    void aUsersModelIsDescribedByTheFileBesideIt() throws Exception {
        Files.writeString(models.resolve("mine.properties"), "input=image\noutput=alpha\nsize=512\nsigmoid=true\n");
        ModelSpec mine = new ModelCatalog(models).resolve("mine", null).get(0);
        assertEquals("image", mine.inputName());
        assertEquals("alpha", mine.outputName());
        assertEquals(512, mine.inputSize());
        assertTrue(mine.sigmoid());
        assertEquals(ModelSpec.Scaling.FIXED, mine.scaling(), "unspecified keys keep IS-Net's defaults");

        ModelSpec byPath = new ModelCatalog(Path.of("elsewhere")).resolve(models.resolve("mine.onnx").toString(), false).get(0);
        assertEquals("mine", byPath.name());
        assertEquals("alpha", byPath.outputName());
        assertFalse(byPath.normalize(), "matting.normalize=false overrides the descriptor");
    }

    @Test
    void anUndescribedFileIsTakenAsIsNetLike() {
        ModelSpec spec = new ModelCatalog(models).resolve("/some/where/other.onnx", null).get(0);
        assertEquals("other", spec.name());
        assertEquals("input", spec.inputName());
        assertEquals("output", spec.outputName());
        assertEquals(0, spec.inputSize());
    }

    @Test
    void badSettingsAndDescriptorsAreRefusedWithTheReason() throws Exception {
        ModelCatalog catalog = new ModelCatalog(models);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> catalog.resolve("u2netp+u2netp", null))
                .getMessage().contains("each once"));
        assertThrows(IllegalArgumentException.class, () -> catalog.resolve("isnet-fp16+", null));
        Files.writeString(models.resolve("typo.properties"), "outptu=alpha\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> catalog.resolve("typo", null))
                .getMessage().contains("unknown descriptor key 'outptu'"));
        Files.writeString(models.resolve("scaled.properties"), "scaling=256\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> catalog.resolve("scaled", null))
                .getMessage().contains("scaling must be 255 or max"));
        Files.writeString(models.resolve("flat.properties"), "std=0,1,1\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> catalog.resolve("flat", null))
                .getMessage().contains("std must not be zero"));
    }

    @Test
    void aSettingHasOneCanonicalSpelling() {
        assertEquals("isnet-fp16+u2netp", ModelCatalog.canonical(" isnet-fp16 +u2netp "));
    }
}
