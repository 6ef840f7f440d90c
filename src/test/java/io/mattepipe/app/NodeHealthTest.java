package io.mattepipe.app;

import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A node that cannot reach its database says DOWN, which, and why. */
class NodeHealthTest {

    @Test
    void anUnreachableDatabaseIsDownWithItsReason() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (BasicDataSource database = new BasicDataSource()) {
            database.setUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/mattepipe");
            NodeHealth health = new NodeHealth(database, null, "worker", Map.of());
            Map<String, Object> check = health.check();
            assertEquals("DOWN", check.get("status"), check.toString());
            assertEquals("DOWN", check.get("database"), check.toString());
            assertEquals(503, health.httpStatus(check));
            String reason = String.valueOf(check.get("reason"));
            assertTrue(reason.startsWith("database unreachable: ") && reason.contains(String.valueOf(closedPort)), reason);
        }
    }
}
