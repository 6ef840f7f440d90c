package io.mattepipe.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Callbacks go to public addresses only, unless callback.allow-private says otherwise. */
class CallbackAddressesTest {

    private final CallbackAddresses publicOnly = new CallbackAddresses(false);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/hook", "http://localhost:8080/hook", "http://127.1.2.3/",
            "http://169.254.169.254/latest/meta-data/", "http://10.0.0.5/", "http://172.16.9.9/", "http://192.168.1.1/",
            "http://[::1]/", "http://[fd00::1]/", "http://[fe80::1]/", "http://0.0.0.0/", "http://100.64.0.1/",
            "http://[::ffff:127.0.0.1]/", "http://2130706433/", "http://0x7f000001/", "https://224.0.0.1/"})
    void loopbackLinkLocalAndPrivateAddressesAreRefusedByDefault(String url) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> publicOnly.check(url));
        assertTrue(refused.getMessage().contains("callback.allow-private") || refused.getMessage().contains("does not resolve"),
                refused.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://8.8.8.8/", "file:///etc/passwd", "http:///nohost", "http://user:pw@8.8.8.8/", "not a url"})
    void onlyPlainHttpUrlsAreTaken(String url) {
        assertThrows(IllegalArgumentException.class, () -> publicOnly.check(url));
    }

    @Test
    void publicAddressesAreTakenAndTheSettingAllowsPrivateOnes() {
        assertEquals("http://8.8.8.8/hook?x=1", publicOnly.check("http://8.8.8.8/hook?x=1"));
        assertEquals("http://127.0.0.1:9/hook", new CallbackAddresses(true).check("http://127.0.0.1:9/hook"));
        assertEquals("http://169.254.169.254/", new CallbackAddresses(true).check("http://169.254.169.254/"));
    }
}
