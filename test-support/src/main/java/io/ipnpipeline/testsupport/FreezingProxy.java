package io.ipnpipeline.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on loopback that can make every connection open so far go silent for its client: no byte comes back
 * and no reset or close arrives. That is what a server that vanished without a goodbye looks like from the client
 * (a host that died, a failover that moved the address, a NAT or firewall that dropped the flow): only a
 * client-side timeout notices it. The server's side of a frozen connection is closed, as the server (or its
 * keepalive probes, finding no peer) would end it, so what the server held for that session (an advisory lock)
 * is freed. Connections opened after {@link #freezeOpenConnections()} pass normally.
 */
public final class FreezingProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FreezingProxy.class);

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private FreezingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "freezing-proxy-accept-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code host:port}, listening on an ephemeral loopback port. */
    public static FreezingProxy to(String host, int port) {
        try {
            return new FreezingProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a proxy to " + host + ":" + port, e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every connection open now goes silent for its client and ends for the server; later ones pass. */
    public void freezeOpenConnections() {
        links.forEach(Link::freeze);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing the proxy's listener: {}", e.getMessage());
        }
        links.forEach(Link::close);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                LOG.warn("proxy could not connect a client: {}", e.getMessage());
            }
        }
    }

    /** One proxied connection: a pump thread each way. */
    private static final class Link {

        private final Socket client;
        private final Socket upstream;
        private final CountDownLatch closed = new CountDownLatch(1);
        private volatile boolean frozen;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() throws IOException {
            pump(client.getInputStream(), upstream.getOutputStream(), "up");
            pump(upstream.getInputStream(), client.getOutputStream(), "down");
        }

        void freeze() {
            frozen = true;
            closeQuietly(upstream);
        }

        void close() {
            closed.countDown();
            closeQuietly(client);
            closeQuietly(upstream);
        }

        private void pump(InputStream from, OutputStream to, String direction) {
            Thread thread = new Thread(() -> copy(from, to), "freezing-proxy-" + direction);
            thread.setDaemon(true);
            thread.start();
        }

        private void copy(InputStream from, OutputStream to) {
            byte[] buffer = new byte[16 * 1024];
            try {
                int read;
                while ((read = from.read(buffer)) >= 0) {
                    if (frozen) {
                        // hold the connection open and say nothing, until the proxy closes
                        closed.await();
                        return;
                    }
                    to.write(buffer, 0, read);
                    to.flush();
                }
            } catch (IOException e) {
                LOG.debug("proxied connection ended: {}", e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!frozen) {
                close();
            }
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                LOG.debug("closing a proxied socket: {}", e.getMessage());
            }
        }
    }
}
