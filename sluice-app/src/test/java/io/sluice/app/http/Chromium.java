package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through {@code /usr/bin/chromedriver}, for console tests: a missing browser fails
 * under CI (which installs it) and skips elsewhere. Screenshots go to {@code target/console-screenshots/}.
 */
final class Chromium implements AutoCloseable {
    private static final String DRIVER = "/usr/bin/chromedriver";
    private static final String BINARY = "/usr/bin/chromium";
    static final Path SHOTS = Path.of("target", "console-screenshots");

    final ChromeDriver driver;
    private final ChromeDriverService service;

    private Chromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** A browser window of {@code width} x {@code height}, or the test skipped (failed under CI) without one. */
    static Chromium open(int width, int height) throws Exception {
        boolean there = new File(DRIVER).canExecute() && new File(BINARY).canExecute();
        String missing = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)";
        if (System.getenv("CI") != null) {
            assertThat(there).as(missing).isTrue();
        }
        assumeTrue(there, missing);
        Path profile = Files.createTempDirectory("sluice-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height,
                "--force-device-scale-factor=1");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        Files.createDirectories(SHOTS);
        return new Chromium(service, driver);
    }

    WebDriverWait waiting() {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    void screenshot(String name) throws Exception {
        File f = driver.getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        driver.quit();
        service.stop();
    }
}
