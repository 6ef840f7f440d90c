package io.mattepipe.web;

import io.mattepipe.app.RunningApp;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page's sign-in in a real browser: through a real OpenID Connect issuer (mock-oauth2-server,
 * authorization code with PKCE), and with an API key typed in. Skipped, with the reason printed,
 * where Chromium is not installed.
 */
class SignInBrowserTest {

    @TempDir
    Path temp;

    private MockOAuth2Server issuer;
    private RunningApp app;
    private HeadlessChromium browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
        if (issuer != null) {
            issuer.shutdown();
        }
    }

    @Test
    void signsInThroughTheIssuerShowsWhoAndSignsOut() throws Exception {
        issuer = new MockOAuth2Server();
        issuer.start();
        Map<String, String> settings = new HashMap<>();
        settings.put("inbox.enabled", "false");
        settings.put("auth.oidc.issuer", issuer.issuerUrl("default").toString());
        settings.put("auth.oidc.client-id", "mattepipe-page");
        app = RunningApp.start(temp.resolve("data"), settings);
        issuer.enqueueCallback(new DefaultOAuth2TokenCallback("default", "carla", "JWT", List.of("mattepipe-page"), Map.of(), 3600));
        browser = HeadlessChromium.start(temp, new Dimension(1280, 900));
        WebDriver driver = browser.driver;
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));

        driver.get("http://localhost:" + app.port + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=signin-panel]")));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-testid=signin-sso]"))).click();
        String who = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=who]"))).getText();
        assertTrue(who.contains("signed in as carla"), who);
        assertTrue(driver.findElement(By.id("main-layout")).isDisplayed(), "the page shows the jobs once signed in");

        driver.findElement(By.cssSelector("[data-testid=sign-out]")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=signin-panel]")));
    }

    @Test
    void signsInWithAKeyTypedIn() throws Exception {
        Path data = temp.resolve("data");
        String key = io.mattepipe.app.KeysForTests.create(data, "dana");
        app = RunningApp.start(data, Map.of("inbox.enabled", "false"));
        browser = HeadlessChromium.start(temp, new Dimension(1280, 900));
        WebDriver driver = browser.driver;
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));

        driver.get("http://localhost:" + app.port + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=signin-key]"))).sendKeys("mp_wrong");
        driver.findElement(By.cssSelector("[data-testid=signin-submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("signin-message"), "not valid"));
        driver.findElement(By.cssSelector("[data-testid=signin-key]")).clear();
        driver.findElement(By.cssSelector("[data-testid=signin-key]")).sendKeys(key);
        driver.findElement(By.cssSelector("[data-testid=signin-submit]")).click();
        String who = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-testid=who]"))).getText();
        assertTrue(who.contains("signed in as dana"), who);
        wait.until(ExpectedConditions.attributeToBe(By.id("health"), "data-state", "up"));
    }
}
