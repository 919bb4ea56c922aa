package io.marketplacebridge.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.marketplacebridge.kafka.EmbeddedKafkaBroker;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts one real Kafka broker (KRaft, in-process) for the whole test run and shares it between test
 * classes. Use {@code @ExtendWith(EmbeddedKafkaExtension.class)} and {@link #bootstrapServers()}.
 * Tests isolate themselves with their own topic names and group ids, never by restarting the broker.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback {

    private static EmbeddedKafkaBroker broker;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        broker();
    }

    public static synchronized EmbeddedKafkaBroker broker() throws IOException {
        if (broker == null) {
            Path dir = Files.createTempDirectory("bridge-test-kafka");
            broker = new EmbeddedKafkaBroker(0, dir).start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
        }
        return broker;
    }

    public static String bootstrapServers() {
        try {
            return broker().bootstrapServers();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
