package dev.dialplane.livekit;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends again, on another connection, a request to LiveKit that provably never reached it, so a
 * keep-alive connection closed while idle does not fail a call.
 *
 * <p>LiveKit, or a proxy in front of it, may close a pooled connection while it is idle. OkHttp
 * looks for that only on a connection idle for 10 s or more, so a request can be written to a
 * socket the server has already closed and fail with "unexpected end of stream". A request is
 * known not to have been received, and only then is it sent again (within the call's own timeout,
 * at most {@value #MOST_ATTEMPTS} times), when:
 * <ul>
 *   <li>the connection could not be made, or writing the request failed: a Twirp server reads the
 *       whole body before it acts on a request, and a write that failed did not deliver all of it;
 *   <li>the reused connection was already closed by the server when the request was about to be
 *       written: checked just before writing, as the end of stream waiting to be read.
 * </ul>
 * A request written in full whose response was lost is never sent again: LiveKit may have acted on
 * it, and a dial sent twice rings the callee twice.
 */
final class UnsentRequests {

    private static final Logger log = LoggerFactory.getLogger(UnsentRequests.class);
    static final int MOST_ATTEMPTS = 3;

    /** What one call's current attempt got as far as; the calling thread runs all of it. */
    private static final class Progress extends EventListener {
        volatile boolean connected;
        volatile boolean writeStarted;
        volatile boolean writeFailed;

        void reset() {
            connected = false;
            writeStarted = false;
            writeFailed = false;
        }

        @Override
        public void connectEnd(
                Call call,
                java.net.InetSocketAddress address,
                java.net.Proxy proxy,
                @org.jspecify.annotations.Nullable Protocol protocol) {
            connected = true;
        }

        @Override
        public void requestHeadersStart(Call call) {
            writeStarted = true;
        }

        @Override
        public void requestFailed(Call call, IOException ioe) {
            writeFailed = true;
        }
    }

    /** The request never reached LiveKit, however often it was tried. */
    static final class NotReceived extends IOException {
        NotReceived(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** Thrown before writing to a reused connection the server had already closed. */
    private static final class ClosedWhileIdle extends IOException {
        ClosedWhileIdle() {
            super("the pooled connection had been closed by the server while idle");
        }
    }

    private final Map<Call, Progress> progress = Collections.synchronizedMap(new WeakHashMap<>());

    EventListener.Factory listeners() {
        return call -> {
            var tracked = new Progress();
            progress.put(call, tracked);
            return tracked;
        };
    }

    /** Application interceptor: tries again what was not received, and says so when it gives up. */
    Response sendUntilReceived(Interceptor.Chain chain) throws IOException {
        var tracked = progress.get(chain.call());
        for (var attempt = 1; ; attempt++) {
            if (tracked != null) {
                tracked.reset();
            }
            try {
                return chain.proceed(chain.request());
            } catch (IOException e) {
                var notReceived = e instanceof ClosedWhileIdle
                        || (tracked != null && (!tracked.writeStarted || tracked.writeFailed));
                if (!notReceived) {
                    throw e;
                }
                if (attempt >= MOST_ATTEMPTS || chain.call().isCanceled()) {
                    throw new NotReceived(e.getMessage() == null ? e.toString() : e.getMessage(), e);
                }
                log.info(
                        "LiveKit {} did not reach LiveKit ({}); sending it again on another connection",
                        chain.request().url().encodedPath(),
                        e.toString());
            }
        }
    }

    /** Network interceptor: refuses to write to a reused HTTP/1.1 connection the server closed. */
    Response refuseClosedConnection(Interceptor.Chain chain) throws IOException {
        var connection = chain.connection();
        var tracked = progress.get(chain.call());
        // HTTP/2 has its own reader on the socket, which notices a closed connection itself
        if (connection != null
                && connection.protocol() == Protocol.HTTP_1_1
                && (tracked == null || !tracked.connected)
                && closedByServer(connection.socket())) {
            // closed, so the pool never hands it out again
            connection.socket().close();
            throw new ClosedWhileIdle();
        }
        return chain.proceed(chain.request());
    }

    /**
     * Whether an idle HTTP/1.1 connection can no longer carry a request: it has nothing to read
     * unless the server closed it (end of stream) or it is out of step (a stray byte).
     */
    private static boolean closedByServer(Socket socket) {
        if (socket.isClosed() || socket.isInputShutdown() || socket.isOutputShutdown()) {
            return true;
        }
        try {
            var timeout = socket.getSoTimeout();
            try {
                socket.setSoTimeout(1);
                socket.getInputStream().read();
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } finally {
                socket.setSoTimeout(timeout);
            }
        } catch (IOException e) {
            return true;
        }
    }
}
