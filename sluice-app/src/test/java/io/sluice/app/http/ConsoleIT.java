package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.app.run.ManagedPipeline;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in Debian's headless Chromium, driven by Selenium through {@code /usr/bin/chromedriver}, against
 * a real pipeline on the shared MariaDB, one test per view: the overview with a lag figure that moves and Pause and
 * Resume from the page; token login; an idle pipeline's lag agreeing with {@code /metrics}; snapshot progress,
 * requests and their errors; a schema halt with its reason, diff, approval command and Restart; the configuration;
 * a 420 px wide screen; the chart's span (1 h or 6 h) and the per-table totals kept across restarts. Screenshots
 * go to {@code target/console-screenshots/}.
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
    private final List<String> restarts = new java.util.concurrent.CopyOnWriteArrayList<>();

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
        server = serve(List.of(live.managed));

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        profile = Files.createTempDirectory("sluice-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--window-size=1400,1500",
                "--force-device-scale-factor=1");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1500));
        Files.createDirectories(SHOTS);
    }

    /** A started server over {@code pipelines}: lag from the live pipeline's metrics, a sample a second. */
    private ControlServer serve(List<ManagedPipeline> pipelines) {
        ControlServer s = ControlServer.builder(pipelines)
                .lag(live.metrics)
                .port(0)
                .token(TOKEN)
                .restart(restarts::add)
                .sampleEvery(Duration.ofSeconds(1))
                .build();
        s.start();
        return s;
    }

    private JsonNode apiGet(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(server.url() + path.substring(1)))
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
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
        Object v = ((JavascriptExecutor) driver)
                .executeScript(
                        "var f = document.querySelector("
                                + "\".card[data-name='console_it'] [data-field='\" + arguments[0] + \"']\"); return f ? f.textContent : '';",
                        name);
        return String.valueOf(v);
    }

    private String attribute(String fieldName, String attr) {
        Object v = ((JavascriptExecutor) driver)
                .executeScript(
                        "var f = document.querySelector("
                                + "\".card[data-name='console_it'] [data-field='\" + arguments[0] + \"']\"); return f ? f.getAttribute(arguments[1]) : null;",
                        fieldName,
                        attr);
        return v == null ? null : v.toString();
    }

    private long lagMs() {
        String v = attribute("lag", "data-lag-ms");
        return v == null || v.isEmpty() ? -1 : Long.parseLong(v);
    }

    private boolean buttonEnabled(String action) {
        Object v = ((JavascriptExecutor) driver)
                .executeScript(
                        "var b = document.querySelector("
                                + "\".card[data-name='console_it'] button.\" + arguments[0]); return b != null && !b.disabled;",
                        action);
        return Boolean.TRUE.equals(v);
    }

    private void screenshot(String name) throws Exception {
        File f = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Clicks the card's button like a user, retrying when a refresh replaced it under the pointer; brings it to the
     * middle of the screen first, clear of the sticky top bar.
     */
    private void click(String action) {
        waiting().until(d -> {
            WebElement b = d.findElement(By.cssSelector(".card[data-name='console_it'] button." + action));
            ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'})", b);
            b.click();
            return true;
        });
    }

    /** Clicks the first element matching {@code css} like a user, brought to the middle of the screen first. */
    private void clickOn(String css) {
        waiting().until(d -> {
            WebElement e = d.findElement(By.cssSelector(css));
            ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
            e.click();
            return true;
        });
    }

    @Test
    void overviewShowsThePipelineWithMovingLagAndPauseResumeWorkFromThePage() throws Exception {
        live.startWriting(40);
        driver.get(server.url() + "?token=" + TOKEN);
        waiting()
                .until(d -> !d.findElements(By.cssSelector(".card[data-name='console_it']"))
                        .isEmpty());
        waiting()
                .until(d -> field("state").equals("RUNNING")
                        && lagMs() >= 0
                        && !field("lag").equals("—")
                        && field("position").contains(":"));
        assertThat(driver.getTitle()).isEqualTo("Sluice console");
        assertThat(driver.findElement(By.id("process")).getText()).contains("pid");
        // tables of the selected pipeline, with schema versions
        waiting()
                .until(d -> !d.findElements(By.cssSelector("#detail tr[data-table='" + live.db + ".orders']"))
                        .isEmpty());
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
        waiting()
                .until(
                        d -> Boolean.TRUE.equals(
                                ((JavascriptExecutor) d)
                                        .executeScript(
                                                "var r = document"
                                                        + ".getElementById('detail-panel').getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight;")));
        screenshot("04-tables-and-errors");
        assertThat(driver.findElement(By.id("detail")).getText())
                .contains(live.db + ".orders")
                .contains("v1");
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private String text(String css) {
        Object v = js("var e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
        return String.valueOf(v);
    }

    private void open() {
        driver.get(server.url() + "?token=" + TOKEN);
        waiting().until(d -> field("state").equals("RUNNING"));
    }

    @Test
    void tokenLoginAsksForTheTokenSaysWhenItIsWrongAndKeepsItForTheTab() throws Exception {
        driver.get(server.url());
        waiting().until(d -> d.findElement(By.id("login")).isDisplayed());
        assertThat(driver.findElement(By.id("pipelines")).getText()).doesNotContain("Loading pipelines");
        screenshot("10-login");

        driver.findElement(By.id("login-token")).sendKeys("not-the-token");
        driver.findElement(By.id("login-submit")).click();
        waiting().until(d -> d.findElement(By.id("login-error")).getText().contains("Wrong token"));
        assertThat(driver.findElement(By.id("login")).isDisplayed()).isTrue();
        screenshot("11-login-wrong-token");

        driver.findElement(By.id("login-token")).clear();
        driver.findElement(By.id("login-token")).sendKeys(TOKEN);
        driver.findElement(By.id("login-submit")).click();
        waiting()
                .until(d -> field("state").equals("RUNNING")
                        && !d.findElement(By.id("login")).isDisplayed());
        assertThat(js("return sessionStorage.getItem('sluice-token')")).isEqualTo(TOKEN);
        // a reload in the same tab stays logged in: the token is in sessionStorage, not in the URL
        driver.navigate().refresh();
        waiting().until(d -> field("state").equals("RUNNING"));
        assertThat(driver.findElement(By.id("login")).isDisplayed()).isFalse();
        screenshot("12-logged-in");
    }

    @Test
    void idleCaughtUpPipelineShowsTheLagTheMetricsShow() throws Exception {
        live.server.execute("INSERT INTO `" + live.db + "`.orders (item, qty) VALUES ('once', 1)");
        open();
        waiting()
                .until(d -> field("events").equals(String.valueOf(LivePipeline.FIXED_EVENTS + 1))
                        && field("behind").equals("0 B"));
        long lastEvent = live.managed.pipeline().stats().lastSourceTsMs();
        // idle, caught up: the last event grows older than the agreement asked for, the lag does not grow with it
        waiting()
                .until(d -> System.currentTimeMillis() - lastEvent > 3000
                        && field("behind").equals("0 B")
                        && lagMs() >= 0);
        long console = lagMs();
        double metrics = MetricsText.lagMs(live.metrics.scrape(), "console_it");
        assertThat(console).as("console lag of an idle, caught-up pipeline").isLessThan(1000);
        assertThat(Math.abs(console - metrics)).as("console and /metrics agree").isLessThan(1000);
        screenshot("20-idle-lag");
    }

    @Test
    void snapshotViewShowsProgressRequestsAndTheErrorOfABadFilter() throws Exception {
        open();
        driver.findElement(By.id("snap-tables")).sendKeys(live.db + ".customers");
        clickOn("#snapshot-form button");
        waiting()
                .until(d -> "done"
                        .equals(js("var r = document.querySelector(\"#snapshots tr[data-snapshot='" + live.db
                                + ".customers']\"); return r ? r.getAttribute('data-state') : null;")));
        assertThat(text("#snapshots")).contains(live.db + ".customers").contains("done");

        driver.findElement(By.id("snap-tables")).clear();
        driver.findElement(By.id("snap-tables")).sendKeys(live.db + ".orders");
        driver.findElement(By.id("snap-where")).sendKeys("no_such_column > 1");
        clickOn("#snapshot-form button");
        // the request is accepted, then cancelled with an ERROR line: both show, not "All quiet"
        waiting()
                .until(d -> "cancelled"
                        .equals(js("var r = document.querySelector(\"#snapshots tr[data-snapshot='" + live.db
                                + ".orders']\"); return r ? r.getAttribute('data-state') : null;")));
        waiting()
                .until(d -> text("#errors").contains("no_such_column")
                        || text("#errors").contains("cannot be read"));
        assertThat(text("#errors li.sev-ERROR")).contains("console_it").contains(live.db + ".orders");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('snapshot-panel').scrollIntoView()");
        screenshot("30-snapshots-and-errors");
    }

    @Test
    void schemaHaltShowsTheReasonTheDiffTheApprovalAndRestart() throws Exception {
        open();
        // version 1 of orders is recorded with its first row, then a type change breaks the policy and halts
        live.server.execute("INSERT INTO `" + live.db + "`.orders (item, qty) VALUES ('before', 1)");
        waiting().until(d -> field("events").equals("3"));
        live.server.execute(
                "ALTER TABLE `" + live.db + "`.orders MODIFY qty VARCHAR(10)",
                "INSERT INTO `" + live.db + "`.orders (item, qty) VALUES ('after', 'x')");
        waiting().until(d -> field("state").equals("FAILED"));
        assertThat(field("reason")).contains("breaks");
        assertThat(field("fix")).contains("schema approve").contains("Restart");
        waiting()
                .until(d -> text("#schemas [data-schema-table='" + live.db + ".orders'] li.pending")
                        .contains("needs approval"));
        String history = text("#schemas [data-schema-table='" + live.db + ".orders']");
        assertThat(history)
                .contains("v1")
                .contains("v2")
                .contains("qty")
                .contains("sluice schema approve -c " + live.managed.config().file() + " --table " + live.db
                        + ".orders --version 2");
        assertThat(text("#schema-pending")).contains("1 pending approval");
        screenshot("40-schema-halt");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('schema-panel').scrollIntoView()");
        screenshot("41-schema-history");

        // approve from the console (with the CLI's checks: a second approval is refused as nothing to do)
        clickOn("#schemas li.pending button.approve");
        driver.switchTo().alert().accept();
        waiting()
                .until(d -> text("#schemas [data-schema-table='" + live.db + ".orders']")
                                .contains("approved")
                        && text("#schema-pending").isEmpty());
        assertThat(live.managed.schemas().approvals().approved(live.db + ".orders", 2))
                .isTrue();
        java.net.http.HttpResponse<String> again = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create(server.url() + "api/pipelines/console_it/schemas/" + live.db
                                                + ".orders/2/approve?token=" + TOKEN))
                                .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("approved already");
        screenshot("42-schema-approved");

        click("restart");
        waiting().until(d -> restarts.contains("console_it"));
    }

    @Test
    void configurationViewShowsTheEffectiveSettingsWithSecretsHidden() throws Exception {
        open();
        waiting().until(d -> text("#config").contains("serverId"));
        String config = text("#config");
        assertThat(config).contains("\"host\"").contains(live.db + ".*").contains("\"password\": \"\"");
        ((JavascriptExecutor) driver).executeScript("document.getElementById('config-panel').scrollIntoView()");
        screenshot("50-configuration");
    }

    @Test
    void phoneSizedScreenFitsTheCardsAndTheChartLabels() throws Exception {
        driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", 420, "height", 900, "deviceScaleFactor", 1, "mobile", true));
        live.startWriting(100);
        open();
        waiting().until(d -> !field("position").isEmpty() && lagMs() >= 0);
        // what sticks out past the screen's edge, outside any container that scrolls sideways: named on failure
        Object wide = js("return Array.from(document.querySelectorAll('body *'))"
                + ".filter(function (e) { for (var p = e.parentElement; p; p = p.parentElement) {"
                + " var o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return false; }"
                + " return e.getBoundingClientRect().right > 420.5; })"
                + ".map(function (e) { return e.tagName + '#' + e.id + '.' + e.className + ' right '"
                + " + e.getBoundingClientRect().right; })");
        assertThat(((Number) js("return document.documentElement.scrollWidth")).intValue())
                .as("no sideways scrolling; past the edge: %s", wide)
                .isLessThanOrEqualTo(420);
        Object overflowing = js("return Array.from(document.querySelectorAll('.card, .card *, .panel, .stat'))"
                + ".filter(function (e) { var r = e.getBoundingClientRect(); return r.right > 420.5 || r.left < -0.5; })"
                + ".map(function (e) { return e.className || e.tagName; })");
        assertThat((List<?>) overflowing).as("elements past the screen's edge").isEmpty();
        String labels = String.valueOf(js("return document.getElementById('chart').getAttribute('data-time-labels')"));
        assertThat(labels).as("time labels drawn at least 70 px apart").matches("\\d+ / \\d+");
        String[] n = labels.split(" / ");
        assertThat(Integer.parseInt(n[0]) * 70).isLessThanOrEqualTo(Integer.parseInt(n[1]) + 70);
        screenshot("60-phone-420px");
    }

    private String cardState(String pipeline) {
        return String.valueOf(js(
                "var f = document.querySelector(\".card[data-name='\" + arguments[0] + \"'] [data-field='state']\");"
                        + " return f ? f.textContent : '';",
                pipeline));
    }

    @Test
    void chartOpensOnTheFirstHealthyPipelineNotOnAFailedEmptyOne() throws Exception {
        // listed first, and failing at once: its start binlog does not exist on the server
        try (LivePipeline broken = new LivePipeline("console_broken", "mysql-bin.999999")) {
            server.stop();
            server = serve(List.of(broken.managed, live.managed));
            driver.get(server.url() + "?token=" + TOKEN);
            waiting()
                    .until(d -> cardState("console_broken").equals("FAILED")
                            && field("state").equals("RUNNING"));
            waiting()
                    .until(d -> "console_it".equals(js("return document.getElementById('chart-pipeline').value"))
                            && "console_it"
                                    .equals(js("var c = document.querySelector('.card.selected');"
                                            + " return c ? c.getAttribute('data-name') : null;")));
            assertThat(text(".sel-name")).contains("console_it");
            screenshot("70-chart-default-healthy");

            // the operator's own choice stays, failed or not
            clickOn(".card[data-name='console_broken']");
            waiting().until(d -> "console_broken".equals(js("return document.getElementById('chart-pipeline').value")));
            // two refreshes later (each stamps "updated hh:mm:ss"), the choice is still the operator's
            for (int i = 0; i < 2; i++) {
                String stamp = text("#updated");
                waiting().until(d -> !text("#updated").equals(stamp));
            }
            assertThat(js("return document.getElementById('chart-pipeline').value"))
                    .isEqualTo("console_broken");
            assertThat(text(".sel-name")).contains("console_broken");
        }
    }

    @Test
    void throughputByTableShowsEventsPerSecondOfEachTableAndOp() throws Exception {
        live.startWriting(50);
        open();
        String orders = "#throughput tr[data-throughput='" + live.db + ".orders c']";
        waiting()
                .until(d -> text(orders).contains("insert")
                        && !text(orders + " td:nth-child(3)").isEmpty()
                        && !text(orders + " td:nth-child(3)").startsWith("0.0"));
        assertThat(text("#throughput tr[data-throughput='" + live.db + ".customers c']"))
                .contains(live.db + ".customers")
                .contains("insert");
        assertThat(text("#throughput thead")).contains("10 s").contains("1 min").contains("5 min");
        JsonNode api = apiGet("/api/pipelines/console_it/throughput");
        assertThat(api.path("windowsSeconds").toString()).isEqualTo("[10,60,300]");
        JsonNode row = null;
        for (JsonNode t : api.path("tables")) {
            if (t.path("table").asText().equals(live.db + ".orders")
                    && t.path("op").asText().equals("c")) {
                row = t;
            }
        }
        assertThat(row).as("orders inserts in " + api).isNotNull();
        assertThat(row.path("perSecond").get(0).asDouble()).isPositive();
        assertThat(row.path("total").asLong()).isPositive();
        ((JavascriptExecutor) driver).executeScript("document.getElementById('throughput-panel').scrollIntoView()");
        screenshot("80-throughput-by-table");
    }

    @Test
    void chartKeepsTheLagHistoryOfTheRunBeforeARestart() throws Exception {
        live.startWriting(100);
        open();
        waiting().until(d -> {
            try {
                return apiGet("/api/pipelines/console_it/history").size() >= 3;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        server.stop(); // writes the history into the state directory, the minute under way included
        Path kept = live.managed.config().state().resolve(HistoryFile.NAME);
        assertThat(kept).exists();

        long restartedAt = System.currentTimeMillis();
        server = serve(List.of(live.managed));
        JsonNode history = apiGet("/api/pipelines/console_it/history");
        assertThat(history.get(0).path("t").asLong())
                .as("the first point is from before the restart")
                .isLessThan(restartedAt);
        assertThat(history.get(0).has("bytesBehind")).isTrue();

        driver.get(server.url() + "?token=" + TOKEN);
        waiting().until(d -> {
            Object oldest = js("return document.getElementById('chart').getAttribute('data-oldest')");
            return oldest != null && !oldest.toString().isEmpty() && Long.parseLong(oldest.toString()) < restartedAt;
        });
        waiting()
                .until(d -> Integer.parseInt(String.valueOf(
                                js("return document.getElementById('chart').getAttribute('data-points')")))
                        >= 3);
        screenshot("90-history-after-restart");
    }

    @Test
    void chartSpansTheLastHourOrSixAndTableTotalsIncludeTheRunsBefore() throws Exception {
        // a run before this one left per-minute points 3 h and 30 min ago, and the events it wrote per table
        server.stop();
        long now = System.currentTimeMillis();
        long threeHoursAgo = now - Duration.ofHours(3).toMillis();
        long halfAnHourAgo = now - Duration.ofMinutes(30).toMillis();
        Files.writeString(live.managed.config().state().resolve(HistoryFile.NAME), """
                {"format": 1,
                 "minutes": [{"t": %d, "lagMs": 4000, "bytesBehind": 10, "eventsPerSecond": 80.0},
                             {"t": %d, "lagMs": 2000, "bytesBehind": 0, "eventsPerSecond": 40.0}],
                 "tables": {"%s.orders": {"c": 1000000}}}
                """.formatted(
                        threeHoursAgo, halfAnHourAgo, live.db));
        server = serve(List.of(live.managed));
        live.startWriting(50);
        open();
        js("localStorage.removeItem('sluice.chart-span')");
        String oldest = "return document.getElementById('chart').getAttribute('data-oldest')";
        waiting().until(d -> String.valueOf(halfAnHourAgo).equals(js(oldest)));
        assertThat(js("return document.getElementById('chart-span').value")).isEqualTo("3600000");
        assertThat(js("return document.getElementById('chart').getAttribute('data-span')"))
                .isEqualTo("3600000");

        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("chart-span")))
                .selectByVisibleText("last 6 hours");
        waiting().until(d -> String.valueOf(threeHoursAgo).equals(js(oldest)));
        assertThat(js("return document.getElementById('chart').getAttribute('data-span')"))
                .isEqualTo("21600000");
        assertThat(Integer.parseInt(
                        String.valueOf(js("return document.getElementById('chart').getAttribute('data-lone-points')"))))
                .as("the two minutes of the run before stand alone: drawn as dots")
                .isGreaterThanOrEqualTo(2);
        assertThat(js("return document.getElementById('chart').getAttribute('data-eps-runs')"))
                .as("events/s: no area across the gaps the process was down in")
                .isEqualTo("3");
        screenshot("95-chart-six-hours");

        // the choice outlives a reload of the page
        open();
        waiting()
                .until(d -> "21600000".equals(js("return document.getElementById('chart-span').value"))
                        && String.valueOf(threeHoursAgo).equals(js(oldest)));

        // this run's inserts into orders are added to the million the run before wrote
        String orders = "#throughput tr[data-throughput='" + live.db + ".orders c']";
        waiting()
                .until(d -> !text(orders).isEmpty()
                        && Long.parseLong(String.valueOf(js(
                                        "return document.querySelector(arguments[0]).getAttribute('data-total')",
                                        orders + " td:last-child")))
                                > 1_000_000);
        JsonNode api = apiGet("/api/pipelines/console_it/throughput");
        long total = -1;
        for (JsonNode t : api.path("tables")) {
            if (t.path("table").asText().equals(live.db + ".orders")
                    && t.path("op").asText().equals("c")) {
                total = t.path("total").asLong();
            }
        }
        assertThat(total).as("orders inserts in " + api).isGreaterThan(1_000_000);
        ((JavascriptExecutor) driver).executeScript("document.getElementById('throughput-panel').scrollIntoView()");
        screenshot("96-throughput-totals-after-restart");
    }
}
