package io.marketplacebridge.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Lectronz messages. Ids and {@code created_at} both only grow, so the list in creation order is also
 * the list sorted by (created_at, id): a page is an index range read backwards, O(limit), with no sorting.
 * Every method holds the lock only for in-memory work (never during latency or hangs).
 */
final class LectronzStore {

    /** Spacing of seeded messages in the past, so the demo history looks like real days of trading. */
    private static final Duration SEED_SPACING = Duration.ofMinutes(7);
    private static final Duration SEED_READ_AFTER = Duration.ofMinutes(3);

    private static final String[] PRODUCTS = {"ESP32-C6 dev board", "USB-C PD trigger", "LoRa 868 MHz module",
        "mechanical keyboard PCB", "RP2040 stamp", "CAN bus shield", "e-paper badge", "soldering kit"};
    private static final String[] QUESTIONS = {
        "Hi! When will my %s ship? I need it before the weekend.",
        "Hello, the %s arrived but one pin header is bent, see the photo.",
        "Does the %s come with the enclosure shown in the listing?",
        "Could you send me the invoice for the %s with my company VAT number?",
        "Is the %s compatible with 3.3 V logic?"};
    private static final String[] ANSWERS = {
        "Thanks for your order! It ships tomorrow morning with tracking.",
        "Sorry about that, a replacement is on its way today.",
        "Yes, the enclosure is included in the box.",
        "Of course, the invoice is attached to your order page now.",
        "Yes, all I/O is 3.3 V; the board has its own regulator."};
    private static final String[] FOLLOW_UPS = {"Great, thank you!", "Got it, works perfectly now.",
        "Any update on the tracking number?", "Thanks, that helps a lot."};
    static final String[] DEMO_QUESTIONS = {"Hi, any news about my order?", "Can I still change the shipping address?",
        "Do you ship to Norway?", "Is there a datasheet for this board?", "Could you combine shipping with my "
        + "other order?", "The tracking link says 'label created' since two days, is it on its way?"};

    private final List<LectronzMessage> byCreation = new ArrayList<>();
    private final Map<Long, Integer> positionById = new HashMap<>();
    private final List<Long> createdViaApi = new ArrayList<>();
    private final List<Long> seededOrders = new ArrayList<>();
    private long nextId;
    private long nextOrderId = 10001;
    private long lastMillis;

    LectronzStore(long firstMessageId) {
        this.nextId = firstMessageId;
    }

    record Page(int total, List<LectronzMessage> newestFirst) {
    }

    synchronized Page page(int limit, int offset) {
        int total = byCreation.size();
        List<LectronzMessage> items = new ArrayList<>(Math.max(0, Math.min(limit, total - offset)));
        for (int i = total - 1 - offset; i >= 0 && items.size() < limit; i--) {
            items.add(byCreation.get(i));
        }
        return new Page(total, items);
    }

    synchronized Optional<LectronzMessage> find(long id) {
        Integer at = positionById.get(id);
        return at == null ? Optional.empty() : Optional.of(byCreation.get(at));
    }

    synchronized List<LectronzMessage> all() {
        return List.copyOf(byCreation);
    }

    synchronized List<LectronzMessage> createdViaApi() {
        return createdViaApi.stream().map(id -> byCreation.get(positionById.get(id))).toList();
    }

    synchronized List<Long> seededOrders() {
        return List.copyOf(seededOrders);
    }

    synchronized LectronzMessage add(String type, long orderId, String content, LectronzMessage.Attachment attachment) {
        return append(type, orderId, content, attachment, now(), null);
    }

    synchronized LectronzMessage createViaApi(long orderId, String content) {
        LectronzMessage m = add(LectronzMessage.SELLER, orderId, content, null);
        createdViaApi.add(m.id());
        return m;
    }

    /** Sets {@code read_at} and bumps {@code updated_at}; a message already read is returned unchanged. */
    synchronized Optional<LectronzMessage> markRead(long id) {
        return find(id).map(m -> m.readAt() != null ? m : replace(m.withRead(after(m.updatedAt()))));
    }

    /** Bumps {@code updated_at} only, as an edit on the marketplace side would. */
    synchronized Optional<LectronzMessage> touch(long id) {
        return find(id).map(m -> replace(m.withUpdatedAt(after(m.updatedAt()))));
    }

    /**
     * {@code n} messages spread over new orders, oldest first: a buyer question (some with a photo), the seller's
     * answer, then follow-ups; every fourth order also gets a refund message with a credit note.
     */
    synchronized List<LectronzMessage> seed(int n) {
        if (n <= 0) {
            return List.of();
        }
        int orders = Math.max(1, (n + 2) / 3);
        long firstOrder = nextOrderId;
        nextOrderId += orders;
        for (int o = 0; o < orders; o++) {
            seededOrders.add(firstOrder + o);
        }
        // an empty store gets a history in the past; later seeds continue from the clock
        long start = byCreation.isEmpty()
                ? System.currentTimeMillis() - (n + 1) * SEED_SPACING.toMillis() : lastMillis + 1;
        long spacing = byCreation.isEmpty() ? SEED_SPACING.toMillis() : 1;
        List<LectronzMessage> seeded = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int orderIndex = k % orders;
            int step = k / orders;
            long orderId = firstOrder + orderIndex;
            String product = PRODUCTS[(int) (orderId % PRODUCTS.length)];
            Instant created = stamp(start + k * spacing);
            boolean answered = n > orders + orderIndex; // this order gets a seller answer later
            LectronzMessage m;
            if (step == 0) {
                LectronzMessage.Attachment photo = orderIndex % 3 == 1 ? new LectronzMessage.Attachment(
                        "https://lectronz.com/uploads/messages/" + orderId + "/photo.jpg", "photo.jpg", "image/jpeg")
                        : null;
                Instant readAt = answered ? created.plus(SEED_READ_AFTER) : null;
                m = append(LectronzMessage.CUSTOMER, orderId,
                        String.format(QUESTIONS[orderIndex % QUESTIONS.length], product), photo, created, readAt);
            } else if (step == 1) {
                m = append(LectronzMessage.SELLER, orderId, ANSWERS[orderIndex % ANSWERS.length], null, created, null);
            } else if (step == 2 && orderIndex % 4 == 3) {
                m = append(LectronzMessage.REFUND, orderId, "A refund of 12.50 EUR was issued for this order.",
                        new LectronzMessage.Attachment("https://lectronz.com/uploads/refunds/" + orderId
                                + "/credit-note.pdf", "credit-note-" + orderId + ".pdf", "application/pdf"),
                        created, null);
            } else {
                String type = step % 2 == 0 ? LectronzMessage.CUSTOMER : LectronzMessage.SELLER;
                String text = type.equals(LectronzMessage.CUSTOMER)
                        ? FOLLOW_UPS[(orderIndex + step) % FOLLOW_UPS.length] : "You're welcome, happy hacking!";
                m = append(type, orderId, text, null, created, null);
            }
            seeded.add(m);
        }
        return seeded;
    }

    /** A buyer question on a random seeded order (the dev demo timer). */
    synchronized LectronzMessage addDemoQuestion() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long orderId = seededOrders.isEmpty() ? nextOrderId++ : seededOrders.get(random.nextInt(seededOrders.size()));
        if (seededOrders.isEmpty()) {
            seededOrders.add(orderId);
        }
        return add(LectronzMessage.CUSTOMER, orderId, DEMO_QUESTIONS[random.nextInt(DEMO_QUESTIONS.length)], null);
    }

    private LectronzMessage append(String type, long orderId, String content, LectronzMessage.Attachment attachment,
                                   Instant created, Instant readAt) {
        LectronzMessage m = new LectronzMessage(nextId++, type, orderId, content, attachment, created,
                readAt != null ? readAt : created, readAt);
        positionById.put(m.id(), byCreation.size());
        byCreation.add(m);
        return m;
    }

    private LectronzMessage replace(LectronzMessage changed) {
        byCreation.set(positionById.get(changed.id()), changed);
        return changed;
    }

    /** Now, strictly after every timestamp handed out before: creation order is time order. */
    private Instant now() {
        return stamp(System.currentTimeMillis());
    }

    private Instant stamp(long candidateMillis) {
        lastMillis = Math.max(candidateMillis, lastMillis + 1);
        return Instant.ofEpochMilli(lastMillis);
    }

    /** A new updated_at: now, and strictly later than the previous one. */
    private Instant after(Instant previous) {
        return stamp(Math.max(System.currentTimeMillis(), previous.toEpochMilli() + 1));
    }
}
