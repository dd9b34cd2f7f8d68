package io.sluice.mysql.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerVersionTest {

    @Test
    void readsMariaDbAndMySqlVersionTexts() {
        ServerVersion maria = ServerVersion.of("10.11.6-MariaDB-0+deb12u1-log");
        assertThat(maria.mariaDb()).isTrue();
        assertThat(maria.name()).isEqualTo("MariaDB 10.11.6");
        assertThat(maria.atLeast(10, 5, 2)).isTrue();
        assertThat(maria.atLeast(10, 11, 7)).isFalse();

        ServerVersion mysql = ServerVersion.of("8.0.36");
        assertThat(mysql.mariaDb()).isFalse();
        assertThat(mysql.name()).isEqualTo("MySQL 8.0.36");
        assertThat(mysql.atLeast(8, 0, 1)).isTrue();
        assertThat(mysql.atLeast(8, 1, 0)).isFalse();
    }

    @Test
    void aVersionTextWithoutNumbersIsVersionZero() {
        ServerVersion odd = ServerVersion.of("unknown-MariaDB");
        assertThat(odd.mariaDb()).isTrue();
        assertThat(odd.major()).isZero();
        assertThat(odd.version()).isEqualTo("unknown-MariaDB");
    }
}
