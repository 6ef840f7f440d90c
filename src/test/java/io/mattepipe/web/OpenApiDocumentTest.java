package io.mattepipe.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mattepipe.app.RunningApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code web/openapi.json} against the code: it documents every REST DSL verb of
 * {@code routes/api.camel.yaml} (and {@code ops.camel.yaml}) and the {@code platform-http} routes beside them, documents
 * nothing that is not there, and is what {@code GET /openapi.json} serves.
 */
class OpenApiDocumentTest {

    private static final String DOCUMENT = "web/openapi.json";
    /** The API's routes, and the health and metrics every node answers. */
    private static final List<String> API_ROUTES = List.of("routes/api.camel.yaml", "routes/ops.camel.yaml");
    /** Served by platform-http routes or the sign-in handlers of the HTTP edge, not the REST DSL. */
    private static final Set<String> OUTSIDE_REST_DSL = Set.of("/upload", "/", "/openapi.json", "/auth/me", "/auth/config",
            "/auth/session", "/auth/logout", "/auth/login", "/auth/callback");
    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");

    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void documentsEveryRouteAndNothingElse() throws Exception {
        JsonNode doc = json.readTree(resource(DOCUMENT));
        assertTrue(doc.path("openapi").asText().startsWith("3."), "not OpenAPI 3.x: " + doc.path("openapi"));
        assertFalse(doc.path("info").path("title").asText().isEmpty(), "info.title");

        Map<String, Set<String>> documented = documentedOperations(doc);
        Map<String, Set<String>> rest = restDslOperations();
        assertFalse(rest.isEmpty(), "no REST DSL verbs found in " + API_ROUTES);

        Map<String, Set<String>> expected = new TreeMap<>(rest);
        expected.computeIfAbsent("/upload", k -> new TreeSet<>()).add("post");
        List<String> missing = new ArrayList<>();
        expected.forEach((path, verbs) -> verbs.forEach(verb -> {
            if (!documented.getOrDefault(path, Set.of()).contains(verb)) {
                missing.add(verb.toUpperCase(Locale.ROOT) + " " + path);
            }
        }));
        assertTrue(missing.isEmpty(), "routes the document leaves out: " + missing);

        List<String> unknown = documented.keySet().stream()
                .filter(path -> !rest.containsKey(path) && !OUTSIDE_REST_DSL.contains(path) && !path.startsWith("/web/"))
                .toList();
        assertTrue(unknown.isEmpty(), "documented paths that no route serves: " + unknown);
        // a REST DSL path is documented with its verbs only
        rest.forEach((path, verbs) -> {
            Set<String> extra = new TreeSet<>(documented.get(path));
            extra.removeAll(verbs);
            assertTrue(extra.isEmpty(), path + " documents verbs the route does not have: " + extra);
        });

        assertEveryRefResolves(doc, doc, "#");
        assertPathParametersDeclared(doc);
        for (String schema : List.of("Error", "JobStatus", "JobListItem", "Task", "JobState", "TaskState")) {
            assertTrue(doc.path("components").path("schemas").has(schema), "schema " + schema);
        }
    }

    @Test
    void servedByTheRunningApp() throws Exception {
        byte[] resource = resource(DOCUMENT);
        JsonNode doc = json.readTree(resource);
        try (RunningApp app = RunningApp.start(temp.resolve("data"), Map.of())) {
            int port = app.port;
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<byte[]> served = http.send(request(port, "/openapi.json"), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, served.statusCode());
            assertTrue(served.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                    served.headers().toString());
            assertArrayEquals(resource, served.body(), "GET /openapi.json is not web/openapi.json");

            List<String> plainGets = new ArrayList<>();
            doc.path("paths").fields().forEachRemaining(path -> {
                // every GET without parameters that answers 200 at all (not the issuer's redirects)
                if (path.getValue().path("get").path("responses").has("200") && !path.getKey().contains("{")) {
                    plainGets.add(path.getKey());
                }
            });
            assertTrue(plainGets.containsAll(List.of("/jobs", "/health", "/openapi.json", "/")), plainGets.toString());
            for (String path : plainGets) {
                HttpResponse<String> answer = http.send(request(port, path), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), "GET " + path + ": " + answer.body());
            }
        }
    }

    /** Path to its lower-case verbs, as the document has them. */
    private static Map<String, Set<String>> documentedOperations(JsonNode doc) {
        Map<String, Set<String>> operations = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields();
        assertTrue(paths.hasNext(), "no paths");
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            Set<String> verbs = new TreeSet<>();
            path.getValue().fieldNames().forEachRemaining(name -> {
                if (VERBS.contains(name)) {
                    verbs.add(name);
                }
            });
            assertFalse(verbs.isEmpty(), path.getKey() + " has no operation");
            operations.put(path.getKey(), verbs);
        }
        return operations;
    }

    /** Path to its lower-case verbs, from every {@code rest} element of the API routes. */
    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> restDslOperations() throws IOException {
        Map<String, Set<String>> operations = new TreeMap<>();
        List<Object> routes = new ArrayList<>();
        for (String file : API_ROUTES) {
            routes.addAll((List<Object>) new Load(LoadSettings.builder().build())
                    .loadFromString(new String(resource(file), StandardCharsets.UTF_8)));
        }
        for (Object element : routes) {
            if (!(element instanceof Map<?, ?> map) || !(map.get("rest") instanceof Map<?, ?> rest)) {
                continue;
            }
            String base = rest.get("path") == null ? "" : rest.get("path").toString().replaceAll("/$", "");
            for (Map.Entry<?, ?> entry : rest.entrySet()) {
                String verb = entry.getKey().toString().toLowerCase(Locale.ROOT);
                if (!VERBS.contains(verb)) {
                    continue;
                }
                for (Object operation : (List<Object>) entry.getValue()) {
                    Object path = ((Map<String, Object>) operation).get("path");
                    String full = base + (path == null ? "" : path.toString());
                    operations.computeIfAbsent(full.isEmpty() ? "/" : full, k -> new TreeSet<>()).add(verb);
                }
            }
        }
        return operations;
    }

    private static void assertEveryRefResolves(JsonNode doc, JsonNode node, String where) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("$ref")) {
                    String ref = field.getValue().asText();
                    assertTrue(ref.startsWith("#/"), where + ": only local refs, got " + ref);
                    assertFalse(doc.at(ref.substring(1)).isMissingNode(), where + ": " + ref + " does not resolve");
                } else {
                    assertEveryRefResolves(doc, field.getValue(), where + "/" + field.getKey());
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                assertEveryRefResolves(doc, node.get(i), where + "/" + i);
            }
        }
    }

    /** Each {name} of a path template is a required path parameter of each of its operations. */
    private static void assertPathParametersDeclared(JsonNode doc) {
        doc.path("paths").fields().forEachRemaining(path -> {
            Set<String> template = new TreeSet<>();
            Matcher m = TEMPLATE.matcher(path.getKey());
            while (m.find()) {
                template.add(m.group(1));
            }
            path.getValue().fields().forEachRemaining(operation -> {
                if (!VERBS.contains(operation.getKey())) {
                    return;
                }
                Set<String> declared = new TreeSet<>();
                for (JsonNode parameter : operation.getValue().path("parameters")) {
                    JsonNode p = parameter.has("$ref") ? doc.at(parameter.get("$ref").asText().substring(1)) : parameter;
                    if (p.path("in").asText().equals("path")) {
                        assertTrue(p.path("required").asBoolean(), path.getKey() + ": path parameter " + p.path("name") + " not required");
                        declared.add(p.path("name").asText());
                    }
                }
                assertEquals(template, declared, operation.getKey() + " " + path.getKey() + ": path parameters");
            });
        });
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(name)) {
            assertNotNull(in, "classpath resource " + name);
            return in.readAllBytes();
        }
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(30)).GET().build();
    }
}
