package dev.dialplane.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a server that closes a client's connection once it has been idle (no
 * byte either way) for {@code idleTimeout}, as load balancers and reverse proxies do. It answers
 * nothing itself: a request written to a connection it closed never reaches the server.
 */
public final class IdleClosingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Duration idleTimeout;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Semaphore closedIdle = new Semaphore(0);
    private final AtomicInteger accepted = new AtomicInteger();

    private IdleClosingProxy(URI target, Duration idleTimeout) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = target.getHost();
        this.targetPort = target.getPort();
        this.idleTimeout = idleTimeout;
        Thread.ofPlatform().daemon().name("idle-closing-proxy").start(this::accept);
    }

    public static IdleClosingProxy start(String targetUrl, Duration idleTimeout) {
        try {
            return new IdleClosingProxy(URI.create(targetUrl), idleTimeout);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Client connections accepted so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Waits until the proxy has closed {@code count} more connections for being idle. */
    public boolean awaitClosedIdle(int count, Duration timeout) throws InterruptedException {
        return closedIdle.tryAcquire(count, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                var client = listener.accept();
                accepted.incrementAndGet();
                Thread.ofPlatform().daemon().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        open.add(client);
        try (client;
                var server = new Socket(targetHost, targetPort)) {
            open.add(server);
            var lastActivity = new long[] {System.nanoTime()};
            var upstream = Thread.ofPlatform().daemon().start(() -> pipe(client, server, lastActivity));
            var downstream = Thread.ofPlatform().daemon().start(() -> pipe(server, client, lastActivity));
            // the idle timer: the socket read timeout of each direction would close a connection
            // busy in the other, so one watcher looks at the last byte either way
            client.setSoTimeout(0);
            while (upstream.isAlive() && downstream.isAlive()) {
                long idleNanos;
                synchronized (lastActivity) {
                    idleNanos = System.nanoTime() - lastActivity[0];
                    var remaining = idleTimeout.toNanos() - idleNanos;
                    if (remaining > 0) {
                        lastActivity.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
                        continue;
                    }
                }
                client.close();
                server.close();
                closedIdle.release();
                return;
            }
        } catch (IOException | InterruptedException e) {
            // a connection that cannot be made or is torn down ends here
        }
    }

    private static void pipe(Socket from, Socket to, long[] lastActivity) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            var buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) != -1) {
                out.write(buffer, 0, read);
                out.flush();
                synchronized (lastActivity) {
                    lastActivity[0] = System.nanoTime();
                    lastActivity.notifyAll();
                }
            }
        } catch (IOException e) {
            // the other side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            synchronized (lastActivity) {
                lastActivity.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (var socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
