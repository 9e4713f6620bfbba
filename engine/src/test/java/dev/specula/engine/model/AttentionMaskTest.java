package dev.specula.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AttentionMaskTest {
    private static String render(AttentionMask m) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < m.size(); i++) {
            for (int j = 0; j < m.size(); j++) b.append(m.allows(i, j) ? '1' : '.');
            b.append('/');
        }
        return b.toString();
    }

    @Test
    void causalSeesItselfAndEarlierRows() {
        assertEquals("1.../11../111./1111/", render(AttentionMask.causal(4)));
        assertTrue(AttentionMask.causal(4).isCausal());
        assertEquals(200, AttentionMask.causal(200).size());
        assertTrue(AttentionMask.causal(200).allows(199, 0));
        assertFalse(AttentionMask.causal(200).allows(0, 199));
    }

    @Test
    void treeSeesItselfAndItsAncestors() {
        // 0 ─ 1 ─ 3        4 is a second child of the prefix
        //  └─ 2
        AttentionMask m = AttentionMask.tree(new int[] {-1, 0, 0, 1, -1});
        assertEquals("1..../11.../1.1../11.1./....1/", render(m));
        assertTrue(m.isLowerTriangular());
        assertFalse(m.isCausal());
    }

    @Test
    void treeWiderThanOneWordOfBits() {
        int n = 130;
        int[] parents = new int[n];
        for (int i = 0; i < n; i++) parents[i] = i - 1; // a chain is the causal mask
        AttentionMask m = AttentionMask.tree(parents);
        AttentionMask c = AttentionMask.causal(n);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) assertEquals(c.allows(i, j), m.allows(i, j), i + "," + j);
    }

    @Test
    void explicitMaskAndItsChecks() {
        AttentionMask m = AttentionMask.of(new boolean[][] {{true, false}, {false, true}});
        assertEquals("1./.1/", render(m));
        assertTrue(m.isLowerTriangular());
        assertFalse(AttentionMask.of(new boolean[][] {{true, true}, {true, true}}).isLowerTriangular());
        assertThrows(IllegalArgumentException.class, () -> AttentionMask.of(new boolean[][] {{false}}));
        assertThrows(IllegalArgumentException.class, () -> AttentionMask.of(new boolean[][] {{true, false}, {true}}));
        assertThrows(IllegalArgumentException.class, () -> AttentionMask.tree(new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> AttentionMask.tree(new int[] {-1, 1}));
        assertThrows(IllegalArgumentException.class, () -> AttentionMask.tree(new int[] {-2}));
        assertThrows(IllegalArgumentException.class, () -> AttentionMask.causal(0));
        assertThrows(IndexOutOfBoundsException.class, () -> m.allows(2, 0));
    }
}
