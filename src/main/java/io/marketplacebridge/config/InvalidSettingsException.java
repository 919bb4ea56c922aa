package io.marketplacebridge.config;

import java.util.List;

/** A setting is missing or malformed; the message names every offending setting by its env name. */
public class InvalidSettingsException extends RuntimeException {

    private final List<String> missing;
    private final List<String> invalid;

    public InvalidSettingsException(String message, List<String> missing, List<String> invalid) {
        super(message);
        this.missing = List.copyOf(missing);
        this.invalid = List.copyOf(invalid);
    }

    public List<String> missing() {
        return missing;
    }

    public List<String> invalid() {
        return invalid;
    }
}
