package io.mattepipe.cli;

import io.mattepipe.intake.ArchiveSplitter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The folder a command was given, checked before anything starts: a mistake here is bad usage (64). */
final class InputFolder {

    private InputFolder() {
    }

    /** The folder's images (the names the split would take), or a usage error naming the folder. */
    static List<String> requireImages(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new UsageException("not a folder: " + folder.toAbsolutePath());
        }
        List<String> images = names(folder).stream()
                .filter(ArchiveSplitter::isInputImage).toList();
        if (images.isEmpty()) {
            throw new UsageException("no images in " + folder.toAbsolutePath() + " (JPEG, PNG, WebP, TIFF, BMP or GIF)");
        }
        return images;
    }

    /** As {@link #requireImages}, and at least one image must have its ground truth beside it. */
    static void requireGroundTruth(Path folder) {
        requireImages(folder);
        if (names(folder).stream().noneMatch(ArchiveSplitter::isGroundTruth)) {
            throw new UsageException("no ground truth in " + folder.toAbsolutePath()
                    + ": evaluate needs NAME.alpha.png beside NAME.jpg (or a gt/ folder)");
        }
    }

    private static List<String> names(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .map(file -> folder.relativize(file).toString().replace('\\', '/')).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + folder.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }
}
