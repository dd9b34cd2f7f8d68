package io.sluice.mysql.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GrantsTest {

    @Test
    void mariaDbLines() {
        Grants g = Grants.parse(List.of(
                "GRANT `r1` TO `rc`@`%`",
                "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `rc`@`%` IDENTIFIED BY PASSWORD '*7B9E'",
                "GRANT SELECT ON `a\\_b%`.* TO `rc`@`%`",
                "GRANT SELECT (`c2`, `c1`) ON `x`.`z` TO `rc`@`%`",
                "GRANT SELECT ON `x`.`y` TO `rc`@`%`",
                "GRANT EXECUTE ON PROCEDURE `x`.`p` TO `rc`@`%`",
                "SET DEFAULT ROLE `r1` FOR `rc`@`%`"));
        assertThat(g.list()).hasSize(4);
        assertThat(g.hasGlobal("REPLICATION SLAVE")).isTrue();
        assertThat(g.hasGlobal("BINLOG MONITOR")).isTrue();
        assertThat(g.hasGlobal("SELECT")).isFalse();
        assertThat(g.canSelect("a_b1", null)).isTrue();
        assertThat(g.canSelect("axb1", null)).isFalse(); // escaped _
        assertThat(g.canSelect("x", "y")).isTrue();
        assertThat(g.canSelect("x", "z")).isFalse(); // only some columns
        assertThat(g.canSelect("x", null)).isFalse();
    }

    @Test
    void mySqlLines() {
        Grants g = Grants.parse(List.of(
                "GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `sluice`@`%`",
                "GRANT BACKUP_ADMIN,REPLICATION_APPLIER ON *.* TO `sluice`@`%`", "GRANT `app_ro`@`%` TO `sluice`@`%`"));
        assertThat(g.hasGlobal("REPLICATION SLAVE")).isTrue();
        assertThat(g.hasGlobal("REPLICATION CLIENT")).isTrue();
        assertThat(g.hasGlobal("BACKUP_ADMIN")).isTrue();
        assertThat(g.canSelect("anything", null)).isTrue();
    }

    @Test
    void allPrivilegesCoverEverything() {
        Grants g = Grants.parse(List.of("GRANT ALL PRIVILEGES ON *.* TO 'root'@'localhost' WITH GRANT OPTION"));
        assertThat(g.hasGlobal("REPLICATION SLAVE")).isTrue();
        assertThat(g.hasGlobal("BINLOG MONITOR")).isTrue();
        assertThat(g.canSelect("shop", "orders")).isTrue();

        Grants all = Grants.parse(List.of("grant all on `shop`.* to u@h"));
        assertThat(all.canSelect("shop", null)).isTrue();
        assertThat(all.hasGlobal("REPLICATION SLAVE")).isFalse();
    }

    @Test
    void oddNames() {
        Grants g = Grants.parse(List.of(
                "GRANT SELECT ON `we``ird on db`.* TO `u`@`%`",
                "GRANT INSERT, SELECT ON shop.* TO u@'%'", "GRANT SELECT ON TABLE `t on`.`x` TO `u`@`%`"));
        assertThat(g.canSelect("we`ird on db", null)).isTrue();
        assertThat(g.canSelect("shop", null)).isTrue();
        assertThat(g.canSelect("t on", "x")).isTrue();
        assertThat(g.canSelect("other", null)).isFalse();
    }

    @Test
    void privilegesOtherThanSelectAtEachLevel() {
        Grants g = Grants.parse(List.of(
                "GRANT CREATE ON `sluice`.* TO `u`@`%`",
                "GRANT SELECT, INSERT, UPDATE ON `sluice`.`sluice_signal` TO `u`@`%`",
                "GRANT INSERT ON `other\\_%`.* TO `u`@`%`"));
        assertThat(g.can("CREATE", "sluice", "sluice_signal")).isTrue();
        assertThat(g.can("CREATE", "sluice", null)).isTrue();
        assertThat(g.can("UPDATE", "sluice", "sluice_signal")).isTrue();
        assertThat(g.can("UPDATE", "sluice", "other")).isFalse();
        assertThat(g.can("UPDATE", "sluice", null)).isFalse();
        assertThat(g.can("INSERT", "other_1", "t")).isTrue();
        assertThat(g.can("CREATE", "other_1", "t")).isFalse();
    }

    @Test
    void like() {
        assertThat(Grants.likeMatches("app%", "app_1")).isTrue();
        assertThat(Grants.likeMatches("app_", "app1")).isTrue();
        assertThat(Grants.likeMatches("app\\_", "app1")).isFalse();
        assertThat(Grants.likeMatches("app\\_", "app_")).isTrue();
        assertThat(Grants.likeMatches("%", "")).isTrue();
        assertThat(Grants.likeMatches("shop", "shop2")).isFalse();
    }

    @Test
    void globsAndAccounts() {
        assertThat(CapturedTables.globMatches("shop_*", "shop_eu")).isTrue();
        assertThat(CapturedTables.globMatches("shop?", "shop.")).isTrue();
        assertThat(CapturedTables.globMatches("sh.p", "shop")).isFalse();
        assertThat(CapturedTables.globToLike("app_*")).isEqualTo("app\\_%");
        assertThat(ServerCheck.account("sluice@%")).isEqualTo("'sluice'@'%'");
        assertThat(ServerCheck.account("o'b@10.0.0.1")).isEqualTo("'o''b'@'10.0.0.1'");
    }
}
