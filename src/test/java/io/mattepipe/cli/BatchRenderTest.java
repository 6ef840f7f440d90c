package io.mattepipe.cli;

import io.mattepipe.Main;
import io.mattepipe.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code batch --render}: every image's cutout rendered as the API renders it, named with the format's extension. */
class BatchRenderTest {

    @TempDir
    Path root;

    @Test
    void batchRendersEachCutoutOnTheCanvasAndFormatAsked() throws Exception {
        Path input = Files.createDirectories(root.resolve("in"));
        Files.copy(TestPaths.SAMPLES.resolve("coffee.png"), input.resolve("coffee.png"));
        Path output = root.resolve("out");
        int exit = Main.commandLine().execute("batch", input.toString(), output.toString(), "--quiet",
                "--model", TestPaths.TINY_MODEL.toAbsolutePath().toString(), "--render", "size=160x120&scale=50&format=webp");
        assertEquals(0, exit);
        assertFalse(Files.exists(output.resolve("coffee.png")), "rendered instead of the plain cutout");
        BufferedImage rendered = ImageIO.read(output.resolve("coffee.webp").toFile());
        assertEquals(160, rendered.getWidth());
        assertEquals(120, rendered.getHeight());
        assertTrue(rendered.getColorModel().hasAlpha());
        assertTrue(Files.isRegularFile(output.resolve("coffee_compare.jpg")));
    }
}
