package io.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy for fault tests: listens on a free port of 127.0.0.1 and forwards every connection to a target.
 * {@link #cutAll()} resets every open connection at once (RST on both sides, as a network failure would), and
 * {@link #setRefusing(boolean)} makes it reset new connections right after accepting them, until turned off.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(server.host(), server.port())) {
 *     // point the client at proxy.port()
 *     proxy.cutAll();
 * }
 * }</pre>
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile boolean refusing;
    private volatile boolean closed;

    private record Link(Socket client, Socket upstream) {
        void reset() {
            abort(client);
            abort(upstream);
        }
    }

    private TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-" + listener.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** Starts a proxy to {@code host:port}. */
    public static TcpProxy start(String host, int port) {
        try {
            return new TcpProxy(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a TCP proxy", e);
        }
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    /** The port the proxy listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Resets every open connection (both sides); returns how many there were. */
    public int cutAll() {
        int n = 0;
        for (Link l : links) {
            links.remove(l);
            l.reset();
            n++;
        }
        cuts.addAndGet(n);
        return n;
    }

    /** While true, new connections are reset as soon as they are accepted. */
    public void setRefusing(boolean refusing) {
        this.refusing = refusing;
    }

    /** Connections accepted so far (refused ones included). */
    public int accepted() {
        return accepted.get();
    }

    /** Connections reset by {@link #cutAll()} so far. */
    public int cuts() {
        return cuts.get();
    }

    /** Connections open now. */
    public int open() {
        return links.size();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            if (refusing) {
                abort(client);
                continue;
            }
            Socket upstream;
            try {
                upstream = new Socket(targetHost, targetPort);
                upstream.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
            } catch (IOException e) {
                abort(client);
                continue;
            }
            Link link = new Link(client, upstream);
            links.add(link);
            pump(link, client, upstream, "c2s");
            pump(link, upstream, client, "s2c");
        }
    }

    private void pump(Link link, Socket from, Socket to, String dir) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // cut or closed by a peer
                    } finally {
                        links.remove(link);
                        link.reset();
                    }
                },
                "tcp-proxy-" + port() + "-" + dir);
        t.setDaemon(true);
        t.start();
    }

    private static void abort(Socket s) {
        try {
            s.setSoLinger(true, 0); // close sends RST instead of FIN
        } catch (SocketException ignored) {
            // already closed
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /** Stops listening and resets every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
        for (Link l : links) {
            l.reset();
        }
        links.clear();
    }
}
