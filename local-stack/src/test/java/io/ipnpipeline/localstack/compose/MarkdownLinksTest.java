package io.ipnpipeline.localstack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Found by a newcomer: README linked the design (the contracts), the IPN reference and the incident report at
 * ../shared/docs, outside the repository, so no clone had them. Every relative link in the repository's Markdown
 * must name a file inside it.
 */
class MarkdownLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]+)(#[^)]*)?\\)");

    @Test
    void everyRelativeLinkNamesAFileInsideTheRepository() throws IOException {
        Path root = ComposeFile.locate().getParent().toAbsolutePath().normalize();
        List<String> broken = new ArrayList<>();
        List<Path> markdown;
        try (Stream<Path> files = Files.walk(root)) {
            markdown = files.filter(file -> file.toString().endsWith(".md"))
                    .filter(file -> !root.relativize(file).toString().matches("(.*/)?(target|node_modules|\\.git)/.*"))
                    .toList();
        }
        assertThat(markdown).as("Markdown files found").isNotEmpty();
        for (Path file : markdown) {
            Matcher link = LINK.matcher(Files.readString(file));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                Path resolved = file.getParent().resolve(target).normalize();
                if (!resolved.startsWith(root) || !Files.exists(resolved)) {
                    broken.add(root.relativize(file) + " -> " + target);
                }
            }
        }
        assertThat(broken).as("links to nothing, or to outside the repository").isEmpty();
    }
}
