package io.mattepipe.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a crash leaves half-written, removed at start-up: staging folders of uploads that were never
 * recorded as jobs ({@code data/uploads/}), and the {@code .part} files every writer uses before its
 * rename into place. Nothing in the inbox is touched: a file there is the operator's.
 */
public final class PartialFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PartialFiles.class);

    private final DataLayout layout;

    public PartialFiles(DataLayout layout) {
        this.layout = layout;
    }

    /** Removes the leftovers; returns how many files and folders went. */
    public int removeLeftovers() throws IOException {
        int removed = 0;
        if (Files.isDirectory(layout.uploads())) {
            try (Stream<Path> uploads = Files.list(layout.uploads())) {
                for (Path upload : uploads.toList()) {
                    delete(upload);
                    removed++;
                }
            }
        }
        // input/{job}/raw/ is what a client sent, under its own names: only the chunks are ours
        List<Path> written = new ArrayList<>(List.of(layout.root().resolve("matting_output"),
                layout.root().resolve("final_results"), layout.outbox()));
        if (Files.isDirectory(layout.root().resolve("input"))) {
            try (Stream<Path> jobs = Files.list(layout.root().resolve("input"))) {
                jobs.map(job -> job.resolve("chunks")).forEach(written::add);
            }
        }
        for (Path dir : written) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path part : files.filter(PartialFiles::isPart).toList()) {
                    Files.deleteIfExists(part);
                    removed++;
                }
            }
        }
        if (removed > 0) {
            LOG.info("removed {} partial files and upload folders left by an earlier run", removed);
        }
        return removed;
    }

    /** Every writer here names its temporary file {@code .NAME...part} beside the target. */
    private static boolean isPart(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".part") && Files.isRegularFile(file);
    }

    /** Deletes a file, or a folder with everything in it. */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path entry : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(entry);
            }
        }
    }
}
