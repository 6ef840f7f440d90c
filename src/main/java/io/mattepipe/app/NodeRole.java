package io.mattepipe.app;

import java.util.Locale;

/**
 * What a node runs in cluster mode ({@code node.role}, {@code NODE_ROLE}), by the route files it
 * loads. Every role answers {@code /health} and {@code /metrics} ({@code ops.camel.yaml}), marks
 * tasks permanently failed and finishes jobs ({@code results.camel.yaml}), and passes on the work
 * of a dead worker that a redelivered message finds ({@code redelivery.camel.yaml}).
 */
public enum NodeRole {
    /** One node does everything: the single-node default. */
    ALL(""),
    /** API, page, inbox, split, recovery: no model is loaded. */
    GATEWAY("**/matting.camel.yaml,**/compare.camel.yaml"),
    /** The matting and comparison consumers: the GPU hosts. */
    WORKER("**/api.camel.yaml,**/web.camel.yaml,**/intake.camel.yaml,**/split.camel.yaml,**/recovery.camel.yaml");

    private final String excludedRoutes;

    NodeRole(String excludedRoutes) {
        this.excludedRoutes = excludedRoutes;
    }

    public static NodeRole of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("NODE_ROLE must be all, gateway or worker, got '" + name + "'", e);
        }
    }

    /** The route files this role leaves out, as a {@code camel.main.routes-exclude-pattern}. */
    public String excludedRoutes() {
        return excludedRoutes;
    }

    public boolean runsMatting() {
        return this != GATEWAY;
    }
}
