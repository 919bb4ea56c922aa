package io.marketplacebridge.outbound;

import java.time.Duration;

import io.marketplacebridge.testing.EmbeddedKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/** kill -9 twice while commands stream through: every command record still gets exactly one result. */
@ExtendWith(EmbeddedKafkaExtension.class)
class OutboundKillTest {

    @Test
    void exactlyOneResultPerCommandAcrossKillMinus9() throws Exception {
        KillScenario.Outcome o = KillScenario.run(300, 30, Duration.ofMillis(40));
        assertEquals(300, o.resultsPerSource().size(), "every command has a result");
        assertEquals(0, o.withSeveralResults(), "no command has two results: " + o.resultsPerSource());
        assertTrue(o.results().stream().allMatch(r -> "DELIVERED".equals(OutboundKafka.json(r.value()).get("status").asText())));
        assertEquals(300, o.sendsPerOrder().size(), "every command reached the remote");
        for (int atKill : o.resultsAtKills()) {
            assertTrue(atKill > 0 && atKill < 300, "the kill landed mid-stream: " + o.resultsAtKills() + " results at the kills");
        }
        assertTrue(o.resends() <= o.resendBound(), "re-sends " + o.resends() + " exceed what the killed instances had in flight ("
                + o.resendBound() + ")");
        System.out.println("OutboundKillTest: 300 commands, 2 x kill -9 at " + o.resultsAtKills() + " results; re-sends at the sandbox: "
                + o.resends() + " (bound " + o.resendBound() + ")");
    }
}
