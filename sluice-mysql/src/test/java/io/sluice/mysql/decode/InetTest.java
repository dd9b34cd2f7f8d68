package io.sluice.mysql.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class InetTest {
    private static String v6(String text) throws Exception {
        return Inet.inet6(
                InetAddress.getByName(text).getAddress().length == 16
                        ? InetAddress.getByName(text).getAddress()
                        : mapped(InetAddress.getByName(text).getAddress()));
    }

    private static byte[] mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xFF;
        b[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    @Test
    void inet6CompressesTheLongestZeroRunAndShowsIpv4Tails() throws Exception {
        assertThat(v6("::1")).isEqualTo("::1");
        assertThat(v6("::")).isEqualTo("::");
        assertThat(v6("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(v6("2001:db8::ff00:42:8329")).isEqualTo("2001:db8::ff00:42:8329");
        assertThat(v6("1:0:1:1:1:1:1:1")).isEqualTo("1:0:1:1:1:1:1:1");
        assertThat(v6("fe80::")).isEqualTo("fe80::");
        assertThat(Inet.inet6(mapped(new byte[] {1, 2, 3, 4}))).isEqualTo("::ffff:1.2.3.4");
        byte[] compat = new byte[16];
        compat[12] = 10;
        compat[15] = 1;
        assertThat(Inet.inet6(compat)).isEqualTo("::10.0.0.1");
    }

    @Test
    void inet4AndUuidText() {
        assertThat(Inet.inet4(new byte[] {(byte) 255, 0, 0, 1})).isEqualTo("255.0.0.1");
        byte[] u = new byte[16];
        u[0] = 0x12;
        u[15] = (byte) 0xff;
        assertThat(Inet.uuid(u)).isEqualTo("12000000-0000-0000-0000-0000000000ff");
    }
}
