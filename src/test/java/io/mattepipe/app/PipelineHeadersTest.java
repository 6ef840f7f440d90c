package io.mattepipe.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PipelineHeaders} is the catalogue of the headers: every header the routes set, remove or
 * read, and every {@code ${header.X}} of a statement, is declared there, Camel's or the broker's
 * own, or an API parameter of {@code openapi.json}; every header declared there is used. A
 * statement's plain {@code :#name} is left out: it may be a column of the row in the body.
 */
class PipelineHeadersTest {

    private static final Path ROUTES = Path.of("src/main/resources/routes");
    private static final Path STATEMENTS = Path.of("src/main/resources/sql");
    private static final Path MAIN_JAVA = Path.of("src/main/java");
    private static final Path API = Path.of("src/main/resources/web/openapi.json");
    private static final Pattern READ = Pattern.compile("\\$\\{headers?\\.(\\w+)");

    @Test
    void everyHeaderOfTheRoutesAndStatementsIsDeclaredAndEveryDeclaredHeaderIsUsed() throws Exception {
        Map<String, String> declared = declared();
        Set<String> apiParameters = apiParameters();
        Map<String, Set<String>> used = new TreeMap<>();
        for (Path file : files(ROUTES, ".yaml")) {
            for (Object routes : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(file))) {
                collect(routes, file.getFileName().toString(), used);
            }
        }
        for (Path file : files(STATEMENTS, ".sql")) {
            Matcher read = READ.matcher(Files.readString(file));
            while (read.find()) {
                used.computeIfAbsent(read.group(1), name -> new TreeSet<>()).add(file.getFileName().toString());
            }
        }
        assertTrue(used.containsKey(PipelineHeaders.JOB_ID) && used.size() > 20, "the routes and statements were read: " + used.keySet());

        Map<String, Set<String>> undeclared = new TreeMap<>(used);
        undeclared.keySet().removeIf(name -> declared.containsValue(name) || name.startsWith("Camel") || name.startsWith("JMS")
                || name.contains("-") || apiParameters.contains(name));
        assertEquals(Map.of(), undeclared, "headers that PipelineHeaders does not declare, and where they are used");

        String java = javaOutsideTheCatalogue();
        Set<String> unused = new TreeSet<>();
        declared.forEach((constant, name) -> {
            if (!used.containsKey(name) && !java.contains("PipelineHeaders." + constant)) {
                unused.add(constant);
            }
        });
        assertEquals(Set.of(), unused, "declared headers that no route, statement or class uses");
    }

    /** Header names by constant name. */
    private static Map<String, String> declared() throws IllegalAccessException {
        Map<String, String> declared = new TreeMap<>();
        for (Field field : PipelineHeaders.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                declared.put(field.getName(), (String) field.get(null));
            }
        }
        assertEquals(declared.size(), Set.copyOf(declared.values()).size(), "one constant per header: " + declared);
        return declared;
    }

    /** The names of the setHeader and removeHeader steps, and the headers the expressions read. */
    @SuppressWarnings("unchecked")
    private static void collect(Object node, String file, Map<String, Set<String>> used) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if ((entry.getKey().equals("setHeader") || entry.getKey().equals("removeHeader"))
                        && entry.getValue() instanceof Map<?, ?> step && step.get("name") instanceof String name) {
                    used.computeIfAbsent(name, n -> new TreeSet<>()).add(file);
                }
                collect(entry.getValue(), file, used);
            }
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, file, used));
        } else if (node instanceof String text) {
            Matcher read = READ.matcher(text);
            while (read.find()) {
                used.computeIfAbsent(read.group(1), n -> new TreeSet<>()).add(file);
            }
        }
    }

    /** The query and path parameters of the HTTP API, which the REST DSL hands to the routes as headers. */
    private static Set<String> apiParameters() throws IOException {
        Set<String> names = new TreeSet<>();
        new ObjectMapper().readTree(API.toFile()).findParents("in").stream()
                .filter(parameter -> parameter.has("name"))
                .map(parameter -> parameter.get("name"))
                .map(JsonNode::asText)
                .forEach(names::add);
        assertTrue(names.contains("limit"), "the API's parameters were read: " + names);
        return names;
    }

    private static String javaOutsideTheCatalogue() throws IOException {
        StringBuilder java = new StringBuilder();
        try (Stream<Path> files = Files.walk(MAIN_JAVA)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.endsWith("PipelineHeaders.java")).toList()) {
                java.append(Files.readString(file));
            }
        }
        return java.toString();
    }

    private static List<Path> files(Path folder, String extension) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(extension)).sorted().toList();
        }
    }
}
