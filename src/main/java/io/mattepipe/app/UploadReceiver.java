package io.mattepipe.app;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.mattepipe.access.Caller;
import io.mattepipe.access.OwnerLimits;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes an upload body off the socket and onto disk before the upload route runs, without ever
 * holding a thread while it waits for bytes.
 *
 * <p>platform-http runs every route on a Vert.x worker thread and holds that thread for the whole
 * exchange; Vert.x's file writes complete on the same worker pool. A route that waited for its
 * body there starved the pool once 20 uploads were in flight: the writes it waited for could not
 * run, and neither could {@code /health}. So this Vert.x handler sits in front of the route: it
 * admits the upload (limits per client and in all), checks its options, streams the body to
 * {@code data/uploads/{job}/} on the event loop with back-pressure, and only then hands the job to
 * the upload route ({@link Recorder}), which records it and moves the files into
 * {@code input/{job}/raw/} ({@link #adopt}); the route's answer is the response. An upload that is
 * refused, empty, cut off or never adopted leaves no job and no bytes: its staging folder is
 * removed when its response ends or its connection closes.
 */
public final class UploadReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(UploadReceiver.class);
    private static final long DRAIN_MS = 2000;

    /**
     * @param maxBytes      {@code upload.max-bytes}
     * @param maxConcurrent {@code upload.max-concurrent}: uploads streaming at once, in all (more: 503)
     * @param maxPerClient  {@code upload.max-per-client}: at once from one remote address (more: 429)
     * @param idleTimeoutMs {@code upload.idle-timeout-ms}: a body that sends nothing for this long is cut off (408)
     */
    public record Limits(long maxBytes, int maxConcurrent, int maxPerClient, long idleTimeoutMs) {
    }

    /** The upload route: records a received job, moves its body into place and says what to answer. */
    @FunctionalInterface
    public interface Recorder {
        CompletionStage<Answer> record(Map<String, Object> job);
    }

    /**
     * The {@code jobs} row of an upload, its options checked ({@link IllegalArgumentException} when
     * they are wrong) and its owner's limits ({@link OwnerLimits.LimitExceeded}); runs on a worker thread.
     */
    @FunctionalInterface
    public interface JobOf {
        Map<String, Object> apply(MultiMap query, Caller caller, long declaredBytes) throws Exception;
    }

    /** An HTTP answer: status, content type, {@code Retry-After} (null for none) and body. */
    public record Answer(int status, String contentType, String retryAfter, String body) {
    }

    /** An upload refused with an HTTP status of its own. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The body of one upload in its staging folder, until the route adopts it or it is discarded. */
    private static final class Staged {
        final Map<String, Object> job;
        final Path dir;
        final AtomicLong bytes = new AtomicLong();
        private boolean adopted;
        private boolean discarded;

        Staged(Map<String, Object> job, Path dir) {
            this.job = job;
            this.dir = dir;
        }
    }

    private final DataLayout layout;
    private final Limits limits;
    private final JobOf jobOf;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> perClient = new ConcurrentHashMap<>();
    private final Map<String, Staged> received = new ConcurrentHashMap<>();

    public UploadReceiver(DataLayout layout, Limits limits, JobOf jobOf) {
        this.layout = layout;
        this.limits = limits;
        this.jobOf = jobOf;
    }

    /** Serves one {@code POST /upload}; {@code recorder} is the upload route. */
    public void handle(RoutingContext context, Recorder recorder) {
        HttpServerRequest request = context.request();
        request.pause();
        Context eventLoop = context.vertx().getOrCreateContext();
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().host();
        try {
            admit(client);
        } catch (Refused refused) {
            refuse(context, refused);
            return;
        }
        Staged[] staged = new Staged[1];
        context.addEndHandler(end -> {
            release(client);
            if (staged[0] != null) {
                received.remove(staged[0].job.get("jobId").toString());
                discard(context.vertx(), staged[0]);
            }
        });
        try {
            checkLength(request.getHeader("Content-Length"));
        } catch (Refused refused) {
            refuse(context, refused);
            return;
        }
        MultiMap parameters = request.params();
        Caller caller = AccessControl.caller(context);
        long declared = request.getHeader("Content-Length") == null ? -1 : Long.parseLong(request.getHeader("Content-Length").trim());
        context.vertx().executeBlocking(() -> jobOf.apply(parameters, caller, declared), false)
                .compose(job -> {
                    staged[0] = new Staged(job, layout.uploads().resolve(job.get("jobId").toString()));
                    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
                        context.response().writeContinue();
                    }
                    return receive(context.vertx(), request, staged[0]);
                })
                .compose(v -> {
                    Map<String, Object> job = staged[0].job;
                    job.put("bytes", staged[0].bytes.get());
                    received.put(job.get("jobId").toString(), staged[0]);
                    return Future.fromCompletionStage(recorder.record(job), eventLoop);
                })
                .onSuccess(answer -> {
                    if (!context.response().ended() && !context.response().closed()) {
                        HttpServerResponse response = context.response().setStatusCode(answer.status())
                                .putHeader("Content-Type", answer.contentType());
                        if (answer.retryAfter() != null) {
                            response.putHeader("Retry-After", answer.retryAfter());
                        }
                        response.end(answer.body());
                    }
                })
                .onFailure(failure -> refuse(context, failure));
    }

    /** Moves the body of the upload of job {@code jobId} into {@code input/{job}/raw/}: from now on it belongs to the job. */
    public void adopt(String jobId) throws IOException {
        Staged staged = received.get(jobId);
        if (staged == null) {
            throw new IllegalStateException("the upload's body was not received");
        }
        synchronized (staged) {
            if (staged.discarded) {
                throw new IOException("the upload was cut off before it was recorded");
            }
            Path raw = layout.raw(staged.job.get("jobId").toString());
            Files.createDirectories(raw.getParent());
            Files.move(staged.dir, raw, StandardCopyOption.ATOMIC_MOVE);
            staged.adopted = true;
        }
    }

    /** Uploads streaming now, for tests and metrics. */
    public int inFlight() {
        return inFlight.get();
    }

    private void admit(String client) throws Refused {
        if (inFlight.incrementAndGet() > limits.maxConcurrent()) {
            inFlight.decrementAndGet();
            throw new Refused(503, "too many uploads at once (upload.max-concurrent=" + limits.maxConcurrent()
                    + "); try again shortly");
        }
        AtomicInteger mine = perClient.computeIfAbsent(client, c -> new AtomicInteger());
        if (mine.incrementAndGet() > limits.maxPerClient()) {
            release(client);
            throw new Refused(429, "too many uploads at once from " + client + " (upload.max-per-client="
                    + limits.maxPerClient() + "); try again when one has finished");
        }
    }

    private void release(String client) {
        inFlight.decrementAndGet();
        perClient.computeIfPresent(client, (c, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private void checkLength(String length) throws Refused {
        if (length == null) {
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            throw new Refused(400, "Content-Length is not a number");
        }
        if (declared > limits.maxBytes()) {
            throw new Refused(413, "upload of " + declared + " bytes exceeds upload.max-bytes=" + limits.maxBytes());
        }
    }

    /** Streams a plain body into one file, or each file part of a multipart form into its own. */
    private Future<Void> receive(Vertx vertx, HttpServerRequest request, Staged staged) {
        FileSystem fileSystem = vertx.fileSystem();
        AtomicLong lastData = new AtomicLong(System.nanoTime());
        Promise<Void> done = Promise.promise();
        watchIdle(vertx, request, lastData, done);
        fileSystem.mkdirs(staged.dir.toString()).onFailure(done::tryFail).onSuccess(v -> {
            String type = request.getHeader("Content-Type");
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
                request.setExpectMultipart(true);
                List<Future<Void>> parts = new ArrayList<>();
                Set<String> taken = new HashSet<>();
                request.uploadHandler(upload -> parts.add(pipe(fileSystem, upload,
                        staged.dir.resolve(unique(safeFileName(upload.filename()), taken)), staged, lastData)));
                request.exceptionHandler(done::tryFail);
                request.endHandler(end -> Future.all(new ArrayList<>(parts)).onComplete(all -> {
                    if (all.failed()) {
                        done.tryFail(all.cause());
                    } else if (parts.isEmpty()) {
                        done.tryFail(new Refused(400, "multipart upload without a file part"));
                    } else {
                        done.tryComplete();
                    }
                }));
                request.resume();
            } else {
                String name = safeFileName(nameFor(request.getParam("filename"), type));
                pipe(fileSystem, request, staged.dir.resolve(name), staged, lastData).onComplete(done);
            }
        });
        return done.future().compose(v -> staged.bytes.get() == 0
                ? Future.failedFuture(new Refused(400, "empty upload"))
                : Future.succeededFuture());
    }

    /** A body that sends nothing for {@code upload.idle-timeout-ms} is cut off, so it cannot hold its slot for ever. */
    private void watchIdle(Vertx vertx, HttpServerRequest request, AtomicLong lastData, Promise<Void> done) {
        long idleNanos = limits.idleTimeoutMs() * 1_000_000L;
        long timer = vertx.setPeriodic(Math.max(100, limits.idleTimeoutMs() / 4), id -> {
            if (System.nanoTime() - lastData.get() > idleNanos) {
                done.tryFail(new Refused(408, "no data for " + limits.idleTimeoutMs() + " ms (upload.idle-timeout-ms)"));
            }
        });
        done.future().onComplete(r -> vertx.cancelTimer(timer));
    }

    /** Copies one stream into a file, pausing the socket whenever the disk falls behind. */
    private Future<Void> pipe(FileSystem fileSystem, ReadStream<Buffer> source, Path target, Staged staged,
                              AtomicLong lastData) {
        Promise<Void> written = Promise.promise();
        source.pause();
        fileSystem.open(target.toString(), new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
                .onFailure(written::fail)
                .onSuccess(file -> {
                    file.exceptionHandler(e -> {
                        source.handler(null);
                        file.close();
                        written.tryFail(e);
                    });
                    source.handler(buffer -> {
                        lastData.set(System.nanoTime());
                        if (staged.bytes.addAndGet(buffer.length()) > limits.maxBytes()) {
                            source.handler(null);
                            file.close();
                            written.tryFail(new Refused(413, "upload exceeds upload.max-bytes=" + limits.maxBytes()));
                            return;
                        }
                        file.write(buffer);
                        if (file.writeQueueFull()) {
                            source.pause();
                            file.drainHandler(v -> source.resume());
                        }
                    });
                    source.exceptionHandler(e -> {
                        file.close();
                        written.tryFail(e);
                    });
                    source.endHandler(v -> closeInto(file, written));
                    source.resume();
                });
        return written.future();
    }

    private static void closeInto(AsyncFile file, Promise<Void> written) {
        file.close().onComplete(r -> {
            if (r.succeeded()) {
                written.tryComplete();
            } else {
                written.tryFail(r.cause());
            }
        });
    }

    private void discard(Vertx vertx, Staged staged) {
        synchronized (staged) {
            if (staged.adopted || staged.discarded) {
                return;
            }
            staged.discarded = true;
        }
        vertx.fileSystem().deleteRecursive(staged.dir.toString(), true).onFailure(e -> {
            if (Files.exists(staged.dir)) {
                LOG.warn("upload {}: its partial body could not be removed: {}", staged.job.get("jobId"), e.toString());
            }
        });
    }

    /**
     * Answers a refused or failed upload itself, with the API's JSON error body. The rest of the
     * body is not stored: an HTTP/2 stream is reset once the answer is out; an HTTP/1.1 client
     * has a moment in which what it still sends is read and dropped (so that it reads the answer
     * rather than a reset connection), then the connection is closed.
     */
    private static void refuse(RoutingContext context, Throwable failure) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        int status;
        String message;
        String retryAfter = "5";
        if (failure instanceof Refused refused) {
            status = refused.status;
            message = refused.getMessage();
        } else if (failure instanceof OwnerLimits.LimitExceeded limit) {
            status = limit.status();
            message = limit.getMessage();
            retryAfter = String.valueOf(limit.retryAfterSeconds());
        } else if (failure instanceof IllegalArgumentException bad) {
            status = 400;
            message = bad.getMessage();
        } else if (failure instanceof HttpClosedException) {
            LOG.info("an upload was cut off by its client; nothing was kept");
            return;
        } else if (DiskSpace.isFull(failure)) {
            status = 507;
            message = "the server's disk is full; try again later";
            LOG.error("an upload failed: {}", failure.toString());
        } else {
            status = 500;
            message = "the upload could not be stored; see the server log";
            LOG.error("an upload failed", failure);
        }
        if (response.ended() || response.closed()) {
            return;
        }
        boolean http2 = request.version() == HttpVersion.HTTP_2;
        response.setStatusCode(status).putHeader("Content-Type", "application/json");
        if (!http2) {
            response.putHeader("Connection", "close");
        }
        if (status == 429 || status == 503 || status == 507) {
            response.putHeader("Retry-After", retryAfter);
        }
        response.end(new JsonObject().put("error", message).encode()).onComplete(r -> {
            if (request.isEnded()) {
                return;
            }
            if (http2) {
                response.reset(0);
                return;
            }
            request.handler(dropped -> { });
            request.exceptionHandler(closed -> { });
            request.resume();
            context.vertx().setTimer(DRAIN_MS, id -> request.connection().close());
        });
    }

    /** The splitter tells archives from images by extension: name a bare body after its content type. */
    static String nameFor(String fileName, String contentType) {
        if (fileName != null && !fileName.isBlank()) {
            return fileName;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        // "gzip" first: it contains "zip"
        if (type.contains("gzip")) {
            return "upload.tar.gz";
        } else if (type.contains("zip")) {
            return "upload.zip";
        } else if (type.contains("tar")) {
            return "upload.tar";
        } else if (type.startsWith("image/")) {
            String subtype = type.substring(6).split("[;+]")[0].trim();
            return "upload." + (subtype.equals("jpeg") ? "jpg" : subtype);
        }
        return "upload.bin";
    }

    /** A client's file name is a hint for the archive type, never a path; letters of any script stay. */
    static String safeFileName(String name) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1).replaceAll("[^\\p{L}\\p{N} ._()-]", "_");
        if (base.isEmpty() || base.chars().allMatch(c -> c == '.')) {
            base = "upload.bin";
        }
        return base;
    }

    /**
     * Files sent together keep their names (they become the images' names); only a repeated name
     * gets a number: {@code cat.jpg}, {@code cat-2.jpg}.
     */
    static String unique(String name, Set<String> taken) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        String candidate = name;
        for (int n = 2; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = stem + "-" + n + extension;
        }
        return candidate;
    }
}
