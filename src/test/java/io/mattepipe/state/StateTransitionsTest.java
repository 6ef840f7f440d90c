package io.mattepipe.state;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statements under {@code sql/} against the state machine of {@link TaskState} and
 * {@link JobState}: every state change a statement can make (from each state its WHERE admits to
 * each state its SET writes) is an allowed transition, every allowed transition is made by some
 * statement, a row goes in only in an initial state, and every "not finished" condition is the
 * enum's own set, so none of them can leave a state out.
 */
class StateTransitionsTest {

    private static final Path STATEMENTS = Path.of("src/main/resources/sql");
    /** A parenthesised group without parentheses inside: resolved innermost first. */
    private static final Pattern INNERMOST = Pattern.compile("\\(([^()]*)\\)");
    private static final Pattern UPDATE = Pattern.compile("^UPDATE (\\w+) SET (.*?) WHERE (.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern INSERT = Pattern.compile("^INSERT INTO (\\w+)\\b(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern TABLES = Pattern.compile("\\b(?:FROM|JOIN|UPDATE|INTO) (\\w+)(?: (?!WHERE\\b|SET\\b|JOIN\\b|ON\\b|ORDER\\b|GROUP\\b)(\\w+))?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WRITE = Pattern.compile("(?<![\\w.])state\\s*=\\s*(CASE\\b.*?\\bEND|'[a-z_]+')", Pattern.CASE_INSENSITIVE);
    /** {@code state = 'x'}, {@code t.state <> 'x'}, {@code state [NOT] IN ⟨'x', 'y'⟩} (groups already resolved). */
    private static final Pattern CONDITION = Pattern.compile(
            "(?<![\\w.])(?:(\\w+)\\.)?state\\s*(=|<>|!=|NOT\\s+IN|IN)\\s*('[a-z_]+'|⟨[^⟩]*⟩)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LITERAL = Pattern.compile("'([a-z_]+)'");

    /** A condition on a state column: the table it reads, how, and the states it names. */
    private record Condition(String table, String operator, Set<String> states) {

        boolean excludes() {
            return !operator.equals("=") && !operator.equals("IN");
        }
    }

    @Test
    void everyStateChangeOfAStatementIsAnAllowedTransitionAndEveryTransitionHasAStatement() throws IOException {
        Map<String, Set<String>> tasks = new HashMap<>();
        Map<String, Set<String>> jobs = new HashMap<>();
        List<String> refused = new ArrayList<>();
        for (Path file : statements()) {
            String statement = scopes(file).get(0);
            Matcher update = UPDATE.matcher(statement);
            if (!update.matches() || !isStateTable(update.group(1))) {
                continue;
            }
            String table = update.group(1).toLowerCase(Locale.ROOT);
            Set<String> targets = written(update.group(2));
            if (targets.isEmpty()) {
                continue;
            }
            Set<String> sources = admitted(table, conditions(statement.substring(update.start(3)), table, Map.of()));
            Map<String, Set<String>> made = table.equals("tasks") ? tasks : jobs;
            for (String from : sources) {
                for (String to : targets) {
                    made.computeIfAbsent(from, f -> new TreeSet<>()).add(to);
                    if (!allowed(table, from, to)) {
                        refused.add(file.getFileName() + ": " + table + " " + from + " -> " + to);
                    }
                }
            }
        }
        assertEquals(List.of(), refused, "state changes the transition table does not allow");
        for (TaskState state : TaskState.values()) {
            assertEquals(names(state.next()), tasks.getOrDefault(state.sqlName(), Set.of()), "tasks leaving " + state.sqlName() + " by some statement");
        }
        for (JobState state : JobState.values()) {
            assertEquals(jobNames(state.next()), jobs.getOrDefault(state.sqlName(), Set.of()), "jobs leaving " + state.sqlName() + " by some statement");
        }
    }

    @Test
    void rowsGoInOnlyInAnInitialState() throws IOException {
        int inserts = 0;
        for (Path file : statements()) {
            Matcher insert = INSERT.matcher(scopes(file).get(0));
            if (!insert.matches() || !isStateTable(insert.group(1))) {
                continue;
            }
            inserts++;
            String table = insert.group(1).toLowerCase(Locale.ROOT);
            Matcher literal = LITERAL.matcher(insert.group(2));
            while (literal.find()) {
                String name = literal.group(1);
                if (table.equals("tasks") ? TaskState.isName(name) : JobState.isName(name)) {
                    Set<String> initial = table.equals("tasks") ? names(TaskState.INITIAL) : jobNames(JobState.INITIAL);
                    assertTrue(initial.contains(name), file.getFileName() + " inserts " + table + " as '" + name + "', not one of " + initial);
                }
            }
        }
        assertEquals(2, inserts, "the job's and the task's INSERT were read");
    }

    @Test
    void everyStateAStatementReadsIsOfItsTableAndEveryUnfinishedConditionIsTheEnumsSet() throws IOException {
        List<String> wrong = new ArrayList<>();
        int seen = 0;
        for (Path file : statements()) {
            for (String scope : scopes(file)) {
                Map<String, String> aliases = aliases(scope);
                String table = aliases.get("");
                for (Condition condition : conditions(scope, table, aliases)) {
                    seen++;
                    for (String name : condition.states()) {
                        if (condition.table().equals("tasks") ? !TaskState.isName(name) : !JobState.isName(name)) {
                            wrong.add(file.getFileName() + ": '" + name + "' is no state of " + condition.table());
                        }
                    }
                    if (condition.operator().equals("NOT IN")) {
                        Set<String> finished = condition.table().equals("tasks") ? names(TaskState.TERMINAL) : jobNames(JobState.FINISHED);
                        if (!finished.equals(condition.states())) {
                            wrong.add(file.getFileName() + ": " + condition.table() + " not in " + condition.states() + ", not " + finished);
                        }
                    }
                }
            }
        }
        assertTrue(seen > 30, "the statements' conditions were read: " + seen);
        assertEquals(List.of(), wrong);
    }

    /**
     * The statement first, then each of its subqueries: comments gone, white space made single,
     * subqueries cut out (SUBQUERY) and the other parenthesised groups written ⟨...⟩.
     */
    private static List<String> scopes(Path file) throws IOException {
        String text = Files.readString(file).replaceAll("--[^\n]*", "").replaceAll("\\s+", " ").trim();
        List<String> subqueries = new ArrayList<>();
        Matcher group = INNERMOST.matcher(text);
        while (group.find()) {
            String inside = group.group(1).trim();
            String replacement;
            if (inside.regionMatches(true, 0, "SELECT ", 0, 7)) {
                subqueries.add(inside);
                replacement = "SUBQUERY";
            } else {
                replacement = "⟨" + inside + "⟩";
            }
            text = text.substring(0, group.start()) + replacement + text.substring(group.end());
            group = INNERMOST.matcher(text);
        }
        List<String> scopes = new ArrayList<>();
        scopes.add(text);
        scopes.addAll(subqueries);
        return scopes;
    }

    /** Table names by alias ({@code t} for {@code tasks t}) and by name; the first table under "". */
    private static Map<String, String> aliases(String scope) {
        Map<String, String> aliases = new HashMap<>();
        Matcher table = TABLES.matcher(scope);
        while (table.find()) {
            String name = table.group(1).toLowerCase(Locale.ROOT);
            aliases.putIfAbsent("", name);
            aliases.put(name, name);
            if (table.group(2) != null) {
                aliases.put(table.group(2).toLowerCase(Locale.ROOT), name);
            }
        }
        return aliases;
    }

    private static List<Condition> conditions(String text, String table, Map<String, String> aliases) {
        List<Condition> conditions = new ArrayList<>();
        Matcher condition = CONDITION.matcher(text);
        while (condition.find()) {
            String of = condition.group(1) == null ? table : aliases.getOrDefault(condition.group(1).toLowerCase(Locale.ROOT),
                    condition.group(1).toLowerCase(Locale.ROOT));
            if (!isStateTable(of)) {
                continue;
            }
            String operator = condition.group(2).toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
            conditions.add(new Condition(of, operator, literals(condition.group(3))));
        }
        return conditions;
    }

    /** The states an UPDATE's WHERE lets through: those it names, or all but those it excludes. */
    private static Set<String> admitted(String table, List<Condition> conditions) {
        Set<String> all = table.equals("tasks") ? names(Set.of(TaskState.values())) : jobNames(Set.of(JobState.values()));
        Set<String> admitted = new TreeSet<>();
        conditions.stream().filter(c -> c.table().equals(table) && !c.excludes()).forEach(c -> admitted.addAll(c.states()));
        if (admitted.isEmpty()) {
            admitted.addAll(all);
        }
        conditions.stream().filter(c -> c.table().equals(table) && c.excludes()).forEach(c -> admitted.removeAll(c.states()));
        return admitted;
    }

    /** The states an UPDATE's SET writes: one literal, or each branch of a CASE. */
    private static Set<String> written(String set) {
        Set<String> states = new TreeSet<>();
        Matcher write = WRITE.matcher(set);
        while (write.find()) {
            states.addAll(literals(write.group(1)));
        }
        return states;
    }

    private static boolean allowed(String table, String from, String to) {
        return table.equals("tasks") ? TaskState.of(from).next().contains(TaskState.of(to))
                : JobState.of(from).next().contains(JobState.of(to));
    }

    private static Set<String> literals(String text) {
        return LITERAL.matcher(text).results().map(literal -> literal.group(1)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean isStateTable(String table) {
        return table.equalsIgnoreCase("tasks") || table.equalsIgnoreCase("jobs");
    }

    private static Set<String> names(Set<TaskState> states) {
        Set<String> names = new TreeSet<>();
        states.forEach(state -> names.add(state.sqlName()));
        return names;
    }

    private static Set<String> jobNames(Set<JobState> states) {
        Set<String> names = new TreeSet<>();
        states.forEach(state -> names.add(state.sqlName()));
        return names;
    }

    private static List<Path> statements() throws IOException {
        try (Stream<Path> files = Files.list(STATEMENTS)) {
            List<Path> statements = files.filter(file -> file.toString().endsWith(".sql")).sorted().toList();
            assertTrue(statements.size() > 30, "the statements were found: " + statements.size());
            return statements;
        }
    }
}
