package io.ipnpipeline.contracts.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the files written by {@code src/test/node/generate-signature-vectors.js} (Node is the reference). */
final class NodeFixtures {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private NodeFixtures() {
    }

    static JsonNode read(String name) {
        try (InputStream in = NodeFixtures.class.getResourceAsStream("/signature/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource signature/" + name
                        + "; run node contracts/src/test/node/generate-signature-vectors.js");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
