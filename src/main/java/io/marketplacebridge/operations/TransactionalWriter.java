package io.marketplacebridge.operations;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.marketplacebridge.kafka.KafkaClients;
import io.marketplacebridge.kafka.KafkaTransactions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes units of records (a unit is what must land together, e.g. a redriven command and its marker) in
 * Kafka transactions of up to 500 units or 8 MiB. The transactional.id is new for every run, so a run never
 * fences a bridge instance or another run. After a failed transaction nothing more is written: the run is
 * partly done, and what was committed stays committed.
 */
final class TransactionalWriter implements AutoCloseable {

    private static final int MAX_UNITS = 500;
    private static final long MAX_BYTES = 8L * 1024 * 1024;

    private final KafkaClients clients;
    private final String name;
    private final String transactionalId;
    private final List<List<ProducerRecord<String, byte[]>>> batch = new ArrayList<>();
    private long batchBytes;
    private KafkaProducer<String, byte[]> producer;
    private long written;
    private long failed;
    private long notAttempted;
    private String failure;

    /** @param name the command, e.g. redrive; part of the client and transactional ids */
    TransactionalWriter(KafkaClients clients, String name) {
        this.clients = clients;
        this.name = name;
        this.transactionalId = "marketplace-bridge-" + name + "-" + UUID.randomUUID();
    }

    /** Queues a unit; after a failed write the unit is only counted as not attempted. */
    void add(List<ProducerRecord<String, byte[]>> unit) {
        if (failure != null) {
            notAttempted++;
            return;
        }
        batch.add(unit);
        for (ProducerRecord<String, byte[]> r : unit) {
            batchBytes += r.value() == null ? 0 : r.value().length;
        }
        if (batch.size() >= MAX_UNITS || batchBytes >= MAX_BYTES) {
            flush();
        }
    }

    /** Commits what is queued; on failure counts the queued units as failed and stops the run. */
    void flush() {
        if (batch.isEmpty() || failure != null) {
            return;
        }
        try {
            if (producer == null) {
                producer = clients.transactionalProducer("marketplace-bridge-" + name, transactionalId);
                producer.initTransactions();
            }
            KafkaTransactions.commitOrAbort(producer, () -> batch.forEach(unit -> unit.forEach(producer::send)));
            written += batch.size();
        } catch (RuntimeException e) {
            failed += batch.size();
            failure = KafkaTransactions.rootMessage(e);
        } finally {
            batch.clear();
            batchBytes = 0;
        }
    }

    long written() {
        return written;
    }

    long failed() {
        return failed;
    }

    /** Units that came after a failed write, so were never tried. */
    long notAttempted() {
        return notAttempted;
    }

    /** Why the run stopped writing; null while all went well. */
    String failure() {
        return failure;
    }

    String transactionalId() {
        return transactionalId;
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
        }
    }
}
