package io.mattepipe.app;

import io.mattepipe.results.ReportWriter;
import io.mattepipe.model.OutputOptions;
import io.mattepipe.results.ResultsZip;
import io.mattepipe.state.JobState;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** What a finished job leaves: its reports, and one zip of everything, streamed in one pass. */
public final class JobResults {

    private static final Logger LOG = LoggerFactory.getLogger(JobResults.class);
    private static final List<String> REPORTS = List.of("report.json", "report.csv", "report.html");

    private final TaskQueries queries;
    private final DataLayout layout;
    private final ReportWriter reports;
    private final ExecutorService zipWriters;

    public JobResults(TaskQueries queries, DataLayout layout, ReportWriter reports, ExecutorService zipWriters) {
        this.queries = queries;
        this.layout = layout;
        this.reports = reports;
        this.zipWriters = zipWriters;
    }

    /**
     * Writes the reports; a job from the inbox or {@code serve --process} also gets its zip in the
     * outbox. Returns where the results are, for the log.
     */
    public String finish(String jobId) throws IOException {
        Map<String, Object> job = queries.job(jobId);
        writeReports(job);
        if (!JobIntake.deliversToOutbox(job.get("source"))) {
            return layout.results(jobId).toString();
        }
        Files.createDirectories(layout.outbox());
        Path target = layout.outbox().resolve(outboxName(job));
        // a name of its own rather than Files.createTempFile, whose 0600 would ignore the umask
        Path temp = layout.outbox().resolve("." + UUID.randomUUID() + ".zip.part");
        try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeZip(job, out);
        } catch (IOException | RuntimeException e) {
            // a full disk most of all: what was written would only hold on to the space
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target.toString();
    }

    /**
     * Whether a finished inbox or {@code serve --process} job lacks its outbox zip: a crash while
     * the zip was written leaves only a {@code .part} (removed at start-up), a full disk nothing. HTTP jobs have none:
     * their zip is made on download.
     */
    public boolean lacksOutboxZip(Map<String, Object> job) {
        return JobIntake.deliversToOutbox(job.get("source")) && !Files.isRegularFile(layout.outbox().resolve(outboxName(job)));
    }

    /**
     * A job's reports follow its change to a finished state (one SQL statement decides which task
     * writes them), so a reader that sees "completed" first writes them itself: the writes are
     * atomic renames of the same content.
     */
    public void ensureReports(Map<String, Object> job) throws IOException {
        Path dir = layout.results(job.get("job_id").toString());
        if (REPORTS.stream().anyMatch(name -> !Files.isRegularFile(dir.resolve(name)))) {
            writeReports(job);
        }
    }

    /**
     * After a review or a new matte, the reports no longer describe the job: they are removed, and
     * written again from the rows by the next reader ({@link #ensureReports}), so a person going
     * through hundreds of cutouts does not rewrite a 100,000-row report at every key. A reader that
     * began writing them just before the change can still put reports one change behind in place;
     * the next change removes those too.
     */
    public void reportsOutdated(String jobId) throws IOException {
        for (String report : REPORTS) {
            Files.deleteIfExists(layout.results(jobId).resolve(report));
        }
    }

    public void writeReports(Map<String, Object> job) throws IOException {
        reports.write(job, queries.tasks(job.get("job_id").toString()), layout.results(job.get("job_id").toString()));
    }

    /**
     * The results zip as a stream that is written while it is read, on a thread of its own: the
     * HTTP response pumps it out, so neither the zip nor the task list is ever held whole. That
     * holds only on a route with {@code streamCache: "false"}: Camel 4 caches stream bodies by
     * default, in memory, and would read the whole zip into the heap before the first byte is sent.
     */
    public InputStream zip(Map<String, Object> job) throws IOException {
        String jobId = job.get("job_id").toString();
        ZipPipe in = new ZipPipe(jobId);
        PipedOutputStream out = new PipedOutputStream(in);
        zipWriters.execute(() -> {
            try {
                writeZip(job, out);
            } catch (IOException | RuntimeException e) {
                if (in.closedByReader) {
                    LOG.info("job {}: results zip download stopped: the client went away", jobId);
                } else {
                    LOG.error("job {}: results zip failed while streaming; the download is aborted", jobId, e);
                    // before the close below: the reader must meet the failure, not a clean end
                    in.failure = e;
                }
            } finally {
                try {
                    out.close();
                } catch (IOException e) {
                    LOG.debug("job {}: closing the results zip pipe: {}", jobId, e.getMessage());
                }
            }
        });
        return in;
    }

    /**
     * The reading end of the zip: a writer's failure reaches the reader as an IOException where
     * the pipe would only end, so the HTTP response is aborted instead of ending as a short zip
     * with status 200.
     */
    private static final class ZipPipe extends PipedInputStream {
        private final String jobId;
        private volatile Exception failure;
        private volatile boolean closedByReader;

        ZipPipe(String jobId) {
            super(1 << 16);
            this.jobId = jobId;
        }

        @Override
        public synchronized int read() throws IOException {
            return checked(super.read());
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            return checked(super.read(b, off, len));
        }

        private int checked(int read) throws IOException {
            if (read < 0 && failure != null) {
                throw new IOException("the results zip of job " + jobId + " could not be written: " + failure.getMessage(), failure);
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            closedByReader = true;
            super.close();
        }
    }

    private void writeZip(Map<String, Object> job, OutputStream out) throws IOException {
        String jobId = job.get("job_id").toString();
        if (isFinished(job)) {
            ensureReports(job);
        } else {
            // a running job's reports must describe what this zip holds
            writeReports(job);
        }
        OutputOptions options = options(job);
        Path cutoutDir = cutoutIsResult(job) ? layout.cutouts(jobId) : layout.results(jobId);
        Iterator<ResultsZip.Item> items = ResultsZip.taskItems(queries.tasks(jobId), cutoutDir,
                layout.results(jobId), options.format());
        Iterator<ResultsZip.Item> reportItems = REPORTS.stream()
                .map(name -> new ResultsZip.Item(name, layout.results(jobId).resolve(name))).iterator();
        ResultsZip.write(Stream.concat(stream(items), stream(reportItems)).iterator(), out);
    }

    /**
     * One file of a task: {@code cutout} (RGBA PNG), {@code compare} (the panel), {@code original}
     * (the chunk as uploaded) or {@code result} (what the job asked for: cutout, mask or flattened).
     */
    public Path taskFile(Map<String, Object> job, Map<String, Object> task, String kind) {
        if (task == null || task.isEmpty()) {
            throw new JobViews.NotFoundException("no such task in job " + job.get("job_id"));
        }
        String jobId = job.get("job_id").toString();
        String taskId = task.get("task_id").toString();
        OutputOptions options = options(job);
        Path file = switch (kind) {
            case "cutout" -> layout.cutout(jobId, taskId);
            case "compare" -> layout.panel(jobId, taskId);
            case "original" -> task.get("chunk") == null ? null : layout.resolve(task.get("chunk").toString());
            case "result" -> cutoutIsResult(job) ? layout.cutout(jobId, taskId)
                    : layout.rendition(jobId, taskId, options.format());
            default -> throw new IllegalArgumentException("file must be cutout, compare, original or result, got '" + kind + "'");
        };
        if (file == null || !Files.isRegularFile(file)) {
            throw new JobViews.NotFoundException("task " + taskId + " has no " + kind + " (state " + task.get("state") + ")");
        }
        return file;
    }

    /**
     * Deletes every file of a job (input, cutouts, results, thumbnails), once its rows are gone.
     * A file that cannot be deleted is logged and the rest are still deleted.
     *
     * @return the number of files and folders that could not be deleted
     */
    public int deleteFiles(String jobId) throws IOException {
        int left = 0;
        for (Path folder : layout.jobFolders(jobId)) {
            if (!Files.exists(folder)) {
                continue;
            }
            try (Stream<Path> tree = Files.walk(folder)) {
                for (Path path : (Iterable<Path>) tree.sorted(java.util.Comparator.reverseOrder())::iterator) {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        left++;
                        LOG.warn("job {}: could not delete {}: {}", jobId, path, e.toString());
                    }
                }
            }
        }
        return left;
    }

    /** The results zip arrives named after the job: {@code holiday.zip} gives {@code holiday-results.zip}. */
    public String zipDisposition(Map<String, Object> job) {
        return DownloadNames.attachment(DownloadNames.resultsZip(job));
    }

    /** {@code photos/cat_compare.jpg} → {@code photos/cat}. */
    public String outputNameOfPanel(String panel) {
        if (panel == null || !panel.endsWith("_compare.jpg")) {
            throw new JobViews.NotFoundException("no such file: " + panel);
        }
        return panel.substring(0, panel.length() - "_compare.jpg".length());
    }

    public String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".png")) {
            return "image/png";
        } else if (name.endsWith(".webp")) {
            return "image/webp";
        } else if (name.endsWith(".tif") || name.endsWith(".tiff")) {
            return "image/tiff";
        } else if (name.endsWith(".gif")) {
            return "image/gif";
        } else if (name.endsWith(".bmp")) {
            return "image/bmp";
        }
        return "image/jpeg";
    }

    /** True when the job asked for the plain cutout: no other format, background, mask or render options. */
    private static boolean cutoutIsResult(Map<String, Object> job) {
        String render = TaskRef.text(job, "render_options");
        return options(job).isPlainCutout() && (render == null || render.isBlank());
    }

    static OutputOptions options(Map<String, Object> job) {
        return OutputOptions.parse(TaskRef.text(job, "format"), TaskRef.text(job, "bgcolor"), TaskRef.flag(job.get("mask_only")));
    }

    /** {@code report.html} (default), {@code report.json} or {@code report.csv} of a job. */
    public Path reportFile(String jobId, String format) throws IOException {
        Path file = layout.results(jobId).resolve("report." + reportFormat(format));
        if (!Files.isRegularFile(file)) {
            Map<String, Object> job = queries.job(jobId);
            if (!isFinished(job)) {
                throw new JobViews.NotFoundException("job " + jobId + " has no report yet: it is written when the job finishes");
            }
            // finished, but its reports could not be written then (a full disk): written now
            ensureReports(job);
        }
        return file;
    }

    public String reportType(String format) {
        return switch (reportFormat(format)) {
            case "json" -> "application/json";
            case "csv" -> "text/csv; charset=utf-8";
            default -> "text/html; charset=utf-8";
        };
    }

    private static String reportFormat(String format) {
        String f = format == null || format.isBlank() ? "html" : format.trim().toLowerCase(java.util.Locale.ROOT);
        if (!f.equals("html") && !f.equals("json") && !f.equals("csv")) {
            throw new IllegalArgumentException("report format must be html, json or csv, got '" + format + "'");
        }
        return f;
    }

    public static boolean isFinished(Map<String, Object> job) {
        return JobState.of(job.get("state")).isFinished();
    }

    private static <T> Stream<T> stream(Iterator<T> iterator) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, 0), false);
    }

    private static String outboxName(Map<String, Object> job) {
        // the id keeps two jobs of the same name apart in the one outbox folder
        String stem = DownloadNames.stem(job).replaceAll("[^A-Za-z0-9._-]", "_");
        return stem + "-" + job.get("job_id").toString().substring(0, 8) + "-results.zip";
    }
}
