package io.mattepipe.app;

import org.apache.camel.main.Main;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The Camel Main application: the YAML routes under {@code routes/} and the beans they call. */
public final class MattepipeApplication {

    private static final String EXCLUDED_ROUTES = "camel.main.routes-exclude-pattern";
    private static final String PROFILE = "camel.main.profile";

    private MattepipeApplication() {
    }

    /**
     * A configured, not yet started application: the routes of its {@code node.role}.
     *
     * @param overrides settings that win over {@code application.properties} and the environment
     */
    public static Main create(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(overrides);
        // the role picks route files, which Camel Main reads before any bean exists
        NodeRole role = NodeRole.of(settings.containsKey("node.role") ? settings.get("node.role") : Settings.load().get("node.role"));
        String excluded = Stream.of(settings.get(EXCLUDED_ROUTES), role.excludedRoutes())
                .filter(pattern -> pattern != null && !pattern.isBlank()).collect(Collectors.joining(","));
        if (!excluded.isEmpty()) {
            settings.put(EXCLUDED_ROUTES, excluded);
        }
        ServerTls.enableIfConfigured(settings);
        Main main = new Main();
        main.configure().addConfiguration(new PipelineConfiguration());
        // Camel Main picks the profile's properties file before it reads override properties
        if (settings.containsKey(PROFILE)) {
            main.configure().setProfile(settings.get(PROFILE));
        }
        settings.forEach(main::addOverrideProperty);
        return main;
    }
}
