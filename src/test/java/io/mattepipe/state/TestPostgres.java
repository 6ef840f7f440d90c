package io.mattepipe.state;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real PostgreSQL server for the tests, started once per test JVM from the operating system's
 * binaries (Debian's {@code postgresql} package: {@code initdb} and {@code pg_ctl}, on the PATH or
 * under {@code /usr/lib/postgresql/N/bin}). PostgreSQL refuses to run as root, so under root it
 * runs as the {@code postgres} user. Each caller gets a database of its own.
 *
 * <p>Without the binaries the tests that need it are skipped with the reason printed, unless
 * {@code MATTEPIPE_REQUIRE_POSTGRES=true} (CI sets it), where they fail instead.
 */
public final class TestPostgres {

    private static final String USER = "mattepipe";
    private static TestPostgres server;
    private static String unavailable;

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;

    private TestPostgres(Path dir, Path bin, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** A fresh, empty database on the shared server: its JDBC URL (user {@code mattepipe}, no password). */
    public static String newDatabase() {
        TestPostgres postgres = require();
        String name = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = DriverManager.getConnection(postgres.url("postgres"), USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database: " + e.getMessage(), e);
        }
        return postgres.url(name);
    }

    public static String user() {
        return USER;
    }

    /** Stops the server (fast, as a crash would) and starts it again on the same port and data. */
    public static void stop() throws IOException, InterruptedException {
        require().pgCtl("stop", "-m", "fast");
    }

    public static void start() throws IOException, InterruptedException {
        require().startServer();
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static synchronized TestPostgres require() {
        if (server == null && unavailable == null) {
            try {
                server = launch();
            } catch (Exception e) {
                unavailable = "PostgreSQL could not be started: " + e.getMessage();
            }
        }
        if (server == null) {
            if (Boolean.parseBoolean(System.getenv("MATTEPIPE_REQUIRE_POSTGRES"))) {
                throw new IllegalStateException(unavailable + " (MATTEPIPE_REQUIRE_POSTGRES=true)");
            }
            System.out.println("SKIPPED: " + unavailable);
            assumeTrue(false, unavailable);
        }
        return server;
    }

    private static TestPostgres launch() throws IOException, InterruptedException {
        Path bin = findBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory("mattepipe-pg");
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TestPostgres postgres = new TestPostgres(dir, bin, port, root);
        postgres.run(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "--auth=trust", "-E", "UTF8", "--no-sync"));
        postgres.startServer();
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::destroy));
        return postgres;
    }

    private void startServer() throws IOException, InterruptedException {
        pgCtl("start", "-w", "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200");
    }

    private void pgCtl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString()));
        command.addAll(List.of(arguments));
        run(command);
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path log = Files.createTempFile("mattepipe-pg", ".log");
        Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log).strip());
        }
        Files.delete(log);
    }

    private void destroy() {
        try {
            pgCtl("stop", "-m", "immediate");
        } catch (IOException | InterruptedException e) {
            System.err.println("test PostgreSQL did not stop: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("test PostgreSQL left " + dir + ": " + e.getMessage());
        }
    }

    /** {@code initdb} on the PATH, else the newest {@code /usr/lib/postgresql/N/bin}. */
    private static Path findBinaries() throws IOException {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path initdb = Path.of(folder, "initdb");
            if (Files.isExecutable(initdb)) {
                return initdb.toRealPath().getParent();
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.map(version -> version.resolve("bin"))
                        .filter(folder -> Files.isExecutable(folder.resolve("initdb")))
                        .max(Comparator.comparingInt(folder -> Integer.parseInt(folder.getParent().getFileName().toString())))
                        .orElse(null);
                if (newest != null) {
                    return newest;
                }
            }
        }
        throw new IOException("no initdb on the PATH or under /usr/lib/postgresql (install Debian's postgresql package)");
    }
}
