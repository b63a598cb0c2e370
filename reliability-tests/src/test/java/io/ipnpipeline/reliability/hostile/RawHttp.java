package io.ipnpipeline.reliability.hostile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 over a plain socket, for requests no well-behaved client would send. */
final class RawHttp {

    /** What came back: a status code, or that the server closed the connection without one. */
    record Answer(int status, boolean closed) {
        static Answer closedWithoutStatus() {
            return new Answer(-1, true);
        }

        boolean isClientError() {
            return status >= 400 && status < 500;
        }

        boolean isClearRefusal() {
            return closed && status == -1 || isClientError();
        }
    }

    private RawHttp() {
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Sends {@code request} as is and reads the status line (or notices the close). */
    static Answer exchange(int port, byte[] request) throws IOException {
        try (Socket socket = connect(port)) {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException closedWhileWriting) {
                return Answer.closedWithoutStatus();
            }
            return readStatus(socket.getInputStream());
        }
    }

    static Answer exchange(int port, String request) throws IOException {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static Answer readStatus(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        try {
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer and no close within the socket timeout", e);
        } catch (IOException reset) {
            return Answer.closedWithoutStatus();
        }
        String[] parts = line.toString().trim().split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return Answer.closedWithoutStatus();
        }
        return new Answer(Integer.parseInt(parts[1]), false);
    }

    static String post(String path, String extraHeaders, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extraHeaders
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n"
                + body;
    }
}
