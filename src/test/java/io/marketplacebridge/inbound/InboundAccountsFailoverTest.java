package io.marketplacebridge.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Lectronz stores (one base URL, three tokens) on two bridge instances: the accounts spread two and one, and
 * after a kill -9 of the instance polling two of them, the other takes them over. Every (account, id, updated_at)
 * lands exactly once, as a read_committed consumer sees it.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class InboundAccountsFailoverTest {

    /** Messages per store. */
    private static final int PER_STORE = 1000;
    private static final List<String> ACCOUNTS = List.of("shop-a", "shop-b", "shop-c");

    @Test
    void threeAccountsOnTwoInstancesSpreadAndFailOverWithinThirtySecondsExactlyOnce(@TempDir Path dir) throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxOptions.defaults(0).withSeedMessages(0)
                .withLatency(Duration.ofMillis(20)));
             InboundTopics topics = new InboundTopics(EmbeddedKafkaExtension.bootstrapServers(), "accounts")) {
            Map<String, Sandbox.Store> stores = new LinkedHashMap<>();
            stores.put("shop-a", sandbox.lectronzStore());
            stores.put("shop-b", sandbox.addLectronzStore("token-b"));
            stores.put("shop-c", sandbox.addLectronzStore("token-c"));
            Path accountsFile = dir.resolve("accounts.yaml");
            Files.writeString(accountsFile, """
                    accounts:
                      shop-a:
                        lectronz: { api-token: "sandbox-lectronz-token" }
                      shop-b:
                        lectronz: { api-token: "token-b" }
                      shop-c:
                        lectronz: { api-token: "token-c" }
                    """);
            Map<String, String> settings = topics.settings(EmbeddedKafkaExtension.bootstrapServers(), sandbox.lectronzBaseUrl());
            settings.put("bridge.accounts-file", accountsFile.toString());
            settings.put("lectronz.page-size", "50");
            settings.put("lectronz.concurrency", "2");
            BridgeProcess a = BridgeProcess.start(settings);
            BridgeProcess b = BridgeProcess.start(settings);
            try {
                a.awaitStarted();
                b.awaitStarted();
                // the accounts spread: two on one instance, one on the other, none on both
                Awaitility.await("accounts spread over both instances").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(200)).until(() -> {
                            Set<String> onA = led(a);
                            Set<String> onB = led(b);
                            return onA.size() + onB.size() == 3 && !onA.isEmpty() && !onB.isEmpty()
                                    && new HashSet<>(ACCOUNTS).equals(union(onA, onB));
                        });
                BridgeProcess two = led(a).size() == 2 ? a : b;
                BridgeProcess one = two == a ? b : a;
                Set<String> moving = led(two);

                // the backlog appears now, at every store
                stores.values().forEach(s -> s.seedMessages(PER_STORE));
                Awaitility.await("a part of the backlog published").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(50)).until(() -> topics.read().size() >= 600);
                two.kill9();
                long killedAt = System.nanoTime();
                int atKill = topics.read().size();
                assertTrue(atKill < 3 * PER_STORE, "killed in the middle of the backlog (" + atKill + ")");

                Awaitility.await("the survivor polls every account").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(100)).until(() -> led(one).containsAll(moving));
                double failoverSeconds = (System.nanoTime() - killedAt) / 1e9;
                System.out.printf("FAILOVER %s moved in %.1f s after kill -9 (%d of %d records published at the kill)%n",
                        moving, failoverSeconds, atKill, 3 * PER_STORE);
                assertTrue(failoverSeconds <= 30, "failover took " + failoverSeconds + " s");

                Awaitility.await("the whole backlog published").atMost(Duration.ofSeconds(180))
                        .pollInterval(Duration.ofMillis(200)).until(() -> topics.read().size() >= 3 * PER_STORE);
                InboundTopics.awaitListCalls(sandbox, 6); // two more polls of every account: a late duplicate shows now

                Map<String, InboundTopics.Rec> seen = new HashMap<>();
                for (InboundTopics.Rec r : topics.read()) {
                    String account = r.headers().get("marketplace-account");
                    assertEquals(sandbox.lectronzBaseUrl() + "#" + account, r.headers().get("ce_source"));
                    assertNull(seen.put(account + "/" + r.ceId(), r), "published twice: " + account + "/" + r.ceId());
                }
                for (Map.Entry<String, Sandbox.Store> store : stores.entrySet()) {
                    for (LectronzMessage m : store.getValue().messages()) {
                        assertTrue(seen.containsKey(store.getKey() + "/" + InboundTopics.ceId(m)),
                                "missing " + store.getKey() + "/" + m.id());
                    }
                }
                assertEquals(3 * PER_STORE, seen.size());
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /** The accounts the process leads now, from its log. */
    private static Set<String> led(BridgeProcess p) throws Exception {
        String log = p.log();
        Set<String> led = new HashSet<>();
        for (String account : ACCOUNTS) {
            String ns = "lectronz-poller-" + account + " ";
            if (log.lastIndexOf("now leads " + ns) > log.lastIndexOf("no longer leads " + ns)) {
                led.add(account);
            }
        }
        return led;
    }

    private static Set<String> union(Set<String> x, Set<String> y) {
        Set<String> all = new HashSet<>(x);
        all.addAll(y);
        return all;
    }
}
