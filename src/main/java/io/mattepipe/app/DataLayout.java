package io.mattepipe.app;

import java.nio.file.Path;

/**
 * Where everything lives under {@code data.dir} (DESIGN.md, "Storage"). Paths stored in SQLite are
 * relative to the root, so a data folder can be moved or mounted elsewhere.
 */
public record DataLayout(Path root) {

    public Path database() {
        return root.resolve("tasks.db");
    }

    public Path inbox() {
        return root.resolve("inbox");
    }

    public Path outbox() {
        return root.resolve("outbox");
    }

    /** Upload bodies while they stream in, one folder per upload; moved to {@link #raw} once recorded. */
    public Path uploads() {
        return root.resolve("uploads");
    }

    public Path raw(String job) {
        return root.resolve("input").resolve(job).resolve("raw");
    }

    public Path chunks(String job) {
        return root.resolve("input").resolve(job).resolve("chunks");
    }

    /** Ground-truth mattes: {@code gt/{name without extension}.alpha.png}. */
    public Path groundTruth(String job) {
        return root.resolve("input").resolve(job).resolve("gt");
    }

    public Path cutouts(String job) {
        return root.resolve("matting_output").resolve(job);
    }

    public Path results(String job) {
        return root.resolve("final_results").resolve(job);
    }

    /** The RGBA cutout, always written: the comparison stage and recovery read the matte from it. */
    public Path cutout(String job, String task) {
        return cutouts(job).resolve(task + ".png");
    }

    /** The model's own cutout, kept the first time a person or a refinement replaces the matte (MatteVersions). */
    public Path modelCutout(String job, String task) {
        return cutouts(job).resolve(task + ".model.png");
    }

    /** Version {@code n} (1, 2, ...) of a task's matte, a grey PNG; the cutout is made from the latest. */
    public Path matteVersion(String job, String task, int n) {
        return cutouts(job).resolve(task + ".matte-v" + n + ".png");
    }

    /** The output a job asked for when it is not the plain cutout (a mask, or a flattened JPEG). */
    public Path rendition(String job, String task, String extension) {
        return results(job).resolve(task + "." + extension);
    }

    /** The small preview of a task's original that the page shows while the job runs; made on first request. */
    public Path thumbnail(String job, String task) {
        return thumbnails(job).resolve(task + ".jpg");
    }

    public Path thumbnails(String job) {
        return root.resolve("thumbs").resolve(job);
    }

    /** Every folder that holds files of the job; deleting a job deletes these. */
    public java.util.List<Path> jobFolders(String job) {
        return java.util.List.of(root.resolve("input").resolve(job), cutouts(job), results(job), thumbnails(job));
    }

    public Path panel(String job, String task) {
        return results(job).resolve(task + "_compare.jpg");
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    public String relativize(Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }
}
