package io.mattepipe.app;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams an upload body straight from the socket to {@code data/input/{job}/raw/}, with
 * back-pressure and a byte cap, so a 100 GB archive never sits in memory. The platform-http route
 * runs with {@code useBodyHandler=false} and hands over the paused Vert.x request: the default body
 * handler would buffer a plain body in memory, and streaming mode refuses multipart.
 * Multipart parts (several files from a form) are streamed one file each.
 */
public final class UploadReceiver {

    private final DataLayout layout;
    private final long maxBytes;

    public UploadReceiver(DataLayout layout, long maxBytes) {
        this.layout = layout;
        this.maxBytes = maxBytes;
    }

    /** Thrown when the body is larger than {@code upload.max-bytes}. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * Receives the whole body, blocking the calling (worker) thread until it is on disk.
     *
     * @param fileName the name of a plain (non-multipart) body, from the {@code filename} query parameter
     * @return the number of bytes written
     */
    public long receive(HttpServerRequest request, String jobId, String fileName) throws IOException, InterruptedException {
        Path rawDir = layout.raw(jobId);
        String length = request.getHeader("Content-Length");
        if (length != null && Long.parseLong(length) > maxBytes) {
            request.resume();
            throw new TooLargeException("upload of " + length + " bytes exceeds upload.max-bytes=" + maxBytes);
        }
        Files.createDirectories(rawDir);
        // platform-http runs the route on a Vert.x worker: its context owns the file system
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("receive must run on a Vert.x worker thread");
        }
        FileSystem fileSystem = context.owner().fileSystem();
        AtomicLong total = new AtomicLong();
        Future<Void> received;
        String type = request.getHeader("Content-Type");
        if (type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            request.setExpectMultipart(true);
            List<Future<Void>> parts = new ArrayList<>();
            Set<String> taken = new HashSet<>();
            request.uploadHandler(upload -> parts.add(
                    pipe(fileSystem, upload, rawDir.resolve(unique(safeFileName(upload.filename()), taken)), total)));
            Promise<Void> all = Promise.promise();
            request.exceptionHandler(all::tryFail);
            request.endHandler(v -> Future.all(new ArrayList<>(parts)).onComplete(r -> {
                if (r.failed()) {
                    all.tryFail(r.cause());
                } else if (parts.isEmpty()) {
                    all.tryFail(new IllegalArgumentException("multipart upload without a file part"));
                } else {
                    all.tryComplete();
                }
            }));
            received = all.future();
            request.resume();
        } else {
            // pipe() resumes the request once the file is open and the handler is in place
            received = pipe(fileSystem, request, rawDir.resolve(safeFileName(nameFor(fileName, type))), total);
        }
        try {
            received.toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof IllegalArgumentException bad) {
                throw bad;
            }
            throw new IOException("upload failed: " + cause.getMessage(), cause);
        }
        if (total.get() == 0) {
            throw new IllegalArgumentException("empty upload");
        }
        return total.get();
    }

    /** Copies one stream into a file, pausing the socket whenever the disk falls behind. */
    private Future<Void> pipe(FileSystem fileSystem, ReadStream<Buffer> source, Path target, AtomicLong total) {
        Promise<Void> written = Promise.promise();
        source.pause();
        fileSystem.open(target.toString(), new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
                .onFailure(written::fail)
                .onSuccess(file -> {
                    source.handler(buffer -> {
                        if (total.addAndGet(buffer.length()) > maxBytes) {
                            source.handler(null);
                            file.close();
                            written.tryFail(new TooLargeException("upload exceeds upload.max-bytes=" + maxBytes));
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

    /** A client's file name is a hint for the archive type, never a path. */
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
