package dev.specula.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {
    @Test
    void holdsBackAPossibleStartAndDropsTheStopString() {
        StopStrings s = new StopStrings(List.of("<|im_end|>"));
        assertEquals("hello ", s.push("hello <|im"));
        assertFalse(s.stopped());
        assertEquals("", s.push("_en"));
        assertEquals("", s.push("d|> and more"));
        assertTrue(s.stopped());
        assertEquals("", s.push("ignored"));
        assertEquals("", s.flush());
    }

    @Test
    void aFalseStartIsReleased() {
        StopStrings s = new StopStrings(List.of("<|im_end|>"));
        assertEquals("a ", s.push("a <|i"));
        assertEquals("<|ix", s.push("x"));
        assertEquals("tail<", s.push("tail<") + s.flush());
        assertFalse(s.stopped());
    }

    @Test
    void theEarliestOfSeveralStopsWins() {
        StopStrings s = new StopStrings(ChatSession.CHATML_STOPS);
        assertEquals("x", s.push("x<|im_start|>user<|im_end|>"));
        assertTrue(s.stopped());
    }

    @Test
    void noStopsPassesEverything() {
        StopStrings s = new StopStrings(List.of());
        assertEquals("<|im_end|>", s.push("<|im_end|>"));
        assertThrows(IllegalArgumentException.class, () -> new StopStrings(List.of("")));
    }
}
