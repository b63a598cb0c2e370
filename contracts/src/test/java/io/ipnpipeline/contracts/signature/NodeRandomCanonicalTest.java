package io.ipnpipeline.contracts.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property check against the reference: 500 random JSON objects (seeded in the Node script: unicode and
 * integer-like keys, duplicates, nesting, tiny/huge/negative/whole numbers in many spellings, escapes) whose
 * canonical bytes in both forms must equal what Node printed.
 */
class NodeRandomCanonicalTest {

    @Test
    void canonicalBytesEqualNodesForEveryRandomObject() throws Exception {
        JsonNode cases = NodeFixtures.read("random-canonical.json").get("cases");
        assertThat(cases.size()).isEqualTo(500);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            JsonNode testCase = cases.get(i);
            byte[] body = testCase.get("body").textValue().getBytes(StandardCharsets.UTF_8);
            for (SignatureForm form : SignatureForm.values()) {
                String expected = testCase.get(form.wire()).textValue();
                String actual = new String(CanonicalJson.write(body, form), StandardCharsets.UTF_8);
                if (!actual.equals(expected)) {
                    mismatches.add("case " + i + " " + form.wire() + "\n node: " + expected + "\n java: " + actual);
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
