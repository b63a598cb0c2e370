package io.ipnpipeline.ops;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough PromQL and exposition-format reading to compare metric names. */
final class PromQl {

    private static final Set<String> WORDS = Set.of("sum", "min", "max", "avg", "count", "rate", "irate", "increase",
            "delta", "deriv", "histogram_quantile", "by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "offset", "bool", "abs", "clamp_min", "clamp_max", "topk", "bottomk", "time",
            "vector", "scalar", "absent", "label_replace", "sum_over_time", "max_over_time", "avg_over_time", "le");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    private PromQl() {
    }

    /** Metric names an expression reads: identifiers outside label matchers, ranges, strings and groupings. */
    static Set<String> metricNames(String expression) {
        String stripped = expression
                .replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(stripped);
        while (matcher.find()) {
            String word = matcher.group();
            int after = matcher.end();
            boolean call = after < stripped.length() && stripped.substring(after).stripLeading().startsWith("(");
            if (!WORDS.contains(word) && !call && !word.matches("\\d.*")) {
                names.add(word);
            }
        }
        return names;
    }

    /** Names of the samples in a Prometheus text exposition. */
    static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher matcher = IDENTIFIER.matcher(line);
            if (matcher.lookingAt()) {
                names.add(matcher.group());
            }
        }
        return names;
    }
}
