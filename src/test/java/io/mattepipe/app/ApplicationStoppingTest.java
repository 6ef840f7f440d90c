package io.mattepipe.app;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.service.ServiceSupport;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The split's "stop between two images" asks this; a wrong answer either way loses the stop or the split. */
class ApplicationStoppingTest {

    @Test
    void isFalseWhileTheApplicationRunsAndTrueWhileItStops() throws Exception {
        ApplicationStopping stopping = new ApplicationStopping();
        AtomicReference<Boolean> duringStop = new AtomicReference<>();
        try (CamelContext context = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(context);
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    duringStop.set(stopping.matches(exchange));
                }
            });
            context.start();
            assertFalse(stopping.matches(exchange));
            context.stop();
        }
        assertEquals(Boolean.TRUE, duringStop.get());
    }
}
