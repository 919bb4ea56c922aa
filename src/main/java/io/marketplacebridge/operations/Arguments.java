package io.marketplacebridge.operations;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The options of one command: {@code --name value} or {@code --name=value}, repeatable ones, and flags. */
final class Arguments {

    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Arguments() {
    }

    /**
     * @param single     options taking one value, at most once
     * @param repeatable options taking one value, any number of times
     * @param flagNames  options without a value
     */
    static Arguments parse(List<String> args, Set<String> single, Set<String> repeatable, Set<String> flagNames)
            throws UsageException {
        Arguments parsed = new Arguments();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
            if (flagNames.contains(name) && eq < 0) {
                parsed.flags.add(name);
            } else if (single.contains(name) || repeatable.contains(name)) {
                String value;
                if (eq > 0 && arg.startsWith("--")) {
                    value = arg.substring(eq + 1);
                } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                    value = args.get(++i);
                } else {
                    throw new UsageException(name + " needs a value");
                }
                if (value.isBlank()) {
                    throw new UsageException(name + " needs a value");
                }
                List<String> list = parsed.values.computeIfAbsent(name, k -> new ArrayList<>());
                if (single.contains(name) && !list.isEmpty()) {
                    throw new UsageException(name + " may be given once");
                }
                list.add(value);
            } else {
                throw new UsageException("unknown option " + arg);
            }
        }
        return parsed;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    Optional<String> one(String name) {
        return all(name).stream().findFirst();
    }

    boolean flag(String name) {
        return flags.contains(name);
    }
}
