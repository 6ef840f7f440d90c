package io.mattepipe.app;

import org.apache.camel.main.Main;

import java.util.Map;

/** The Camel Main application: the YAML routes under {@code routes/} and the beans they call. */
public final class MattepipeApplication {

    private MattepipeApplication() {
    }

    /**
     * A configured, not yet started application.
     *
     * @param overrides settings that win over {@code application.properties} and the environment
     */
    public static Main create(Map<String, String> overrides) {
        Main main = new Main();
        main.configure().addConfiguration(new PipelineConfiguration());
        overrides.forEach(main::addOverrideProperty);
        return main;
    }
}
