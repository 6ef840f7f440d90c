package io.mattepipe.web;

import io.mattepipe.app.JobViews;
import io.mattepipe.app.ReviewJob;
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
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
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
import java.util.logging.Level;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    private static final Path ARTEFACTS = Path.of("target", "browser-test");
    private static final Path AXE_DIR = Path.of("target", "axe");
    private static final Dimension DESKTOP = new Dimension(1440, 900);
    private static final Dimension PHONE = new Dimension(390, 844);
    private static final List<String> NAMES = List.of("red-1", "red-2", "red-3", "red-4", "red-5");
    /** Selenium warns that it has no DevTools bindings for this Chromium; the test does not use them. */
    private static final java.util.logging.Logger CDP_LOG = quiet("org.openqa.selenium.devtools.CdpVersionFinder");

    @TempDir
    Path temp;

    private RunningApp app;
    private HeadlessChromium browser;
    private WebDriver driver;
    private String base;

    @BeforeEach
    void startApp() throws Exception {
        app = RunningApp.start(temp.resolve("data"), Map.of("inbox.enabled", "false"));
        base = "http://localhost:" + app.port;
    }

    private void startBrowser() throws IOException {
        startBrowser("en-US");
    }

    /**
     * Headless Chromium asking for pages in {@code language} (its Accept-Language); the test is
     * skipped, with the reason printed, without it.
     */
    private void startBrowser(String language) throws IOException {
        browser = HeadlessChromium.start(temp, DESKTOP, language);
        driver = browser.driver;
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
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
    void uploadWatchInspectDownloadAndDelete() throws Exception {
        startBrowser();
        Path axe = axeCore();
        Path zip = temp.resolve("squares.zip");
        writeZip(zip);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        WebDriverWait slow = new WebDriverWait(driver, Duration.ofSeconds(180));
        JavascriptExecutor js = (JavascriptExecutor) driver;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        driver.get(base + "/");
        wait.until(d -> "true".equals(d.findElement(By.tagName("html")).getAttribute("data-ready")));
        assertEquals("mattepipe · background removal", driver.getTitle());
        assertEquals(1, driver.findElements(By.tagName("h1")).size(), "the page has one h1");
        wait.until(d -> "up".equals(d.findElement(By.id("health")).getAttribute("data-state")));
        atBothSizes(axe, "landing");

        // the model is held back, so the job is seen running: a tile per image with its thumbnail
        app.holdMatting();
        driver.findElement(By.id("file-input")).sendKeys(zip.toAbsolutePath().toString());
        wait.until(d -> d.findElement(By.id("file-summary")).getText().contains("squares.zip"));
        assertEquals("upload-button", driver.switchTo().activeElement().getAttribute("id"),
                "after choosing files, focus is on the button that starts the job");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("upload-button"))).click();
        WebElement view = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("job-view")));
        wait.until(d -> "job-view".equals(d.switchTo().activeElement().getAttribute("id")));
        By tiles = By.cssSelector("[data-testid=gallery-item]");
        wait.until(d -> d.findElements(tiles).size() == NAMES.size());
        wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                "const imgs = [...document.querySelectorAll('#gallery img.original')];"
                        + " return imgs.length === arguments[0] && imgs.every(i => i.complete && i.naturalWidth > 0)", NAMES.size())));
        for (WebElement tile : driver.findElements(tiles)) {
            assertEquals("waiting", tile.findElement(By.cssSelector("[data-testid=tile-state]")).getText(), tile.getText());
        }
        String jobId = view.getAttribute("data-job-id");
        assertTrue(Files.isRegularFile(app.dataDir.resolve("thumbs").resolve(jobId).resolve("000000.jpg")),
                "thumbnails are cached in the data folder");
        assertEquals("squares.zip", driver.findElement(By.id("job-title")).getText());
        String running = wait.until(d -> {
            String meta = d.findElement(By.id("job-meta")).getText();
            return meta.contains("working") ? meta : null;
        });
        assertTrue(running.contains("working") && running.contains("0 of 5 images"), running);
        assertFalse(running.contains("dispatched") || running.contains(jobId), "no internal words: " + running);
        atBothSizes(axe, "running");
        app.releaseMatting();

        // finished: every tile shows its cutout, the bar reads 100 %
        slow.until(d -> "completed".equals(view.getAttribute("data-state")));
        wait.until(d -> "100 %".equals(d.findElement(By.id("job-progress-text")).getText()));
        By done = By.cssSelector("[data-testid=gallery-item][data-state=completed]");
        wait.until(d -> d.findElements(done).size() == NAMES.size());
        wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                "const imgs = [...document.querySelectorAll('#gallery .tile-open img')];"
                        + " return imgs.length === arguments[0] && imgs.every(i => i.complete && i.naturalWidth > 0)", NAMES.size())));
        assertTrue(driver.findElement(By.id("job-counts")).getText().contains("done 5"), driver.findElement(By.id("job-counts")).getText());
        assertTrue(driver.findElement(By.id("gallery")).getText().contains("red-1.png"));
        WebElement row = driver.findElement(By.cssSelector("[data-testid=job-row][data-job-id='" + jobId + "']"));
        wait.until(d -> row.getText().contains("done · 5 of 5 images"));
        assertTrue(row.getText().contains("squares.zip"), row.getText());
        atBothSizes(axe, "finished");

        // the viewer: opened from a tile, the slider moves 1 % per arrow key, the background chosen
        // there is the one the image downloads on
        driver.findElements(By.cssSelector(".tile-open")).get(0).click();
        WebElement viewer = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("viewer")));
        wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                "return ['compare-original', 'compare-cutout'].every(id => {"
                        + " const i = document.getElementById(id); return i.complete && i.naturalWidth > 0; })")));
        assertTrue(viewer.findElement(By.id("viewer-title")).getText().contains("red-1.png"));
        WebElement slider = driver.findElement(By.id("compare-slider"));
        assertEquals("compare-slider", driver.switchTo().activeElement().getAttribute("id"), "focus goes into the viewer");
        slider.sendKeys(Keys.ARROW_RIGHT);
        assertEquals("51", slider.getAttribute("value"), "one arrow key moves the split by 1 %");
        assertTrue(clipOf(js).contains("51%"), clipOf(js));
        slider.sendKeys(Keys.HOME);
        wait.until(d -> clipOf(js).contains(" 0%"));
        js.executeScript("const s = arguments[0]; s.value = '50'; s.dispatchEvent(new Event('input', {bubbles: true}));", slider);
        WebElement after = driver.findElement(By.id("compare-after"));
        driver.findElement(By.cssSelector("[data-testid=bg-white]")).click();
        wait.until(d -> "rgba(255, 255, 255, 1)".equals(after.getCssValue("background-color")));
        String imageUrl = driver.findElement(By.id("viewer-download")).getAttribute("href");
        assertTrue(imageUrl.contains("background=white"), imageUrl);
        HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(URI.create(imageUrl)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, image.statusCode());
        assertTrue(image.headers().firstValue("Content-Disposition").orElse("").contains("filename=\"red-1.png\""),
                image.headers().toString());
        BufferedImage onWhite = ImageIO.read(new ByteArrayInputStream(image.body()));
        assertEquals(0xFFFFFFFF, onWhite.getRGB(0, 0), "the blue background is gone, white in its place");
        assertEquals(0xFF, onWhite.getRGB(onWhite.getWidth() / 2, onWhite.getHeight() / 2) >>> 24, "and nothing is transparent");
        atBothSizes(axe, "viewer");
        driver.findElement(By.id("viewer-close")).click();
        wait.until(ExpectedConditions.invisibilityOf(viewer));
        wait.until(d -> d.switchTo().activeElement().getAttribute("class").contains("tile-open"));

        // several images, chosen: JPEG on white, cropped, as one zip named after the job
        driver.findElement(By.cssSelector("#export-options summary")).click();
        driver.findElement(By.cssSelector("[data-testid=export-format] option[value=jpg]")).click();
        driver.findElement(By.cssSelector("[data-testid=export-crop]")).click();
        List<WebElement> boxes = driver.findElements(By.cssSelector("[data-testid=tile-select]"));
        boxes.get(1).click();
        boxes.get(2).click();
        WebElement selected = driver.findElement(By.cssSelector("[data-testid=download-selected]"));
        wait.until(d -> selected.getText().contains("2 images"));
        HttpResponse<byte[]> chosen = http.send(HttpRequest.newBuilder(URI.create(selected.getAttribute("href"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, chosen.statusCode(), new String(chosen.body()));
        assertTrue(chosen.headers().firstValue("Content-Disposition").orElse("").contains("filename=\"squares-results.zip\""),
                chosen.headers().toString());
        Map<String, byte[]> entries = TestArchives.unzip(chosen.body());
        assertEquals(Set.of("red-2.jpg", "red-3.jpg"), entries.keySet());
        BufferedImage cropped = ImageIO.read(new ByteArrayInputStream(entries.get("red-2.jpg")));
        assertTrue(cropped.getWidth() < 128, "cropped to the subject: " + cropped.getWidth());
        assertEquals(base + "/jobs/" + jobId + "/report", driver.findElement(By.id("report-link")).getAttribute("href"));

        // the report, in plain words
        driver.get(base + "/jobs/" + jobId + "/report");
        String report = driver.findElement(By.tagName("body")).getText();
        for (String internal : List.of("bgcolor", "mask_only", "null", "completed_with_errors", "permanently_failed")) {
            assertFalse(report.contains(internal), "the report says '" + internal + "': " + report);
        }
        assertTrue(report.contains("PNG, transparent background"), report);
        atBothSizes(axe, "report");
        driver.get(base + "/#job=" + jobId);
        wait.until(d -> "completed".equals(d.findElement(By.id("job-view")).getAttribute("data-state")));

        // a file that is no image fails alone, with its reason under its own name
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
        assertEquals("good and 1 more", driver.findElement(By.id("job-title")).getText());
        WebElement failedItem = wait.until(d -> d.findElement(By.cssSelector("[data-testid=failed-item]")));
        assertTrue(failedItem.getText().contains("broken.png") && failedItem.getText().contains("failed: not an image"),
                failedItem.getText());
        String brokenTask = failedItem.getAttribute("data-task-id");
        assertFalse(failedItem.getText().contains(brokenTask + ".png"), "the reason names the file, not its stored copy: " + failedItem.getText());
        HttpResponse<String> failedTasks = http.send(HttpRequest.newBuilder(
                URI.create(base + "/jobs/" + secondJob + "/tasks?status=permanently_failed")).build(), HttpResponse.BodyHandlers.ofString());
        if (failedTasks.body().contains("\"retryable\":false")) {
            assertFalse(driver.findElement(By.id("retry-button")).isDisplayed(), "retry is not offered for a file that is no image");
        }

        // delete the first job from the page: its row, its files and its API entries go
        driver.findElement(By.cssSelector("[data-testid=job-row][data-job-id='" + jobId + "']")).click();
        wait.until(d -> jobId.equals(d.findElement(By.id("job-view")).getAttribute("data-job-id"))
                && "completed".equals(d.findElement(By.id("job-view")).getAttribute("data-state")));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("delete-button"))).click();
        driver.switchTo().alert().accept();
        wait.until(d -> d.findElements(By.cssSelector("[data-testid=job-row][data-job-id='" + jobId + "']")).isEmpty());
        assertEquals("jobs-title", driver.switchTo().activeElement().getAttribute("id"), "focus goes to the job list");
        assertEquals(404, get(http, "/status/" + jobId).statusCode());
        for (String folder : List.of("input", "matting_output", "final_results", "thumbs")) {
            assertFalse(Files.exists(app.dataDir.resolve(folder).resolve(jobId)), folder + " of the deleted job is gone");
        }

        // a phone: two columns of tiles, bars the full width, no title broken inside a word
        driver.manage().window().setSize(PHONE);
        driver.get(base + "/#job=" + secondJob);
        wait.until(d -> "completed_with_errors".equals(d.findElement(By.id("job-view")).getAttribute("data-state")));
        wait.until(d -> !d.findElements(By.cssSelector("#gallery [data-testid=gallery-item]")).isEmpty());
        assertEquals(2L, js.executeScript("return getComputedStyle(document.getElementById('gallery'))"
                + ".gridTemplateColumns.split(' ').length"), "two columns of tiles");
        Number barShare = (Number) js.executeScript("const bar = document.getElementById('job-progress').getBoundingClientRect();"
                + " const view = document.getElementById('job-view').getBoundingClientRect(); return bar.width / view.width;");
        assertTrue(barShare.doubleValue() > 0.7, "the bar spans the job's width: " + barShare);
        assertEquals(Boolean.TRUE, js.executeScript("return [...document.querySelectorAll('h1, h2, .job-name, .tile-name')]"
                + ".every(e => getComputedStyle(e).wordBreak !== 'break-all')"), "no title breaks inside a word");
        assertEquals(Boolean.TRUE, js.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"),
                "nothing wider than the phone");
        checkAccessibility(axe, "failed image, phone");
        saveScreenshot("failed-390.png");

        // broken.png has no preview: its tile asks for one while it waits, before anyone knows (404)
        String noPreview = "/jobs/" + secondJob + "/tasks/" + brokenTask + "/thumb";
        List<LogEntry> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(e -> !(e.getMessage().contains(noPreview) && e.getMessage().contains("404"))).toList();
        assertTrue(errors.isEmpty(), "the page logged errors: " + errors);
    }

    /**
     * axe-core from npm, unpacked under target/ once ({@code npm pack}, the registry the machine is
     * configured for); the test is skipped, with the reason printed, where neither it nor npm is there.
     */
    private static Path axeCore() throws IOException, InterruptedException {
        Path script = AXE_DIR.resolve("package").resolve("axe.min.js");
        if (!Files.isRegularFile(script)) {
            Files.createDirectories(AXE_DIR);
            try {
                Process pack = new ProcessBuilder("npm", "pack", "axe-core@4", "--silent").directory(AXE_DIR.toFile())
                        .redirectErrorStream(true).start();
                String out = new String(pack.getInputStream().readAllBytes()).trim();
                if (pack.waitFor() == 0) {
                    String tarball = out.lines().reduce((a, b) -> b).orElse("");
                    new ProcessBuilder("tar", "-xzf", tarball).directory(AXE_DIR.toFile()).inheritIO().start().waitFor();
                } else {
                    System.out.println("npm pack axe-core failed: " + out);
                }
            } catch (IOException e) {
                System.out.println("npm is not available: " + e.getMessage());
            }
        }
        if (!Files.isRegularFile(script)) {
            String reason = "skipped: axe-core is absent (" + script + "; npm pack axe-core failed or npm is missing)";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return script;
    }

    /**
     * axe-core and a screenshot ({@code NAME-1440.png}, {@code NAME-390.png}) at a desktop's and a
     * phone's size; the window is left at the desktop's.
     */
    private void atBothSizes(Path axe, String name) throws IOException {
        for (Dimension size : List.of(DESKTOP, PHONE)) {
            driver.manage().window().setSize(size);
            ((JavascriptExecutor) driver).executeScript("return new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            checkAccessibility(axe, name + " at " + size.getWidth() + " px");
            saveScreenshot(name + "-" + size.getWidth() + ".png");
        }
        driver.manage().window().setSize(DESKTOP);
    }

    /** Runs axe-core on the page as it is; fails on any serious or critical violation, listing them. */
    @SuppressWarnings("unchecked")
    private void checkAccessibility(Path axe, String what) throws IOException {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(Files.readString(axe));
        }
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + " axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                        + ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                        + ".map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))"
                        + ".catch(e => done(['axe failed: ' + e]));");
        List<String> violations = (List<String>) result;
        assertTrue(violations.isEmpty(), what + ": " + String.join("\n", violations));
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
    /**
     * The review queue with keys only: a finished job opens on how many images to check, "Check
     * these first" opens the doubtful one with why it was flagged, R rejects it and moves on, A
     * accepts the next, whose edges are refined and then put back; the zip leaves the rejected one
     * out. Prints how long the page took from a
     * key to the next image (a person's time per image is that plus their look).
     */
    @Test
    void reviewsTheDoubtfulFirstWithKeys() throws Exception {
        startBrowser();
        ReviewJob job = ReviewJob.finish(app, temp);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        driver.get(base + "/#job=" + job.id());
        wait.until(d -> "true".equals(d.findElement(By.tagName("html")).getAttribute("data-ready")));
        WebElement summary = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("review-summary")));
        wait.until(d -> summary.getText().contains("1 image left to check (confidence under 0.50)"));
        driver.findElement(By.id("review-start")).click();
        WebElement viewer = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("viewer")));
        wait.until(d -> "doubtful.png".equals(d.findElement(By.id("viewer-title")).getText()));
        assertTrue(driver.findElement(By.cssSelector("[data-figure=doubts] td")).getText().contains("fills the edge of the frame"),
                driver.findElement(By.id("compare-figures")).getText());
        saveScreenshot("review-doubtful.png");

        long rejectStart = System.nanoTime();
        driver.switchTo().activeElement().sendKeys("r");
        wait.until(d -> "good.png".equals(d.findElement(By.id("viewer-title")).getText()));
        long rejectMillis = (System.nanoTime() - rejectStart) / 1_000_000;
        long acceptStart = System.nanoTime();
        driver.switchTo().activeElement().sendKeys("a");
        wait.until(d -> "accepted".equals(d.findElement(By.id("review-state")).getText()));
        long acceptMillis = (System.nanoTime() - acceptStart) / 1_000_000;
        System.out.printf("review with keys: reject and next image %d ms, accept %d ms%n", rejectMillis, acceptMillis);
        assertTrue(viewer.isDisplayed());

        // refine the edges of the image in the viewer, then go back to the model's matte
        driver.findElement(By.id("matte-refine")).click();
        wait.until(d -> "matte version 1".equals(d.findElement(By.id("review-state")).getText()));
        assertTrue(get(http, "/jobs/" + job.id() + "/tasks").body().contains("\"matte_version\":1"));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("matte-revert"))).click();
        wait.until(d -> "the model's matte".equals(d.findElement(By.id("review-state")).getText()));
        assertTrue(!driver.findElement(By.id("matte-revert")).isEnabled(), "nothing to go back from");

        // touch-up: one stroke of the widest eraser over the middle, undone, redone, saved as a grey PNG
        driver.findElement(By.id("matte-touchup")).click();
        wait.until(d -> "ready".equals(d.findElement(By.tagName("html")).getAttribute("data-touchup")));
        driver.findElement(By.id("touchup-erase")).click();
        ((JavascriptExecutor) driver).executeScript("document.getElementById('touchup-size').value = '200'");
        WebElement canvas = driver.findElement(By.id("touchup-canvas"));
        new org.openqa.selenium.interactions.Actions(driver).moveToElement(canvas).clickAndHold().moveByOffset(5, 0).release().perform();
        driver.findElement(By.id("touchup-undo")).click();
        driver.findElement(By.id("touchup-redo")).click();
        driver.findElement(By.id("touchup-save")).click();
        wait.until(d -> "matte version 1".equals(d.findElement(By.id("review-state")).getText()));
        HttpResponse<byte[]> matte = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + job.id() + "/tasks/"
                + job.tasks().get("good.png") + "/matte")).build(), HttpResponse.BodyHandlers.ofByteArray());
        BufferedImage erased = ImageIO.read(new ByteArrayInputStream(matte.body()));
        assertEquals(0, erased.getRaster().getSample(60, 40, 0), "the red square's middle was erased");
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, erased.getType());

        String tasks = get(http, "/jobs/" + job.id() + "/tasks").body();
        assertTrue(tasks.contains("\"review\":\"rejected\"") && tasks.contains("\"review\":\"accepted\""), tasks);
        wait.until(d -> summary.getText().contains("0 images left to check") && summary.getText().contains("1 rejected"));
        HttpResponse<byte[]> zip = http.send(HttpRequest.newBuilder(URI.create(base + "/download/" + job.id())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Map<String, byte[]> files = TestArchives.unzip(zip.body());
        assertTrue(files.containsKey("good.png") && !files.containsKey("doubtful.png"), files.keySet().toString());
    }

    /**
     * The page follows the browser's language: with Simplified Chinese first, the review queue and
     * the viewer speak it (the doubt in plain words too), the keys work the same, and the switch
     * goes back to English.
     */
    @Test
    void theReviewQueueInSimplifiedChinese() throws Exception {
        startBrowser("zh-CN");
        ReviewJob job = ReviewJob.finish(app, temp);
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        JavascriptExecutor js = (JavascriptExecutor) driver;

        driver.get(base + "/#job=" + job.id());
        wait.until(d -> "zh-CN".equals(d.findElement(By.tagName("html")).getAttribute("data-translated")));
        assertEquals("zh-CN", driver.findElement(By.tagName("html")).getAttribute("lang"));
        assertEquals("mattepipe · 批量抠图", driver.getTitle());
        WebElement start = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("review-start")));
        assertEquals("先检查这些", start.getText());
        wait.until(d -> d.findElement(By.id("review-summary-text")).getText().equals("还有 1 张图片 待检查（置信度低于 0.50）"));
        start.click();
        wait.until(d -> "doubtful.png".equals(d.findElement(By.id("viewer-title")).getText()));
        assertTrue(driver.findElement(By.cssSelector("[data-figure=doubts] td")).getText().contains("主体占满了画面边缘"),
                driver.findElement(By.id("compare-figures")).getText());
        assertTrue(driver.findElement(By.id("review-reject")).getText().startsWith("拒绝"));
        saveScreenshot("review-zh-CN.png");
        driver.switchTo().activeElement().sendKeys("r");
        wait.until(d -> "good.png".equals(d.findElement(By.id("viewer-title")).getText()));
        assertEquals("zh-CN", js.executeScript("return document.documentElement.lang"), "the keys work the same");

        driver.navigate().to(base + "/#job=" + job.id());
        new org.openqa.selenium.support.ui.Select(wait.until(ExpectedConditions.elementToBeClickable(By.id("lang-switch"))))
                .selectByValue("en");
        wait.until(d -> "en".equals(d.findElement(By.tagName("html")).getAttribute("lang"))
                && "Check these first".equals(d.findElement(By.id("review-start")).getText()));
    }

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
