package io.mattepipe.web;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless Chromium through chromedriver for the browser tests, with an explicit driver
 * and browser binary (Selenium Manager has nothing to look up or download). A test is skipped, with
 * the reason printed, where they are not installed.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    final WebDriver driver;
    private final ChromeDriverService service;

    private HeadlessChromium(ChromeDriverService service, WebDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** A browser with a fresh profile under {@code temp}, at {@code size}, asking for English pages. */
    static HeadlessChromium start(Path temp, Dimension size) throws IOException {
        return start(temp, size, "en-US");
    }

    /** The same, asking for pages in {@code language} (its {@code Accept-Language} and its UI language). */
    static HeadlessChromium start(Path temp, Dimension size, String language) throws IOException {
        for (Path executable : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(executable)) {
                String reason = "skipped: " + executable + " is absent (install Debian's chromium and chromium-driver)";
                System.out.println(reason);
                Assumptions.abort(reason);
            }
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(temp.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--window-size=" + size.getWidth() + "," + size.getHeight(),
                "--user-data-dir=" + Files.createDirectory(temp.resolve("chromium-profile")));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        options.addArguments("--lang=" + language);
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
        WebDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(size);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return new HeadlessChromium(service, driver);
    }

    @Override
    public void close() {
        driver.quit();
        service.stop();
    }
}
