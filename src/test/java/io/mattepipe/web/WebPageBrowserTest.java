package io.mattepipe.web;

import io.mattepipe.app.JobViews;
import io.mattepipe.app.RunningApp;
import io.mattepipe.app.TestArchives;
import io.mattepipe.app.WebAssets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web page end to end in a real browser (issue 6): headless Chromium (Debian's {@code chromium}
 * and {@code chromium-driver}) against the real application, started in this JVM with the tiny
 * model. Uploads a zip through the page's file input, watches the job reach 100 %, opens the
 * gallery and the before/after viewer, moves the slider, switches the background and downloads the
 * results zip. Screenshots go to {@code target/browser-test/} (kept by CI). Skipped, with the reason
 * printed, where Chromium or its driver is not installed.
 */
class WebPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path ARTEFACTS = Path.of("target", "browser-test");
    private static final List<String> NAMES = List.of("red-1", "red-2", "red-3");
    /** Selenium warns that it has no DevTools bindings for this Chromium; the test does not use them. */
    private static final java.util.logging.Logger CDP_LOG = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    @TempDir
    Path temp;

    private RunningApp app;
    private ChromeDriverService service;
    private WebDriver driver;
    private String base;

    @BeforeEach
    void startApp() throws Exception {
        app = RunningApp.start(temp.resolve("data"), Map.of("inbox.enabled", "false"));
        base = "http://localhost:" + app.port;
    }

    /** Headless Chromium through chromedriver; the test is skipped, with the reason printed, without them. */
    private void startBrowser() throws IOException {
        for (Path executable : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(executable)) {
                String reason = "skipped: " + executable + " is absent (install Debian's chromium and chromium-driver)";
                System.out.println(reason);
                Assumptions.abort(reason);
            }
        }
        // an explicit driver and browser binary: Selenium Manager has nothing to look up or download
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(temp.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1100", "--user-data-dir=" + Files.createDirectory(temp.resolve("chromium-profile")));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1100));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (app != null) {
            app.close();
        }
    }

    /** Without a browser: the page and its files are served; nothing outside web/ is. */
    @Test
    void servesThePageAndNothingElse() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = get(http, "/");
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertTrue(page.body().contains("<script type=\"module\" src=\"/web/app.js\">"), "the page loads its module");
        assertEquals("text/javascript; charset=utf-8", get(http, "/web/app.js").headers().firstValue("Content-Type").orElse(""));
        assertEquals("text/css; charset=utf-8", get(http, "/web/style.css").headers().firstValue("Content-Type").orElse(""));
        for (String path : List.of("/web/missing.js", "/web/", "/web/..%2Fapplication.properties",
                "/web/%2e%2e/application.properties", "/web/..%2F..%2Fpom.xml", "/web/routes/api.camel.yaml")) {
            HttpResponse<String> refused = get(http, path);
            assertEquals(404, refused.statusCode(), path);
            String body = refused.body();
            assertTrue(!body.contains("camel.main.name") && !body.contains("<project") && !body.contains("- rest:"), path + ": " + body);
        }
        HttpResponse<String> missing = get(http, "/web/missing.js");
        assertEquals("application/json", missing.headers().firstValue("Content-Type").orElse(""));
        assertTrue(missing.body().contains("\"error\""), missing.body());

        WebAssets assets = new WebAssets();
        assertTrue(assets.load("index.html").length > 0);
        for (String path : List.of("../application.properties", "/etc/passwd", "", ".", "./index.html", "x/../index.html",
                "..", "web/index.html", "index.html/", "routes\\api.camel.yaml", "noextension")) {
            assertThrows(JobViews.NotFoundException.class, () -> assets.load(path), path);
        }
        assertEquals("index.html", assets.assetOf("/"));
        assertEquals("app.js", assets.assetOf("/web/app.js"));
        assertThrows(JobViews.NotFoundException.class, () -> assets.assetOf("/elsewhere/app.js"));
    }

    private HttpResponse<String> get(HttpClient http, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void uploadWatchInspectAndDownload() throws Exception {
        startBrowser();
        Path zip = temp.resolve("squares.zip");
        writeZip(zip);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        WebDriverWait slow = new WebDriverWait(driver, Duration.ofSeconds(180));
        JavascriptExecutor js = (JavascriptExecutor) driver;

        driver.get(base + "/");
        wait.until(d -> "true".equals(d.findElement(By.tagName("html")).getAttribute("data-ready")));
        assertEquals("mattepipe · background removal", driver.getTitle());
        wait.until(d -> "up".equals(d.findElement(By.id("health")).getAttribute("data-state")));

        // upload through the page's file input
        driver.findElement(By.id("file-input")).sendKeys(zip.toAbsolutePath().toString());
        wait.until(d -> d.findElement(By.id("file-summary")).getText().contains("squares.zip"));
        WebElement upload = wait.until(ExpectedConditions.elementToBeClickable(By.id("upload-button")));
        upload.click();
        wait.until(d -> d.findElement(By.id("upload-message")).getText().contains("created"));
        assertTrue(driver.findElement(By.id("upload-progress-text")).getText().contains("sent"),
                "the upload progress says what was sent");

        // the live list: the job reaches 100 % and completed, without a reload
        By row = By.cssSelector("[data-testid=job-row]");
        WebElement jobRow = slow.until(d -> {
            List<WebElement> rows = d.findElements(row);
            return rows.size() == 1 && Set.of("completed", "completed_with_errors", "cancelled")
                    .contains(rows.get(0).getAttribute("data-state")) ? rows.get(0) : null;
        });
        assertEquals("completed", jobRow.getAttribute("data-state"), "the job ended: " + jobRow.getText());
        wait.until(d -> "100 %".equals(jobRow.findElement(By.cssSelector("[data-testid=job-progress-text]")).getText()));
        String jobId = jobRow.getAttribute("data-job-id");
        assertTrue(jobRow.findElement(By.cssSelector("[data-testid=job-counts]")).getText().contains("completed 3"),
                "the row counts tasks per state: " + jobRow.getText());
        assertTrue(jobRow.getText().contains("squares.zip"), jobRow.getText());

        // the job view and its gallery
        jobRow.click();
        WebElement view = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-view")));
        assertEquals(jobId, view.getAttribute("data-job-id"));
        wait.until(d -> "100 %".equals(d.findElement(By.id("job-progress-text")).getText()));
        By tiles = By.cssSelector("[data-testid=gallery-item][data-state=completed]");
        wait.until(d -> d.findElements(tiles).size() == 3);
        wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                "return [...document.querySelectorAll('#gallery img')].every(i => i.complete && i.naturalWidth > 0)"
                        + " && document.querySelectorAll('#gallery img').length === 3")));
        assertTrue(driver.findElement(By.id("gallery")).getText().contains("red-1.png"));
        assertTrue(driver.findElement(By.id("failed-panel")).getAttribute("hidden") != null, "no failed tasks to show");
        assertEquals(base + "/jobs/" + jobId + "/report", driver.findElement(By.id("report-link")).getAttribute("href"));
        js.executeScript("document.getElementById('job-view').scrollIntoView({block: 'start'})");
        saveScreenshot("gallery.png");

        // the before/after viewer: the original under the cutout, clipped at the slider
        driver.findElements(tiles).get(0).click();
        WebElement viewer = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("viewer")));
        wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                "return ['compare-original', 'compare-cutout'].every(id => {"
                        + " const i = document.getElementById(id); return i.complete && i.naturalWidth > 0; })")));
        assertTrue(viewer.findElement(By.id("viewer-title")).getText().contains("red-1.png"));
        assertTrue(driver.findElement(By.id("compare-figures")).getText().contains("Foreground"),
                "the viewer shows the quality figures");
        WebElement after = driver.findElement(By.id("compare-after"));
        WebElement slider = driver.findElement(By.id("compare-slider"));
        String clipBefore = clipOf(js);
        assertTrue(clipBefore.contains("50%"), clipBefore);

        slider.sendKeys(Keys.HOME);
        wait.until(d -> clipOf(js).contains(" 0%"));
        assertEquals("0", slider.getAttribute("value"));
        slider.sendKeys(Keys.END);
        wait.until(d -> clipOf(js).contains("100%"));
        js.executeScript("const s = arguments[0]; s.value = '30'; s.dispatchEvent(new Event('input', {bubbles: true}));", slider);
        wait.until(d -> clipOf(js).contains("30%"));
        assertNotEquals(clipBefore, clipOf(js));

        // dragging on the picture moves the split as well: press at a quarter of the width
        WebElement stage = driver.findElement(By.id("compare-stage"));
        int width = stage.getSize().getWidth();
        new Actions(driver).moveToElement(stage, -width / 4, 0).click().perform();
        double split = Double.parseDouble(slider.getAttribute("value"));
        assertTrue(split > 18 && split < 32, "a click at a quarter of the width puts the split there: " + split);

        // backgrounds behind the cutout
        driver.findElement(By.cssSelector("[data-testid=bg-black]")).click();
        wait.until(d -> "black".equals(after.getAttribute("data-bg")));
        assertEquals("rgba(0, 0, 0, 1)", after.getCssValue("background-color"));
        driver.findElement(By.cssSelector("[data-testid=bg-white]")).click();
        wait.until(d -> "rgba(255, 255, 255, 1)".equals(after.getCssValue("background-color")));
        js.executeScript("const c = document.getElementById('bg-color'); c.value = '#ff8800';"
                + " c.dispatchEvent(new Event('input', {bubbles: true}));");
        wait.until(d -> "custom".equals(after.getAttribute("data-bg")));
        assertEquals("rgba(255, 136, 0, 1)", after.getCssValue("background-color"));
        driver.findElement(By.cssSelector("[data-testid=bg-checker]")).click();
        wait.until(d -> "checker".equals(after.getAttribute("data-bg")));
        assertTrue(after.getCssValue("background-image").contains("conic-gradient"), after.getCssValue("background-image"));

        js.executeScript("const s = arguments[0]; s.value = '50'; s.dispatchEvent(new Event('input', {bubbles: true}));", slider);
        wait.until(d -> clipOf(js).contains("50%"));
        saveScreenshot("screenshot.png");

        // next image, then close
        driver.findElement(By.id("viewer-next")).click();
        wait.until(d -> d.findElement(By.id("viewer-title")).getText().contains("red-2.png"));
        driver.findElement(By.id("viewer-close")).click();
        wait.until(ExpectedConditions.invisibilityOf(viewer));

        // the Download button: its link is the finished job's zip
        WebElement download = driver.findElement(By.id("download-link"));
        String href = download.getAttribute("href");
        assertEquals(base + "/download/" + jobId, href);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<byte[]> zipReply = http.send(HttpRequest.newBuilder(URI.create(href)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, zipReply.statusCode());
        Set<String> expected = new TreeSet<>(Set.of("report.json", "report.csv", "report.html"));
        for (String name : NAMES) {
            expected.add(name + ".png");
            expected.add(name + "_compare.jpg");
        }
        assertEquals(expected, new TreeSet<>(TestArchives.unzip(zipReply.body()).keySet()));
        HttpResponse<String> report = http.send(HttpRequest.newBuilder(
                URI.create(driver.findElement(By.id("report-link")).getAttribute("href"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, report.statusCode());

        // several files at once go as one multipart upload; a file that is no image fails alone, with
        // its reason, and the Retry button sends it round again
        Path good = Files.write(temp.resolve("good.png"), TestArchives.image("png", 64, 48));
        Path bad = Files.writeString(temp.resolve("broken.png"), "not an image");
        driver.findElement(By.id("file-input")).sendKeys(good.toAbsolutePath() + "\n" + bad.toAbsolutePath());
        wait.until(d -> d.findElement(By.id("file-summary")).getText().startsWith("2 files"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("upload-button"))).click();
        String secondJob = slow.until(d -> {
            String id = d.findElement(By.id("job-view")).getAttribute("data-job-id");
            return id != null && !id.equals(jobId) && "completed_with_errors".equals(d.findElement(By.id("job-view")).getAttribute("data-state"))
                    ? id : null;
        });
        wait.until(d -> d.findElements(row).size() == 2);
        WebElement failedPanel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("failed-panel")));
        WebElement failedItem = wait.until(d -> failedPanel.findElement(By.cssSelector("[data-testid=failed-item]")));
        assertTrue(failedItem.getText().contains("broken.png"), failedItem.getText());
        assertTrue(failedItem.getText().length() > "broken.png".length() + 5, "the error is shown: " + failedItem.getText());
        wait.until(d -> d.findElements(tiles).size() == 1);
        driver.findElement(By.id("retry-button")).click();
        wait.until(d -> d.findElement(By.id("job-message")).getText().contains("Retrying 1 image"));
        slow.until(d -> "completed_with_errors".equals(d.findElement(By.id("job-view")).getAttribute("data-state"))
                && !d.findElements(By.cssSelector("#failed-list [data-testid=failed-item]")).isEmpty());
        assertEquals(secondJob, driver.findElement(By.id("job-view")).getAttribute("data-job-id"));

        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertTrue(errors.isEmpty(), "the page logged errors: " + errors);
    }

    private static String clipOf(JavascriptExecutor js) {
        return String.valueOf(js.executeScript("return document.getElementById('compare-after').style.clipPath"));
    }

    private void saveScreenshot(String name) throws IOException {
        Files.createDirectories(ARTEFACTS);
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Path target = ARTEFACTS.resolve(name);
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("browser screenshot: " + target.toAbsolutePath());
    }

    /** Three red squares on blue (the tiny model's idea of a subject), as a zip. */
    private static void writeZip(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            int size = 96;
            for (String name : NAMES) {
                zip.putNextEntry(new ZipEntry(name + ".png"));
                zip.write(TestArchives.image("png", size, size * 3 / 4));
                zip.closeEntry();
                size += 32;
            }
        }
    }

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(Level.OFF);
        return logger;
    }
}
