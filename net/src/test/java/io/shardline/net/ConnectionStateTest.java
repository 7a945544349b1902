package io.shardline.net;

import static io.shardline.net.ConnectionState.BOTH_SHUT;
import static io.shardline.net.ConnectionState.CLOSED;
import static io.shardline.net.ConnectionState.CLOSING;
import static io.shardline.net.ConnectionState.INPUT_CLOSED;
import static io.shardline.net.ConnectionState.INPUT_CLOSED_OUTPUT_SHUTTING;
import static io.shardline.net.ConnectionState.OPEN;
import static io.shardline.net.ConnectionState.OUTPUT_SHUT;
import static io.shardline.net.ConnectionState.OUTPUT_SHUTTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every state against every event: the legal transitions land where the lifecycle says, and every
 * other pair throws. The expectations are written out here as tables, not derived from the enum.
 */
class ConnectionStateTest {

    private static Map<ConnectionState, ConnectionState> table(ConnectionState... fromTo) {
        Map<ConnectionState, ConnectionState> m = new EnumMap<>(ConnectionState.class);
        for (int i = 0; i < fromTo.length; i += 2) {
            m.put(fromTo[i], fromTo[i + 1]);
        }
        return m;
    }

    private static void assertTransitions(String event, UnaryOperator<ConnectionState> apply,
                                          Map<ConnectionState, ConnectionState> legal) {
        for (ConnectionState from : ConnectionState.values()) {
            if (legal.containsKey(from)) {
                assertEquals(legal.get(from), apply.apply(from), event + " from " + from);
            } else {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> apply.apply(from),
                        event + " from " + from + " must be refused");
                assertTrue(e.getMessage().contains(from.name()), e.getMessage());
            }
        }
    }

    @Test
    void thePeersFinEndsTheInputWhereInputIsStillOpen() {
        assertTransitions("input end", ConnectionState::inputEnded, table(
                OPEN, INPUT_CLOSED,
                OUTPUT_SHUTTING, INPUT_CLOSED_OUTPUT_SHUTTING,
                OUTPUT_SHUT, BOTH_SHUT));
    }

    @Test
    void anOutputShutdownIsAskedForOnlyWhileWritesAreAccepted() {
        assertTransitions("output shutdown request", ConnectionState::outputShutdownRequested, table(
                OPEN, OUTPUT_SHUTTING,
                INPUT_CLOSED, INPUT_CLOSED_OUTPUT_SHUTTING));
    }

    @Test
    void theOutputIsShutOnlyAfterItWasAskedFor() {
        assertTransitions("output shut", ConnectionState::outputShut, table(
                OUTPUT_SHUTTING, OUTPUT_SHUT,
                INPUT_CLOSED_OUTPUT_SHUTTING, BOTH_SHUT));
    }

    @Test
    void closeIsAskedForOnceFromAnyOpenState() {
        assertTransitions("close request", ConnectionState::closeRequested, table(
                OPEN, CLOSING,
                INPUT_CLOSED, CLOSING,
                OUTPUT_SHUTTING, CLOSING,
                OUTPUT_SHUT, CLOSING,
                INPUT_CLOSED_OUTPUT_SHUTTING, CLOSING,
                BOTH_SHUT, CLOSING));
    }

    @Test
    void anyStateButClosedCanClose() {
        assertTransitions("close", ConnectionState::closed, table(
                OPEN, CLOSED,
                INPUT_CLOSED, CLOSED,
                OUTPUT_SHUTTING, CLOSED,
                OUTPUT_SHUT, CLOSED,
                INPUT_CLOSED_OUTPUT_SHUTTING, CLOSED,
                BOTH_SHUT, CLOSED,
                CLOSING, CLOSED));
    }

    private static void assertHolds(String what, Predicate<ConnectionState> query,
                                    Set<ConnectionState> where) {
        for (ConnectionState s : ConnectionState.values()) {
            assertEquals(where.contains(s), query.test(s), what + " in " + s);
        }
    }

    @Test
    void eachStateSaysWhatItAllows() {
        assertHolds("reads input", ConnectionState::readsInput, EnumSet.of(OPEN, OUTPUT_SHUTTING, OUTPUT_SHUT));
        assertHolds("accepts writes", ConnectionState::acceptsWrites, EnumSet.of(OPEN, INPUT_CLOSED));
        assertHolds("shuts output when drained", ConnectionState::shutsOutputWhenDrained,
                EnumSet.of(OUTPUT_SHUTTING, INPUT_CLOSED_OUTPUT_SHUTTING));
        assertHolds("closes when drained", ConnectionState::closesWhenDrained, EnumSet.of(CLOSING));
        assertHolds("is open", ConnectionState::isOpen, EnumSet.complementOf(EnumSet.of(CLOSED)));
    }

    @Test
    void aFullHalfCloseFromEitherSideEndsInBothShut() {
        assertEquals(BOTH_SHUT, OPEN.inputEnded().outputShutdownRequested().outputShut());
        assertEquals(BOTH_SHUT, OPEN.outputShutdownRequested().outputShut().inputEnded());
        assertEquals(BOTH_SHUT, OPEN.outputShutdownRequested().inputEnded().outputShut());
    }
}
