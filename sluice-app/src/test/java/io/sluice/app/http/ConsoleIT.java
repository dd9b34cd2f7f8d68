package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in Debian's headless Chromium, driven by Selenium through {@code /usr/bin/chromedriver}, against
 * a real pipeline on the shared MariaDB: the overview shows the pipeline and a lag figure that moves, and Pause and
 * Resume work from the page. Screenshots go to {@code target/console-screenshots/}.
 */
class ConsoleIT {
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String TOKEN = "console-token";
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    private LivePipeline live;
    private ControlServer server;
    private ChromeDriverService service;
    private ChromeDriver driver;
    private Path profile;

    @BeforeEach
    void start() throws Exception {
        boolean browser = new File(CHROMEDRIVER).canExecute() && new File(CHROMIUM).canExecute();
        String missing = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)";
        // under CI (.ci/run installs them) a missing browser is a failure, not a skip that hides the install step
        if (System.getenv("CI") != null) {
            assertThat(browser).as(missing).isTrue();
        }
        assumeTrue(browser, missing);
        live = new LivePipeline("console_it");
        server = ControlServer.builder(List.of(live.managed)).port(0).token(TOKEN)
                .sampleEvery(Duration.ofSeconds(1)).build();
        server.start();

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory("sluice-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1500", "--force-device-scale-factor=1");
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1500));
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (server != null) {
            server.stop();
        }
        if (live != null) {
            live.close();
        }
    }

    private WebDriverWait waiting() {
        WebDriverWait w = new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    /** Reads one field of the pipeline's card in one script call: the page re-renders the card every 2 s. */
    private String field(String name) {
        Object v = ((JavascriptExecutor) driver).executeScript("var f = document.querySelector("
                + "\".card[data-name='console_it'] [data-field='\" + arguments[0] + \"']\"); return f ? f.textContent : '';", name);
        return String.valueOf(v);
    }

    private String attribute(String fieldName, String attr) {
        Object v = ((JavascriptExecutor) driver).executeScript("var f = document.querySelector("
                + "\".card[data-name='console_it'] [data-field='\" + arguments[0] + \"']\"); return f ? f.getAttribute(arguments[1]) : null;",
                fieldName, attr);
        return v == null ? null : v.toString();
    }

    private long lagMs() {
        String v = attribute("lag", "data-lag-ms");
        return v == null || v.isEmpty() ? -1 : Long.parseLong(v);
    }

    private boolean buttonEnabled(String action) {
        Object v = ((JavascriptExecutor) driver).executeScript("var b = document.querySelector("
                + "\".card[data-name='console_it'] button.\" + arguments[0]); return b != null && !b.disabled;", action);
        return Boolean.TRUE.equals(v);
    }

    private void screenshot(String name) throws Exception {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Clicks the card's button like a user, retrying when a refresh replaced it under the pointer. */
    private void click(String action) {
        waiting().until(d -> {
            d.findElement(By.cssSelector(".card[data-name='console_it'] button." + action)).click();
            return true;
        });
    }

    @Test
    void overviewShowsThePipelineWithMovingLagAndPauseResumeWorkFromThePage() throws Exception {
        live.startWriting(40);
        driver.get(server.url() + "?token=" + TOKEN);
        waiting().until(d -> !d.findElements(By.cssSelector(".card[data-name='console_it']")).isEmpty());
        waiting().until(d -> field("state").equals("RUNNING") && lagMs() >= 0 && !field("lag").equals("—")
                && field("position").contains(":"));
        assertThat(driver.getTitle()).isEqualTo("Sluice console");
        assertThat(driver.findElement(By.id("process")).getText()).contains("pid");
        // tables of the selected pipeline, with schema versions
        waiting().until(d -> !d.findElements(By.cssSelector("#detail tr[data-table='" + live.db + ".orders']")).isEmpty());
        // the subject of the screenshot: a chart with a few samples (one a second)
        Thread.sleep(6000);
        screenshot("01-overview-running");

        String lagBefore = field("lag");
        click("pause");
        waiting().until(d -> field("state").equals("PAUSED"));
        long pausedLag = lagMs();
        // paused while the writer keeps inserting: the lag figure grows
        waiting().until(d -> lagMs() >= pausedLag + 3000 && !field("lag").equals(lagBefore));
        assertThat(buttonEnabled("resume")).isTrue();
        assertThat(buttonEnabled("pause")).isFalse();
        assertThat(attribute("state", "class")).contains("PAUSED");
        screenshot("02-overview-paused");

        click("resume");
        waiting().until(d -> field("state").equals("RUNNING"));
        waiting().until(d -> lagMs() >= 0 && lagMs() < 3000);
        Thread.sleep(2500); // the subject of the screenshot: the chart a while after the resume
        screenshot("03-overview-resumed");

        ((JavascriptExecutor) driver).executeScript("document.getElementById('detail-panel').scrollIntoView()");
        waiting().until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("var r = document"
                + ".getElementById('detail-panel').getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;")));
        screenshot("04-tables-and-errors");
        assertThat(driver.findElement(By.id("detail")).getText()).contains(live.db + ".orders").contains("v1");
    }
}
