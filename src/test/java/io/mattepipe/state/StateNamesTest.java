package io.mattepipe.state;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statements and routes spell states as literals, to read as the flow; every one of them must
 * be a name of {@link TaskState} or {@link JobState}, so a typo cannot hide in a WHERE clause.
 */
class StateNamesTest {

    /**
     * Where the statements name states: {@code state = 'x'}, {@code state [NOT] IN ('x', 'y')}, and
     * the {@code THEN 'x'} / {@code ELSE 'x'} of a {@code SET state = CASE}.
     */
    private static final Pattern SQL_STATES = Pattern.compile(
            "state\\s*(?:=|<>|!=)\\s*('[a-z_]+')|state\\s+(?:NOT\\s+)?IN\\s*\\(([^)]*)\\)|(?:THEN|ELSE)\\s+('[a-z_]+')",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SQL_LITERAL = Pattern.compile("'([a-z_]+)'");
    /** {@code ${body[state]} == 'pending'}, {@code ${variable.stored[state]} in 'processing,comparing'} in the routes. */
    private static final Pattern ROUTE_STATE = Pattern.compile("state]?} (?:==|!=|in) '([a-z_,]+)'");

    @Test
    void everyStateLiteralInTheStatementsIsAStateName() throws IOException {
        List<String> unknown = new ArrayList<>();
        int seen = 0;
        for (Path file : files(Path.of("src/main/resources/sql"), ".sql")) {
            Matcher context = SQL_STATES.matcher(Files.readString(file).replaceAll("--[^\n]*", ""));
            while (context.find()) {
                Matcher literal = SQL_LITERAL.matcher(context.group());
                while (literal.find()) {
                    seen++;
                    if (!TaskState.isName(literal.group(1)) && !JobState.isName(literal.group(1))) {
                        unknown.add(file.getFileName() + ": " + literal.group(1));
                    }
                }
            }
        }
        assertTrue(seen > 40, "the statements were read: " + seen);
        assertEquals(List.of(), unknown);
    }

    @Test
    void everyStateTheRoutesTestIsAStateName() throws IOException {
        List<String> unknown = new ArrayList<>();
        int seen = 0;
        for (Path file : files(Path.of("src/main/resources/routes"), ".yaml")) {
            Matcher test = ROUTE_STATE.matcher(Files.readString(file));
            while (test.find()) {
                for (String name : test.group(1).split(",")) {
                    seen++;
                    if (!TaskState.isName(name) && !JobState.isName(name)) {
                        unknown.add(file.getFileName() + ": " + name);
                    }
                }
            }
        }
        assertTrue(seen > 0, "the routes were read");
        assertEquals(List.of(), unknown);
    }

    private static List<Path> files(Path folder, String extension) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(extension)).sorted().toList();
        }
    }
}
