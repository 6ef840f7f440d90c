package io.mattepipe.app;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

import java.nio.file.Path;

/**
 * An ActiveMQ Artemis broker in the test's JVM, on a free port, persistent (its journal in a
 * folder of the test's), with the production broker's address settings
 * ({@code deploy/artemis/broker.xml}): a full address blocks its producers, a message redelivered
 * too often goes to the DLQ. It can be stopped and started again on the same journal, as a broker
 * restart.
 */
final class TestBroker implements AutoCloseable {

    static final Path PRODUCTION = Path.of("deploy", "artemis", "broker.xml");

    final String url;
    private final Configuration configuration;
    private EmbeddedActiveMQ server;

    private TestBroker(String url, Configuration configuration) {
        this.url = url;
        this.configuration = configuration;
    }

    static TestBroker start(Path dir) throws Exception {
        int port = RunningApp.freePort();
        Configuration configuration = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDatasync(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .setSecurityEnabled(false)
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        // the production broker's address settings and addresses, as deployed
        Configuration production = production();
        configuration.setAddressSettings(production.getAddressSettings());
        configuration.setAddressConfigurations(production.getAddressConfigurations());
        // and its journal's write batches: they pace every persistent send (broker.xml says why)
        configuration.setJournalBufferTimeout_NIO(production.getJournalBufferTimeout_AIO());
        TestBroker broker = new TestBroker("tcp://127.0.0.1:" + port, configuration);
        broker.startServer();
        return broker;
    }

    /** {@code deploy/artemis/broker.xml}, read by the broker's own parser. */
    static Configuration production() throws Exception {
        FileConfiguration file = new FileConfiguration();
        FileDeploymentManager reader = new FileDeploymentManager(PRODUCTION.toUri().toString());
        reader.addDeployable(file);
        reader.readConfiguration();
        return file;
    }

    /** The settings the broker applies to {@code address}: every matching address setting merged, the most specific first. */
    AddressSettings settingsOf(String address) {
        return server.getActiveMQServer().getAddressSettingsRepository().getMatch(address);
    }

    void startServer() throws Exception {
        server = new EmbeddedActiveMQ();
        server.setConfiguration(configuration);
        server.start();
    }

    void stopServer() throws Exception {
        server.stop();
    }

    /** Messages in the queue, delivered-but-unacknowledged ones included. */
    long depth(String queue) {
        var found = server.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return found == null ? 0 : found.getMessageCount();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
