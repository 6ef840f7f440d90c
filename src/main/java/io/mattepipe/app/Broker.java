package io.mattepipe.app;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.messaginghub.pooled.jms.JmsPoolConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ActiveMQ Artemis broker of cluster mode: the pooled JMS connections the queues use (without
 * a pool camel-jms opens a connection per send), and a core-protocol session of its own for what
 * JMS cannot ask: a queue's depth, and whether the broker answers at all.
 *
 * <p>Consumers take one message at a time ({@code consumerWindowSize=0}): a worker that buffered
 * messages would hold them from the other workers, and lose none of them only by luck. The
 * connections retry for ever, so a broker restart is ridden out without a restart of this node.
 */
public final class Broker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final String url;
    private final String user;
    private final String password;
    private final JmsPoolConnectionFactory pool;
    private ServerLocator locator;
    private ClientSessionFactory sessions;
    private ClientSession session;

    private Broker(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        ActiveMQConnectionFactory artemis = new ActiveMQConnectionFactory(url, user, password);
        artemis.setConsumerWindowSize(0);
        artemis.setReconnectAttempts(-1);
        artemis.setRetryInterval(500);
        artemis.setRetryIntervalMultiplier(2.0);
        artemis.setMaxRetryInterval(5_000);
        pool = new JmsPoolConnectionFactory();
        pool.setConnectionFactory(artemis);
        pool.setMaxConnections(2);
    }

    /** @param url {@code tcp://HOST:61616}, as Artemis client URLs go */
    public static Broker connect(String url, String user, String password) {
        return new Broker(url, blankToNull(user), blankToNull(password));
    }

    public ConnectionFactory connectionFactory() {
        return pool;
    }

    /** Messages in the queue (delivered but unacknowledged ones included); -1 while the broker is unreachable. */
    public long depth(String queue) {
        return queue(queue).depth();
    }

    /**
     * A queue as the broker sees it: its messages (delivered but unacknowledged ones included) and
     * the consumers attached to it, from every node; both -1 while the broker is unreachable.
     */
    public record QueueFigures(long depth, int consumers) {
    }

    public synchronized QueueFigures queue(String queue) {
        try {
            ClientSession.QueueQuery query = session().queueQuery(SimpleString.of(queue));
            return query.isExists() ? new QueueFigures(query.getMessageCount(), query.getConsumerCount()) : new QueueFigures(0, 0);
        } catch (Exception e) {
            LOG.debug("queue {} unknown: {}", queue, e.getMessage());
            closeSession();
            return new QueueFigures(-1, -1);
        }
    }

    /**
     * Null while the broker answers; else why not (refused connection, refused login...), with its
     * address but not the URL's parameters, which may carry a trust store's password.
     */
    public synchronized String unreachable() {
        try {
            session().queueQuery(SimpleString.of("mattepipe.health"));
            return null;
        } catch (Exception e) {
            LOG.warn("broker {} unreachable: {}", url, e.getMessage());
            closeSession();
            return url.replaceFirst("\\?.*", "") + ": " + e.getMessage();
        }
    }

    private ClientSession session() throws Exception {
        if (session == null || session.isClosed()) {
            if (locator == null) {
                locator = ActiveMQClient.createServerLocator(url);
                // a question, not a connection to keep: fail fast and ask again next time
                locator.setInitialConnectAttempts(1);
                locator.setReconnectAttempts(0);
                locator.setCallTimeout(2_000);
            }
            sessions = locator.createSessionFactory();
            session = sessions.createSession(user, password, false, true, true, false, 0);
        }
        return session;
    }

    private void closeSession() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (ActiveMQException e) {
            LOG.debug("closing a broken broker session: {}", e.getMessage());
        }
        if (sessions != null) {
            sessions.close();
        }
        session = null;
        sessions = null;
    }

    @Override
    public synchronized void close() {
        closeSession();
        if (locator != null) {
            locator.close();
        }
        pool.stop();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
