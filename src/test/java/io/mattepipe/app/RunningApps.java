package io.mattepipe.app;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts {@link RunningApp}s for a test and stops every one it started after the test, also one a
 * test restarts midway: {@code @RegisterExtension final RunningApps apps = new RunningApps();}.
 */
public final class RunningApps implements AfterEachCallback {

    private final List<RunningApp> started = new ArrayList<>();

    public RunningApp start(Path dataDir, Map<String, String> extra) throws Exception {
        RunningApp app = RunningApp.start(dataDir, extra);
        started.add(app);
        return app;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        started.forEach(RunningApp::close);
        started.clear();
    }
}
