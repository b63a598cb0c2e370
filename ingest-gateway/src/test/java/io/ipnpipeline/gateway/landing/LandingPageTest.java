package io.ipnpipeline.gateway.landing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LandingPageTest {

    @Test
    void escapesEverythingThatCouldLeaveTheAttribute() {
        assertThat(LandingPage.escapeHtml("\"><script>alert('x')</script>&`"))
                .isEqualTo("&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;");
        assertThat(LandingPage.escapeHtml("@ipn_support")).isEqualTo("@ipn_support");
    }

    @Test
    void theTemplateHasThePlaceholderOnceInsideTheMetaAttributeAndNoInnerHtml() {
        String template = template();
        assertThat(template).containsOnlyOnce(LandingPage.CONTACT_PLACEHOLDER)
                .contains("<meta name=\"support-contact\" content=\"" + LandingPage.CONTACT_PLACEHOLDER + "\">")
                .doesNotContain("innerHTML").doesNotContain("document.write");
    }

    private static String template() {
        try (InputStream in = LandingPage.class.getClassLoader().getResourceAsStream(LandingPage.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
