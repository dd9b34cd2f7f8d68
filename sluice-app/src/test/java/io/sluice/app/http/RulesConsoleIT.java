package io.sluice.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The console's rules panel in headless Chromium against a real pipeline with rules on the shared MariaDB: the
 * versions and the per-rule counters as rows arrive, a deploy refused with the rule, column and table named, a
 * deploy that shows its diff and is taken up, and a rollback from the page. Screenshots in {@code
 * target/console-screenshots/rules-*.png}.
 */
class RulesConsoleIT {
    private static final String TOKEN = "rules-console-token";

    private LivePipeline live;
    private ControlServer server;
    private Chromium browser;

    @BeforeEach
    void start() throws Exception {
        browser = Chromium.open(1400, 1900);
        live = LivePipeline.withRules("rules_console_it", RulesApiIT.V1);
        server = ControlServer.builder(List.of(live.managed))
                .lag(live.metrics)
                .port(0)
                .token(TOKEN)
                .sampleEvery(Duration.ofSeconds(1))
                .build();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.stop();
        }
        if (live != null) {
            live.close();
        }
    }

    private String text(String css) {
        Object v = ((JavascriptExecutor) browser.driver)
                .executeScript("var e = document.querySelector(arguments[0]); return e ? e.textContent : '';", css);
        return String.valueOf(v);
    }

    private void clickOn(String css) {
        browser.waiting().until(d -> {
            WebElement e = d.findElement(By.cssSelector(css));
            ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'})", e);
            e.click();
            return true;
        });
    }

    private void deploy(String yaml, String message) {
        WebElement area = browser.driver.findElement(By.id("rules-yaml"));
        ((JavascriptExecutor) browser.driver).executeScript("arguments[0].value = arguments[1]", area, yaml);
        WebElement msg = browser.driver.findElement(By.id("rules-message"));
        msg.clear();
        msg.sendKeys(message);
        clickOn("#rules-deploy");
    }

    @Test
    void versionsCountersDeployWithItsDiffAndRollbackFromThePage() throws Exception {
        String db = live.db;
        live.server.execute("INSERT INTO `" + db + "`.orders (item, qty) VALUES ('a', 3), ('b', 4), ('c', 3)");
        browser.driver.get(server.url() + "?token=" + TOKEN);
        browser.waiting().until(d -> d.findElement(By.id("rules-panel")).isDisplayed());
        browser.waiting()
                .until(d -> text("#rules-counters tr[data-rule='no-threes'] [data-field='matched']")
                                .equals("3")
                        && text("#rules-counters tr[data-rule='no-threes'] [data-field='dropped']")
                                .equals("2"));
        assertThat(text("#rules-effect")).contains("in effect: v1");
        assertThat(text("#rules-versions li[data-rule-version='1']")).contains("from the pipeline's rule file");
        assertThat(text("#rules-diff")).contains("name: no-threes");
        browser.screenshot("rules-01-versions-and-counters");

        // refused: the rule, the column and the table named on the page; nothing deployed
        deploy(RulesApiIT.V1.replace("{db}", db).replace("after.qty", "after.quantity"), "typo");
        browser.waiting().until(d -> text("#rules-error").contains("quantity"));
        assertThat(text("#rules-error")).contains("no-threes").contains(db + ".orders");
        assertThat(browser.driver.findElements(By.cssSelector("#rules-versions li[data-rule-version='2']")))
                .isEmpty();
        browser.screenshot("rules-02-deploy-refused");

        // deployed: the new version with its diff; the pipeline takes it up at a transaction boundary
        String v2 = RulesApiIT.V1.replace("{db}", db) + """
                  - name: hide-item
                    match: {tables: ["%s.orders"]}
                    mask: {item: redact}
                """.formatted(db);
        deploy(v2, "mask items");
        browser.waiting()
                .until(d -> !d.findElements(By.cssSelector("#rules-versions li[data-rule-version='2']"))
                        .isEmpty());
        browser.waiting().until(d -> text("#rules-diff").contains("+  - name: hide-item"));
        assertThat(text("#rules-diff-title")).contains("v1 → v2");
        assertThat(text("#rules-error")).isEmpty();
        browser.waiting().until(d -> {
            try {
                live.server.execute("INSERT INTO `" + db + "`.orders (item, qty) VALUES ('d', 5)");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return text("#rules-effect").contains("in effect: v2")
                    && text("#rules-counters tr[data-rule='hide-item'] [data-field='changed']")
                            .matches("[1-9][0-9]*");
        });
        browser.screenshot("rules-03-deployed-with-diff");

        // rollback to v1 from its row: a new version 3 with v1's rules
        ((JavascriptExecutor) browser.driver).executeScript("window.confirm = function () { return true; }");
        clickOn("#rules-versions li[data-rule-version='1'] button.rollback");
        browser.waiting()
                .until(d -> !d.findElements(By.cssSelector("#rules-versions li[data-rule-version='3']"))
                        .isEmpty());
        assertThat(text("#rules-versions li[data-rule-version='3']")).contains("rolled back from the console");
        browser.waiting().until(d -> text("#rules-diff").contains("-  - name: hide-item"));
        browser.screenshot("rules-04-rolled-back");
        assertThat(live.managed.pipeline().transform()).isInstanceOf(io.sluice.rules.RulesStage.class);
        io.sluice.rules.RulesStage stage =
                (io.sluice.rules.RulesStage) live.managed.pipeline().transform();
        assertThat(stage.versions().get(3).text())
                .isEqualTo(stage.versions().get(1).text());
    }

    private String side(String item, String side, String field) {
        return text("#rules-preview-events .pv-event[data-event-id='" + item + "'] [data-side='" + side
                + "'] [data-field='" + field + "']");
    }

    private String classOf(String id, String side, String field) {
        return String.valueOf(((JavascriptExecutor) browser.driver)
                .executeScript(
                        "var e = document.querySelector(arguments[0]); return e ? e.className : '';",
                        "#rules-preview-events .pv-event[data-event-id='" + id + "'] [data-side='" + side
                                + "'] [data-field='" + field + "']"));
    }

    @Test
    void previewShowsEachEventDeployedBesideCandidateThenDeploysIt() throws Exception {
        String db = live.db;
        String from = RulesApiIT.position(live);
        live.server.execute("INSERT INTO `" + db + "`.orders (item, qty) VALUES ('a', 3), ('b', 4), ('c', 5)");
        String to = RulesApiIT.position(live);
        browser.driver.get(server.url() + "?token=" + TOKEN);
        browser.waiting().until(d -> d.findElement(By.id("rules-panel")).isDisplayed());

        // the candidate drops fours too and redacts the item; previewed over the three rows just written
        String candidate =
                RulesApiIT.V1.replace("{db}", db).replace("after.qty != 3", "after.qty != 3 && after.qty != 4")
                        + """
                  - name: hide-item
                    match: {tables: ["%s.orders"]}
                    mask: {item: redact}
                """.formatted(db);
        ((JavascriptExecutor) browser.driver)
                .executeScript(
                        "arguments[0].value = arguments[1]",
                        browser.driver.findElement(By.id("rules-yaml")),
                        candidate);
        ((JavascriptExecutor) browser.driver)
                .executeScript("var s = document.getElementById('rules-preview-range'); s.value = 'range';"
                        + " s.dispatchEvent(new Event('change'));");
        browser.driver.findElement(By.id("rules-preview-from")).sendKeys(from);
        browser.driver.findElement(By.id("rules-preview-to")).sendKeys(to);
        clickOn("#rules-preview");
        browser.waiting()
                .until(d -> d.findElements(By.cssSelector("#rules-preview-events .pv-event"))
                                .size()
                        == 3);
        List<String> outcomes = browser.driver.findElements(By.cssSelector("#rules-preview-events .pv-event")).stream()
                .map(e -> e.getAttribute("data-outcome"))
                .toList();
        assertThat(outcomes).containsExactly("dropped", "dropped", "changed");
        assertThat(text("#rules-preview-totals [data-total='events']")).isEqualTo("3 events");
        assertThat(text("#rules-preview-totals [data-total='dropped']")).isEqualTo("2 dropped");
        assertThat(text("#rules-preview-totals [data-total='changed']")).isEqualTo("1 changed");
        assertThat(text("#rules-preview-title"))
                .contains("v1 (deployed) → candidate v2")
                .contains(from);

        // side by side: the deployed version dropped 'a' only; 'b' it kept, the candidate drops it; 'c' is masked
        List<WebElement> events = browser.driver.findElements(By.cssSelector("#rules-preview-events .pv-event"));
        String a = events.get(0).getAttribute("data-event-id");
        String b = events.get(1).getAttribute("data-event-id");
        String c = events.get(2).getAttribute("data-event-id");
        assertThat(text("#rules-preview-events .pv-event[data-event-id='" + a + "'] [data-side='deployed']"))
                .contains("dropped");
        assertThat(side(b, "deployed", "item")).isEqualTo("item: \"b\"");
        assertThat(text("#rules-preview-events .pv-event[data-event-id='" + b + "'] [data-side='candidate']"))
                .contains("dropped");
        assertThat(side(c, "deployed", "item")).isEqualTo("item: \"c\"");
        assertThat(side(c, "candidate", "item")).isNotEqualTo("item: \"c\"").startsWith("item: ");
        assertThat(side(c, "candidate", "qty")).isEqualTo("qty: 5");
        assertThat(classOf(c, "candidate", "item")).contains("chg");
        assertThat(classOf(c, "candidate", "qty")).contains("same");
        ((JavascriptExecutor) browser.driver)
                .executeScript("document.getElementById('rules-preview-out').scrollIntoView({block: 'start'})");
        browser.screenshot("rules-05-preview-side-by-side");

        // a phone-sized screen: the sides stack, nothing sticks out past the edge
        browser.driver.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                java.util.Map.of("width", 420, "height", 900, "deviceScaleFactor", 1, "mobile", true));
        clickOn("#rules-preview-events .pv-event[data-event-id='" + c + "']");
        Object wide = ((JavascriptExecutor) browser.driver)
                .executeScript("return Array.from(document.querySelectorAll('#rules-panel *'))"
                        + ".filter(function (e) { for (var p = e.parentElement; p; p = p.parentElement) {"
                        + " var o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden')"
                        + " return false; } return e.getBoundingClientRect().right > 420.5; })"
                        + ".map(function (e) { return e.tagName + '#' + e.id + '.' + e.className; })");
        assertThat((List<?>) wide)
                .as("rules panel parts past a 420 px screen's edge")
                .isEmpty();
        Number candidateTop = (Number) ((JavascriptExecutor) browser.driver)
                .executeScript(
                        "return document.querySelector(arguments[0]).getBoundingClientRect().top",
                        "#rules-preview-events .pv-event[data-event-id='" + c + "'] [data-side='candidate']");
        Number deployedBottom = (Number) ((JavascriptExecutor) browser.driver)
                .executeScript(
                        "return document.querySelector(arguments[0]).getBoundingClientRect().bottom",
                        "#rules-preview-events .pv-event[data-event-id='" + c + "'] [data-side='deployed']");
        assertThat(candidateTop.doubleValue())
                .as("stacked below")
                .isGreaterThanOrEqualTo(deployedBottom.doubleValue() - 0.5);
        browser.screenshot("rules-06-preview-phone-420px");
        browser.driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", java.util.Map.of());

        // deployed from there: the previewed text becomes version 2, and the pipeline takes it up
        WebElement msg = browser.driver.findElement(By.id("rules-message"));
        msg.sendKeys("previewed first");
        clickOn("#rules-preview-deploy");
        browser.waiting()
                .until(d -> !d.findElements(By.cssSelector("#rules-versions li[data-rule-version='2']"))
                        .isEmpty());
        assertThat(text("#rules-versions li[data-rule-version='2']")).contains("previewed first");
        assertThat(text("#rules-preview-title")).contains("deployed as v2");
        io.sluice.rules.RulesStage stage =
                (io.sluice.rules.RulesStage) live.managed.pipeline().transform();
        assertThat(stage.versions().get(2).text()).isEqualTo(candidate);
        browser.screenshot("rules-07-deployed-from-the-preview");
    }
}
