package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.marketplacebridge.sandbox.LectronzMessage;
import io.marketplacebridge.sandbox.Sandbox;
import io.marketplacebridge.sandbox.SandboxOptions;
import io.marketplacebridge.testing.BridgeProcess;
import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** kill -9 during a backlog, and a second instance taking over: every (id, updated_at) exactly once. */
@ExtendWith(EmbeddedKafkaExtension.class)
class InboundCrashTest {

    private static final int BACKLOG = 1500;

    @Test
    void killedDuringABacklogAndFailedOverEveryVersionLandsExactlyOnce() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(BACKLOG)
                .withLatency(Duration.ofMillis(10)));
             InboundTopics topics = new InboundTopics(EmbeddedKafkaExtension.bootstrapServers(), "crash")) {
            Map<String, String> settings = topics.settings(EmbeddedKafkaExtension.bootstrapServers(), sandbox.lectronzBaseUrl());
            settings.put("lectronz.page-size", "50");
            settings.put("lectronz.concurrency", "2");
            // two instances: one polls, the other waits to take over
            BridgeProcess a = BridgeProcess.start(settings);
            BridgeProcess b = BridgeProcess.start(settings);
            try {
                a.awaitStarted();
                b.awaitStarted();
                awaitAtLeast(topics, 300);
                BridgeProcess leader = leaderOf(a, b);
                BridgeProcess standby = leader == a ? b : a;
                leader.kill9();
                int atKill = topics.read().size();
                assertTrue(atKill < BACKLOG, "killed in the middle of the backlog (" + atKill + ")");
                // the standby takes over within 30 s of the death
                Awaitility.await("standby takes over").atMost(Duration.ofSeconds(30))
                        .until(() -> leads(standby));
                awaitAtLeast(topics, atKill + 200);
                standby.kill9();
                assertTrue(topics.read().size() < BACKLOG, "killed again in the middle of the backlog");
                try (BridgeProcess c = BridgeProcess.start(settings).awaitStarted()) {
                    Awaitility.await("the rest published").atMost(Duration.ofSeconds(60))
                            .until(() -> topics.read().size() >= BACKLOG);
                    InboundTopics.awaitListCalls(sandbox, 2); // a late duplicate would show now
                }
                List<InboundTopics.Rec> recs = topics.read();
                Set<String> ceIds = new HashSet<>();
                for (InboundTopics.Rec r : recs) {
                    assertTrue(ceIds.add(r.ceId()), "published twice: " + r.ceId());
                }
                for (LectronzMessage m : sandbox.messages()) {
                    assertTrue(ceIds.contains("lectronz-message-" + m.id() + "-" + m.updatedAtText()), "missing " + m.id());
                }
                assertEquals(BACKLOG, recs.size());
            } finally {
                a.close();
                b.close();
            }
        }
    }

    private static void awaitAtLeast(InboundTopics topics, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> topics.read().size() >= n);
    }

    private static boolean leads(BridgeProcess p) throws Exception {
        String log = p.log();
        return log.lastIndexOf("now leads lectronz-poller") > log.lastIndexOf("no longer leads lectronz-poller");
    }

    private static BridgeProcess leaderOf(BridgeProcess a, BridgeProcess b) throws Exception {
        boolean aLeads = leads(a);
        boolean bLeads = leads(b);
        assertTrue(aLeads ^ bLeads, "exactly one instance polls");
        return aLeads ? a : b;
    }
}
