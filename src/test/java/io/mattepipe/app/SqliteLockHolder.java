package io.mattepipe.app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Another process that locks a SQLite file: {@code BEGIN EXCLUSIVE}, says {@code locked} on its
 * standard output, holds the lock until its standard input ends, then rolls back and exits. Run in
 * a JVM of its own by {@link #start}, so that the lock is a file lock between two processes, as an
 * operator's {@code sqlite3} session or a backup tool would hold it.
 */
final class SqliteLockHolder implements AutoCloseable {

    private final Process process;

    private SqliteLockHolder(Process process) {
        this.process = process;
    }

    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + args[0]);
             Statement statement = connection.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
            System.out.println("locked");
            System.out.flush();
            // held until the test closes our standard input
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            statement.execute("ROLLBACK");
        }
    }

    /** Starts the holder on {@code database} and returns once it holds the lock. */
    static SqliteLockHolder start(java.nio.file.Path database) throws Exception {
        Process process = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SqliteLockHolder.class.getName(), database.toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"locked".equals(line)) {
            process.destroyForcibly();
            throw new IllegalStateException("the lock holder did not lock " + database + ": " + line);
        }
        return new SqliteLockHolder(process);
    }

    /** Releases the lock (the holder rolls back and exits) and waits for the process to end. */
    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the lock holder exited with " + process.exitValue());
        }
    }
}
