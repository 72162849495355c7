package dev.toolhost.exec.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.toolhost.exec.ExitStatus;
import dev.toolhost.exec.OutputChunk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seq-ordering state machine alone: which events it delivers, and when it asks for a read. */
class ProcessSequencerTest {

    private final List<OutputChunk> delivered = new ArrayList<>();
    private final List<Long> reads = new ArrayList<>();
    private final List<ProcessSequencer.ReadReason> reasons = new ArrayList<>();
    private int gapTimers;
    private ExitStatus status;

    private final ProcessSequencer.Sink sink = new ProcessSequencer.Sink() {
        @Override
        public void deliver(OutputChunk chunk) {
            delivered.add(chunk);
        }

        @Override
        public void read(long afterSeq, ProcessSequencer.ReadReason reason) {
            reads.add(afterSeq);
            reasons.add(reason);
        }

        @Override
        public void armGapTimer() {
            gapTimers++;
        }

        @Override
        public void complete(ExitStatus exit) {
            status = exit;
        }
    };

    private final ProcessSequencer sequencer = new ProcessSequencer(sink, false, 8);

    private static RemoteProcessEvent out(long seq, String text) {
        return RemoteProcessEvent.output(seq, "stdout", text.getBytes(StandardCharsets.UTF_8));
    }

    private String text() {
        StringBuilder b = new StringBuilder();
        for (OutputChunk c : delivered) {
            b.append(
                    c.isLostMarker()
                            ? "[lost " + c.lostChunks() + "/" + c.lostBytes() + "]"
                            : new String(c.data(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Test
    void completeInOrderStreamCompletesWithoutReads() {
        sequencer.onEvent(out(1, "a"));
        sequencer.onEvent(out(2, "b"));
        sequencer.onEvent(RemoteProcessEvent.exited(3, 3, false));
        assertNull(status, "not complete before closed: late output may follow exited");
        sequencer.onEvent(RemoteProcessEvent.closed(4));
        assertEquals("ab", text());
        assertEquals(new ExitStatus(3, false, 0, null), status);
        assertTrue(reads.isEmpty());
    }

    @Test
    void reorderedAndDuplicatedEventsAreDeliveredOnceInOrder() {
        sequencer.onEvent(out(2, "b"));
        sequencer.onEvent(out(1, "a"));
        sequencer.onEvent(out(1, "a"));
        sequencer.onEvent(RemoteProcessEvent.closed(4));
        sequencer.onEvent(out(2, "b"));
        sequencer.onEvent(RemoteProcessEvent.exited(3, 0, true));
        assertEquals("ab", text());
        assertEquals(new ExitStatus(0, true, 0, null), status);
        assertTrue(reads.isEmpty());
    }

    @Test
    void aGapStillOpenWhenTheTimerFiresIsFilledByOneReadWithoutDuplicates() {
        sequencer.onEvent(out(1, "a"));
        sequencer.onEvent(out(4, "d"));
        assertEquals(1, gapTimers);
        sequencer.onGapTimer();
        assertEquals(List.of(1L), reads);
        sequencer.onEvent(out(5, "e"));
        sequencer.onReadReply(
                new ReadReply(List.of(out(2, "b"), out(3, "c"), out(4, "d")), 5, false, null, false, null, false));
        sequencer.onEvent(RemoteProcessEvent.exited(6, 0, false));
        sequencer.onEvent(RemoteProcessEvent.closed(7));
        assertEquals("abcde", text());
        assertEquals(0, status.exitCode());
        assertEquals(1, reads.size());
    }

    @Test
    void aLegacyExitTriggersExactlyOneReadThatDecidesTheDenial() {
        sequencer.onEvent(out(1, "denied"));
        sequencer.onEvent(RemoteProcessEvent.exited(2, 1, null));
        assertEquals(List.of(ProcessSequencer.ReadReason.LEGACY_EXIT), reasons);
        sequencer.onEvent(RemoteProcessEvent.closed(3));
        assertNull(status, "denial must be known before completion");
        sequencer.onReadReply(new ReadReply(List.of(), 4, true, 1, true, null, true));
        assertEquals(new ExitStatus(1, true, 0, null), status);
        assertEquals(1, reads.size());
        assertEquals("denied", text());
    }

    @Test
    void aLegacyReadWithoutDenialMeansNotDenied() {
        sequencer.onEvent(RemoteProcessEvent.exited(1, 1, null));
        sequencer.onReadReply(new ReadReply(List.of(), 2, true, 1, false, null, null));
        sequencer.onEvent(RemoteProcessEvent.closed(2));
        assertEquals(new ExitStatus(1, false, 0, null), status);
        assertEquals(1, reads.size());
    }

    @Test
    void evictedOutputBecomesOneLostMarkerAndTheExitTakesTheHighestHole() {
        sequencer.onEvent(out(1, "a"));
        sequencer.onEvent(RemoteProcessEvent.closed(9));
        sequencer.onGapTimer();
        // seqs 2..4 evicted, 5..7 retained, 8 was the exit (not a chunk), 9 closed
        sequencer.onReadReply(
                new ReadReply(List.of(out(5, "e"), out(6, "f"), out(7, "g")), 10, true, 0, true, null, false));
        assertEquals("a[lost 3/3]efg", text());
        assertEquals(new ExitStatus(0, false, 3, null), status);
    }

    @Test
    void lagDropsAreRecoveredAtOnceAndTheirSizesAreExact() {
        sequencer.onEvent(out(1, "a"));
        sequencer.onDropped(new ProcessSequencer.Dropped(2, RemoteProcessEvent.Kind.OUTPUT, 100));
        assertEquals(List.of(ProcessSequencer.ReadReason.LAG), reasons);
        assertEquals(List.of(1L), reads);
        // seq 2 was evicted before the read: its size is known from the dropped notification.
        sequencer.onReadReply(new ReadReply(List.of(out(3, "c")), 6, true, 0, true, null, false));
        assertEquals("a[lost 1/100]c", text());
        assertEquals(100, status.bytesLost());
    }

    @Test
    void finalReadModeReadsOnceBeforeCompleting() {
        ProcessSequencer withFinal = new ProcessSequencer(sink, true, 8);
        withFinal.onEvent(RemoteProcessEvent.exited(1, 0, false));
        withFinal.onEvent(RemoteProcessEvent.closed(2));
        assertNull(status);
        assertEquals(List.of(ProcessSequencer.ReadReason.FINAL), reasons);
        withFinal.onReadReply(new ReadReply(List.of(), 3, true, 0, true, null, false));
        assertEquals(new ExitStatus(0, false, 0, null), status);
    }

    @Test
    void aResumeReadsFromTheLastDeliveredSeq() {
        sequencer.onEvent(out(1, "a"));
        sequencer.onDisconnected();
        sequencer.onResumed();
        assertEquals(List.of(ProcessSequencer.ReadReason.RESUME), reasons);
        assertEquals(List.of(1L), reads);
        sequencer.onReadReply(new ReadReply(List.of(out(1, "a"), out(2, "b")), 5, true, 0, true, null, false));
        assertEquals("ab", text());
        assertFalse(status.sandboxDenied());
        assertEquals(0, status.bytesLost());
    }
}
