package io.mattepipe.app;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker as deployed ({@code deploy/artemis/broker.xml}, read and applied by an embedded
 * Artemis) and the application's client of it ({@link Broker}): back-pressure on the stage queues,
 * dead letters that never block, redelivery that outlasts the application's own retries, and
 * consumers that take one message at a time.
 */
class BrokerTest {

    @TempDir
    Path dir;

    @Test
    void stageQueuesAreBoundedAndBlockAndTheBrokerGivesUpOnlyAfterTheApplication() throws Exception {
        int maxAttempts = Integer.parseInt(Settings.load().get("retry.max-attempts"));
        try (TestBroker broker = TestBroker.start(dir)) {
            for (String queue : stageQueues()) {
                AddressSettings settings = broker.settingsOf(queue);
                assertEquals(AddressFullMessagePolicy.BLOCK, settings.getAddressFullMessagePolicy(), queue + ": a full queue blocks the split");
                assertTrue(settings.getMaxSizeMessages() > 0 && settings.getMaxSizeMessages() <= 100_000,
                        queue + ": a bound well under a 100,000-image split: " + settings.getMaxSizeMessages());
                assertTrue(settings.getMaxSizeBytes() > 0, queue + ": a bound in bytes too");
                assertTrue(settings.getMaxDeliveryAttempts() > maxAttempts, queue + ": the broker redelivers more often ("
                        + settings.getMaxDeliveryAttempts() + ") than retry.max-attempts (" + maxAttempts
                        + "), so that the claim, not the broker, ends a task whose workers keep dying");
                assertTrue(settings.getRedeliveryDelay() > 0, queue + ": a redelivery waits (a database outage)");
                assertEquals("DLQ", String.valueOf(settings.getDeadLetterAddress()), queue);
            }
            for (String sink : List.of("mattepipe.dead-letter", "DLQ")) {
                assertEquals(AddressFullMessagePolicy.PAGE, broker.settingsOf(sink).getAddressFullMessagePolicy(),
                        sink + " is consumed by nobody: it must never block the send of a permanently failed task");
            }
        }
    }

    /**
     * A worker busy with one message must leave the rest to the others: with the client's default
     * consumer window it would buffer a megabyte of them and starve an idle worker.
     */
    @Test
    void aBusyConsumerHoldsOneMessageAndAnIdleOneTakesTheRest() throws Exception {
        try (TestBroker server = TestBroker.start(dir); Broker broker = Broker.connect(server.url, "", "")) {
            Connection connection = broker.connectionFactory().createConnection();
            try {
                connection.start();
                Session sender = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Queue queue = sender.createQueue("mattepipe.matting");
                MessageProducer producer = sender.createProducer(queue);
                for (int i = 0; i < 10; i++) {
                    producer.send(sender.createTextMessage("task " + i));
                }
                Session busy = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer busyConsumer = busy.createConsumer(queue);
                assertNotNull(busyConsumer.receive(30_000), "the busy worker got its message");
                Session idle = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer idleConsumer = idle.createConsumer(queue);
                for (int i = 0; i < 9; i++) {
                    Message next = idleConsumer.receive(30_000);
                    assertNotNull(next, "the idle worker got " + i + " of the 9 others: the busy one holds the rest");
                }
                idle.commit();
                busy.rollback();
            } finally {
                connection.close();
            }
        }
    }

    /** The broker queues of the profile cluster's {@code queue.*} settings. */
    private static List<String> stageQueues() throws IOException {
        Properties cluster = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application-cluster.properties"))) {
            cluster.load(in);
        }
        List<String> queues = List.of("queue.split", "queue.matting", "queue.compare").stream()
                .map(key -> cluster.getProperty(key).replaceFirst("^jms:queue:", "").replaceFirst("\\?.*", "")).toList();
        assertEquals(List.of("mattepipe.split", "mattepipe.matting", "mattepipe.compare"), queues);
        return queues;
    }
}
