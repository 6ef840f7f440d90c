package io.mattepipe.deploy;

import io.mattepipe.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Docker is not available where the tests run, so this is the check of {@code docker-compose.yml}
 * and the {@code Dockerfile}: they must agree with each other and with the settings the application
 * really reads ({@code src/main/resources/application.properties}), so that a renamed setting or a
 * changed port breaks the build instead of a deployment.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("docker-compose.yml");
    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path POM = Path.of("pom.xml");
    private static final String SERVICE = "mattepipe";

    /** Variables the JVM or the container runtime reads, not the application: allowed beside the settings. */
    private static final Set<String> RUNTIME_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "TZ",
            "NVIDIA_VISIBLE_DEVICES", "NVIDIA_DRIVER_CAPABILITIES");

    private static Map<String, Object> compose;
    private static Map<String, Object> service;
    private static Map<String, String> environment;
    private static Properties settings;

    @BeforeAll
    static void load() throws IOException {
        assertTrue(Files.isRegularFile(COMPOSE), COMPOSE.toAbsolutePath() + " is missing");
        compose = map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(COMPOSE)), "the compose file");
        Map<String, Object> services = map(compose.get("services"), "services");
        service = map(services.get(SERVICE), "services." + SERVICE);
        environment = environment(service.get("environment"));
        settings = new Properties();
        try (Reader in = Files.newBufferedReader(PROPERTIES)) {
            settings.load(in);
        }
    }

    /** Every variable is a setting's name (upper case, dots and dashes as underscores): a typo is no silent no-op. */
    @Test
    void everyEnvironmentVariableNamesASettingOfTheApplication() {
        Map<String, String> keysByVariable = new LinkedHashMap<>();
        for (String key : settings.stringPropertyNames()) {
            keysByVariable.put(variableName(key), key);
        }
        List<String> unknown = new ArrayList<>();
        for (String variable : environment.keySet()) {
            if (RUNTIME_VARIABLES.contains(variable)) {
                continue;
            }
            String key = keysByVariable.get(variable);
            if (key == null) {
                unknown.add(variable);
            } else if (variable.startsWith("CAMEL_")) {
                assertTrue(key.startsWith("camel."), variable + " should map to a camel.* key, maps to " + key);
                assertFalse(ignoredByCamelMain(variable), variable + " is ignored by Camel Main, which takes variables"
                        + " ending in _PORT or _SERVICE_HOST for Kubernetes service links: use a command-line option"
                        + " (serve --port) or -D" + key + " in JAVA_TOOL_OPTIONS");
            }
        }
        assertTrue(unknown.isEmpty(), "environment variables of service '" + SERVICE + "' that name no key of "
                + PROPERTIES + ": " + unknown + " (known: " + new TreeSet<>(keysByVariable.keySet()) + ")");
        assertFalse(environment.isEmpty(), "service '" + SERVICE + "' sets no environment");

        List<String> unknownInImage = new ArrayList<>();
        for (String variable : dockerfileEnvironment().keySet()) {
            if (!RUNTIME_VARIABLES.contains(variable) && !keysByVariable.containsKey(variable)) {
                unknownInImage.add(variable);
            }
        }
        assertTrue(unknownInImage.isEmpty(), "ENV variables of the Dockerfile that name no key of " + PROPERTIES
                + ": " + unknownInImage);
    }

    @Test
    void thePublishedPortIsTheApplicationsHttpPort() {
        int port = httpPort();
        List<Integer> targets = new ArrayList<>();
        for (Object mapping : list(service.get("ports"), "ports")) {
            targets.add(containerPort(mapping));
        }
        assertEquals(List.of(port), targets, "the container side of 'ports' must be the port the service listens on"
                + " (serve --port, else camel.server.port of " + PROPERTIES + ")");
        assertEquals("0.0.0.0", setting("camel.server.host"), "in a container the server must listen on every interface");
    }

    @Test
    void theDataVolumeIsMountedWhereDataDirPoints() {
        assertTrue(settings.containsKey("data.dir"), "data.dir is no longer a key of " + PROPERTIES);
        String dataDir = environment.get("DATA_DIR");
        assertNotNull(dataDir, "service '" + SERVICE + "' must set DATA_DIR to where its volume is mounted");
        Map<String, String> mounts = new LinkedHashMap<>();
        for (Object volume : list(service.get("volumes"), "volumes")) {
            String[] mount = mount(volume);
            mounts.put(mount[1], mount[0]);
        }
        assertTrue(mounts.containsKey(dataDir), "no volume is mounted at DATA_DIR=" + dataDir + ": " + mounts);
        String source = mounts.get(dataDir);
        Map<String, Object> volumes = map(compose.get("volumes"), "top-level volumes");
        assertTrue(volumes.containsKey(source), "the data mount's source '" + source
                + "' must be a named volume declared under the top-level 'volumes'");
    }

    @Test
    void oneNvidiaGpuIsReservedAndTheModelRunsOnIt() {
        Map<String, Object> reservations = map(path(service, "deploy", "resources", "reservations"),
                "deploy.resources.reservations");
        boolean gpu = false;
        for (Object entry : list(reservations.get("devices"), "deploy.resources.reservations.devices")) {
            Map<String, Object> device = map(entry, "a reserved device");
            gpu |= "nvidia".equals(device.get("driver"))
                    && list(device.get("capabilities"), "capabilities").contains("gpu")
                    && (Integer.valueOf(1).equals(device.get("count")) || "all".equals(device.get("count")));
        }
        assertTrue(gpu, "service '" + SERVICE + "' must reserve an nvidia device with capabilities [gpu]");
        String device = environment.getOrDefault("MATTING_DEVICE", setting("matting.device"));
        assertTrue(device.startsWith("cuda"), "a GPU is reserved but matting.device is '" + device + "'");
        assertTrue(dockerfile().contains("-Pcuda"), "MATTING_DEVICE=cuda needs the cuda build in the Dockerfile");
        assertTrue(pom().contains("<id>cuda</id>"), "the Dockerfile builds -Pcuda, but pom.xml has no cuda profile");
    }

    @Test
    void theHealthcheckAsksGetHealthOnTheApplicationsPort() {
        Map<String, Object> healthcheck = map(service.get("healthcheck"), "healthcheck");
        Object test = healthcheck.get("test");
        String command = test instanceof List<?> parts ? String.join(" ", parts.stream().map(String::valueOf).toList())
                : String.valueOf(test);
        assertTrue(command.contains("localhost:" + httpPort() + "/health"),
                "the healthcheck must GET /health on port " + httpPort() + ": " + command);
        String routes = readRoutes();
        assertTrue(routes.contains("path: /health"), "no route answers GET /health");
        assertNotNull(service.get("restart"), "service '" + SERVICE + "' needs a restart policy");
    }

    @Test
    void theServiceIsBuiltFromTheDockerfileAndRunsServe() {
        Object build = service.get("build");
        Path dockerfile;
        if (build instanceof String context) {
            dockerfile = Path.of(context).resolve("Dockerfile");
        } else {
            Map<String, Object> spec = map(build, "build");
            dockerfile = Path.of(String.valueOf(spec.getOrDefault("context", ".")))
                    .resolve(String.valueOf(spec.getOrDefault("dockerfile", "Dockerfile")));
        }
        assertTrue(Files.isRegularFile(dockerfile), "the build's Dockerfile " + dockerfile + " does not exist");
        Object command = service.get("command");
        String first = command instanceof List<?> parts ? String.valueOf(parts.get(0)) : String.valueOf(command).split(" ")[0];
        assertEquals("serve", first);
        assertTrue(Main.commandLine().getSubcommands().containsKey(first), "the jar has no '" + first + "' command");
    }

    @Test
    void theDockerfileExposesThePortAndDeclaresTheDataVolume() {
        String dockerfile = dockerfile();
        assertEquals(List.of(configuredPort()), instructionValues(dockerfile, "EXPOSE"),
                "the Dockerfile's EXPOSE must be camel.server.port");
        assertEquals(List.of(environment.get("DATA_DIR")), instructionValues(dockerfile, "VOLUME"),
                "the Dockerfile's VOLUME must be the compose file's DATA_DIR");
        assertEquals(environment.get("DATA_DIR"), dockerfileEnvironment().get("DATA_DIR"),
                "the image's own DATA_DIR must be its VOLUME, so that `docker run` without compose keeps its data there");
        assertTrue(dockerfile.contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/mattepipe.jar\"]"), "ENTRYPOINT runs the jar");
        assertTrue(pom().contains("<finalName>mattepipe</finalName>") && dockerfile.contains("target/mattepipe.jar"),
                "the Dockerfile copies target/mattepipe.jar, which pom.xml's finalName must produce");
        assertTrue(Files.isRegularFile(Path.of("models/fetch-models.sh")) && dockerfile.contains("models/fetch-models.sh"),
                "the image must fetch the models with models/fetch-models.sh");
        assertTrue(dockerfile.lines().anyMatch(line -> line.matches("\\s*USER\\s+\\S+\\s*") && !line.contains("root")),
                "the service must not run as root");
    }

    /** Without a profile, `docker compose up` starts the one service only; the scale-out sketch is opt-in. */
    @Test
    void everyOtherServiceIsBehindAProfile() {
        Map<String, Object> services = map(compose.get("services"), "services");
        assertFalse(service.containsKey("profiles"), "the main service must start without a profile");
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            if (!entry.getKey().equals(SERVICE)) {
                Object profiles = map(entry.getValue(), entry.getKey()).get("profiles");
                assertNotNull(profiles, "service '" + entry.getKey() + "' must be behind a profile (scale-out)");
            }
        }
    }

    /**
     * The profile {@code scale-out} is cluster mode as deployed: a gateway and GPU workers of this
     * image in profile {@code cluster}, on the broker and the database services, sharing one data
     * volume, with credentials that must come from the environment and nothing published but the
     * gateway's API.
     */
    @Test
    void theScaleOutProfileIsAGatewayAndGpuWorkersOnTheBrokerAndTheDatabase() {
        Map<String, Object> services = map(compose.get("services"), "services");
        Map<String, String> keysByVariable = new LinkedHashMap<>();
        for (String key : settings.stringPropertyNames()) {
            keysByVariable.put(variableName(key), key);
        }
        Map<String, String> dataMounts = new LinkedHashMap<>();
        for (String role : List.of("gateway", "worker")) {
            Map<String, Object> node = map(services.get(role), "services." + role);
            assertEquals(List.of("scale-out"), list(node.get("profiles"), role + ".profiles"));
            assertEquals(service.get("image"), node.get("image"), role + " runs the service's image");
            assertEquals(List.of("serve", "--profile", "cluster"), list(node.get("command"), role + ".command"));
            Map<String, String> variables = environment(node.get("environment"));
            List<String> unknown = variables.keySet().stream()
                    .filter(variable -> !keysByVariable.containsKey(variable) && !RUNTIME_VARIABLES.contains(variable)).toList();
            assertTrue(unknown.isEmpty(), role + " sets variables that name no setting: " + unknown);
            assertEquals(role, variables.get("NODE_ROLE"));
            assertTrue(variables.get("DB_URL").startsWith("jdbc:postgresql://database:"), variables.get("DB_URL"));
            assertTrue(variables.get("BROKER_URL").startsWith("tcp://broker:"), variables.get("BROKER_URL"));
            for (String secret : List.of("DB_USER", "DB_PASSWORD", "BROKER_USER", "BROKER_PASSWORD")) {
                assertTrue(variables.get(secret).matches("\\$\\{[A-Z_]+:\\?.+}"),
                        role + "." + secret + " must be required from the environment (${VAR:?message}), not defaulted: "
                                + variables.get(secret));
            }
            for (Object volume : list(node.get("volumes"), role + ".volumes")) {
                String[] mount = mount(volume);
                if (mount[1].equals(variables.get("DATA_DIR"))) {
                    dataMounts.put(role, mount[0]);
                }
            }
            assertTrue(String.valueOf(map(node.get("healthcheck"), role + ".healthcheck").get("test")).contains("/health"));
        }
        assertEquals(2, dataMounts.size(), "gateway and worker mount a volume at DATA_DIR: " + dataMounts);
        assertEquals(dataMounts.get("gateway"), dataMounts.get("worker"), "gateway and workers share the data folder");

        Map<String, Object> worker = map(services.get("worker"), "services.worker");
        assertFalse(worker.containsKey("ports"), "a worker publishes nothing");
        Object replicas = map(worker.get("deploy"), "worker.deploy").get("replicas");
        assertTrue(replicas instanceof Integer n && n >= 2, "N GPU workers (deploy.replicas): " + replicas);
        assertTrue(String.valueOf(path(worker, "deploy", "resources", "reservations")).contains("gpu"), "a worker reserves a GPU");
        assertTrue(map(services.get("gateway"), "services.gateway").containsKey("ports"), "the gateway publishes the API");
        for (String backing : List.of("broker", "database")) {
            Map<String, Object> backingService = map(services.get(backing), "services." + backing);
            assertFalse(backingService.containsKey("ports"), backing + " is reached over the compose network only");
            environment(backingService.get("environment")).forEach((variable, value) -> {
                if (variable.endsWith("PASSWORD") || variable.endsWith("USER")) {
                    assertTrue(value.matches("\\$\\{[A-Z_]+:\\?.+}"), backing + "." + variable + " must be required: " + value);
                }
            });
        }
    }

    /**
     * The broker runs the production configuration ({@code deploy/artemis/broker.xml}, whose
     * settings BrokerTest checks with the broker's own parser), through the image's etc-override/
     * folder; its credentials come from the environment only, never from that file, and anonymous
     * logins stay refused.
     */
    @Test
    void theBrokerRunsTheProductionConfigurationWithCredentialsFromTheEnvironment() {
        Map<String, Object> broker = map(map(compose.get("services"), "services").get("broker"), "services.broker");
        List<String[]> mounts = list(broker.get("volumes"), "broker.volumes").stream().map(ComposeFileTest::mount).toList();
        String[] configuration = mounts.stream().filter(m -> m[1].equals("/var/lib/artemis-instance/etc-override/broker.xml"))
                .findFirst().orElseGet(() -> fail("the broker mounts no broker.xml into the image's etc-override/"));
        Path file = Path.of(configuration[0]).normalize();
        assertEquals(Path.of("deploy/artemis/broker.xml"), file, "the production broker.xml");
        String xml = read(file);
        assertTrue(xml.contains("<address-full-policy>BLOCK</address-full-policy>"), "back-pressure: " + file);
        assertFalse(xml.replaceAll("(?s)<!--.*?-->", "").matches("(?is).*(password|<user>|cluster-user).*"),
                file + " holds no credential");
        Map<String, String> variables = environment(broker.get("environment"));
        assertTrue(variables.keySet().containsAll(List.of("ARTEMIS_USER", "ARTEMIS_PASSWORD")), variables.toString());
        assertFalse("true".equalsIgnoreCase(variables.get("ANONYMOUS_LOGIN")), "anonymous logins are refused");
    }

    /** {@code camel.server.port} → {@code CAMEL_SERVER_PORT}, the rule Camel's property placeholders and Settings follow. */
    static String variableName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Camel Main skips these (MainHelper.loadEnvironmentVariablesAsProperties): they look like Kubernetes service links. */
    static boolean ignoredByCamelMain(String variable) {
        return variable.endsWith("_SERVICE_HOST") || variable.endsWith("_SERVICE_PORT") || variable.endsWith("_PORT")
                || variable.contains("_PORT_");
    }

    /** A setting as the container sees it: the compose file's variable wins over application.properties. */
    private static String setting(String key) {
        String value = environment.get(variableName(key));
        if (value == null) {
            value = settings.getProperty(key);
        }
        assertNotNull(value, "setting " + key + " is set neither in the compose file nor in " + PROPERTIES);
        return value.trim();
    }

    /** camel.server.port as application.properties sets it. */
    private static String configuredPort() {
        assertTrue(settings.containsKey("camel.server.port"), "camel.server.port is no longer in " + PROPERTIES);
        return settings.getProperty("camel.server.port").trim();
    }

    /** The port the service listens on in the container: {@code serve --port N}, a {@code -D} option, else camel.server.port. */
    private static int httpPort() {
        Object command = service.get("command");
        List<String> args = command instanceof List<?> parts ? parts.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(command).trim().split("\\s+"));
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--port") && i + 1 < args.size()) {
                return Integer.parseInt(args.get(i + 1));
            } else if (args.get(i).startsWith("--port=")) {
                return Integer.parseInt(args.get(i).substring("--port=".length()));
            }
        }
        for (String options : new String[] {environment.get("JAVA_TOOL_OPTIONS"), environment.get("JDK_JAVA_OPTIONS")}) {
            Matcher property = Pattern.compile("-Dcamel\\.server\\.port=(\\d+)").matcher(options == null ? "" : options);
            if (property.find()) {
                return Integer.parseInt(property.group(1));
            }
        }
        return Integer.parseInt(configuredPort());
    }

    /** {@code "8080:8080"}, {@code "127.0.0.1:8080:8080/tcp"}, {@code 8080}, or the long form with {@code target}. */
    private static int containerPort(Object mapping) {
        if (mapping instanceof Map<?, ?> longForm) {
            return Integer.parseInt(String.valueOf(longForm.get("target")));
        }
        String text = String.valueOf(mapping).replaceAll("/(tcp|udp)$", "");
        return Integer.parseInt(text.substring(text.lastIndexOf(':') + 1));
    }

    /** {source, target} of {@code "name:/path[:ro]"} or the long form. */
    private static String[] mount(Object volume) {
        if (volume instanceof Map<?, ?> longForm) {
            return new String[] {String.valueOf(longForm.get("source")), String.valueOf(longForm.get("target"))};
        }
        String[] parts = String.valueOf(volume).split(":");
        if (parts.length < 2) {
            fail("volume '" + volume + "' has no source");
        }
        return new String[] {parts[0], parts[1]};
    }

    /** The list form ({@code - KEY=value}) or the map form ({@code KEY: value}) of {@code environment}. */
    private static Map<String, String> environment(Object value) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> byName) {
            byName.forEach((name, v) -> variables.put(String.valueOf(name), v == null ? null : String.valueOf(v)));
        } else if (value instanceof List<?> lines) {
            for (Object line : lines) {
                String text = String.valueOf(line);
                int eq = text.indexOf('=');
                variables.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? null : text.substring(eq + 1));
            }
        }
        return variables;
    }

    /** The arguments of every {@code NAME} instruction, in exec (JSON) or shell form. */
    private static List<String> instructionValues(String dockerfile, String name) {
        List<String> values = new ArrayList<>();
        Matcher m = Pattern.compile("(?im)^\\s*" + name + "\\s+(.+)$").matcher(dockerfile);
        while (m.find()) {
            String args = m.group(1).trim();
            if (args.startsWith("[")) {
                for (String part : args.substring(1, args.lastIndexOf(']')).split(",")) {
                    values.add(part.trim().replaceAll("^\"|\"$", ""));
                }
            } else {
                for (String part : args.split("\\s+")) {
                    values.add(part.replaceAll("/tcp$", ""));
                }
            }
        }
        return values;
    }

    /** The Dockerfile's {@code ENV} variables ({@code ENV A=1 B=2}, continued lines included). */
    private static Map<String, String> dockerfileEnvironment() {
        Map<String, String> variables = new LinkedHashMap<>();
        String joined = dockerfile().replaceAll("\\\\\\s*\n\\s*", " ");
        Matcher line = Pattern.compile("(?im)^\\s*ENV\\s+(.+)$").matcher(joined);
        while (line.find()) {
            Matcher pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher(line.group(1));
            while (pair.find()) {
                variables.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
            }
        }
        return variables;
    }

    private static String dockerfile() {
        return read(Path.of("Dockerfile"));
    }

    private static String pom() {
        return read(POM);
    }

    private static String readRoutes() {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(Path.of("src/main/resources/routes"))) {
            files.filter(f -> f.toString().endsWith(".yaml")).sorted().forEach(f -> all.append(read(f)).append('\n'));
        } catch (IOException e) {
            fail(e);
        }
        return all.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return fail("cannot read " + file.toAbsolutePath() + ": " + e);
        }
    }

    private static Object path(Map<String, Object> root, String... keys) {
        Object node = root;
        for (String key : keys) {
            node = map(node, key).get(key);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        if (!(node instanceof Map<?, ?>)) {
            fail(what + " is missing or not a mapping: " + node);
        }
        return (Map<String, Object>) node;
    }

    private static List<?> list(Object node, String what) {
        if (!(node instanceof List<?> items)) {
            return fail(what + " is missing or not a list: " + node);
        }
        return items;
    }
}
