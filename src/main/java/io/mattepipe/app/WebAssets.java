package io.mattepipe.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web page's static files, read from the classpath folder {@code web/} (they ship in the jar).
 * Only plain names of known types under {@code web/} are served: no {@code ..}, no absolute paths,
 * no directories; anything else is a {@link JobViews.NotFoundException}, which the API answers
 * with 404.
 */
public final class WebAssets {

    /** What {@code GET /} serves. */
    public static final String INDEX = "index.html";
    /** What {@code GET /openapi.json} serves: the HTTP API's OpenAPI document. */
    public static final String OPENAPI = "openapi.json";

    private static final String ROOT = "web/";
    private static final String HTTP_PREFIX = "/web/";
    /** Segments of letters, digits, '-', '_' and '.', separated by single slashes. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*(/[A-Za-z0-9_\\-][A-Za-z0-9_.\\-]*)*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");

    private final ClassLoader loader;

    public WebAssets() {
        this(WebAssets.class.getClassLoader());
    }

    WebAssets(ClassLoader loader) {
        this.loader = loader;
    }

    /**
     * The asset an HTTP path names: {@code /} is the page itself, {@code /openapi.json} the API's
     * OpenAPI document, {@code /web/NAME} is {@code NAME}.
     *
     * @param httpPath the request's path ({@code CamelHttpPath})
     */
    public String assetOf(String httpPath) {
        if (httpPath == null || httpPath.isEmpty() || httpPath.equals("/")) {
            return INDEX;
        }
        if (httpPath.equals("/" + OPENAPI)) {
            return OPENAPI;
        }
        if (httpPath.startsWith(HTTP_PREFIX)) {
            return httpPath.substring(HTTP_PREFIX.length());
        }
        throw notFound(httpPath);
    }

    /**
     * The bytes of {@code web/PATH}.
     *
     * @param path relative to {@code web/}, e.g. {@code app.js}
     */
    public byte[] load(String path) {
        String checked = check(path);
        try (InputStream in = loader.getResourceAsStream(ROOT + checked)) {
            if (in == null) {
                throw notFound(path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web asset " + checked, e);
        }
    }

    /** The Content-Type of an asset, from its extension. */
    public String contentType(String path) {
        return TYPES.get(extension(check(path)));
    }

    private static String check(String path) {
        if (path == null || !SAFE.matcher(path).matches() || path.contains("..")) {
            throw notFound(path);
        }
        if (!TYPES.containsKey(extension(path))) {
            throw notFound(path);
        }
        return path;
    }

    private static String extension(String path) {
        int dot = path.lastIndexOf('.');
        int slash = path.lastIndexOf('/');
        return dot <= slash ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static JobViews.NotFoundException notFound(String path) {
        return new JobViews.NotFoundException("no such page: " + path);
    }
}
