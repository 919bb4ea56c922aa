package io.marketplacebridge.kafka;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker + controller) running in this JVM.
 * Used by the dev profile and by the tests; production points at a real cluster instead.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final int port;
    private final int controllerPort;
    private final Path dataDir;
    private KafkaRaftServer server;

    /** @param port broker port, 0 picks a free one; @param dataDir log folder, formatted on first use */
    public EmbeddedKafkaBroker(int port, Path dataDir) {
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = freePort();
        this.dataDir = dataDir.toAbsolutePath();
    }

    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        try {
            Files.createDirectories(dataDir);
            Properties props = brokerProperties();
            format(props);
            server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            server.startup();
            LOG.info("Embedded Kafka broker (KRaft, Apache Kafka {}) listening on {} with data in {}",
                    org.apache.kafka.common.utils.AppInfoParser.getVersion(), bootstrapServers(), dataDir);
            return this;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the embedded Kafka broker on port " + port
                    + " with data in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("Embedded Kafka broker on {} stopped", bootstrapServers());
        }
    }

    private Properties brokerProperties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", "1");
        // a single node cannot replicate internal topics
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        // the 128 MB default runs a small heap out of memory
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return p;
    }

    private void format(Properties props) throws Exception {
        if (Files.exists(dataDir.resolve("meta.properties"))) {
            return; // formatted by an earlier run: keep its data
        }
        new Formatter()
                .setPrintStream(new PrintStream(PrintStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setControllerListenerName("CONTROLLER")
                .setMetadataLogDirectory(dataDir.toString())
                .setDirectories(List.of(dataDir.toString()))
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setIgnoreFormatted(true)
                .run();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port for the embedded Kafka broker", e);
        }
    }
}
