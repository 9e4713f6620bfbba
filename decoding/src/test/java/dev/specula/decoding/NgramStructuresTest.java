package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.sampling.SamplerConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drafters' data structures: prompt lookup, tri-gram table (and its file), n-gram pool, draft tree. */
class NgramStructuresTest {
    @TempDir
    Path dir;

    @Test
    void promptLookupDraftsTheContinuationOfTheEarliestLongestMatch() {
        int[] tokens = {1, 2, 3, 4, 5, 9, 2, 3, 7, 8, 1, 2, 3};
        int[] out = new int[4];
        // suffix (1,2,3) occurs at 0 -> continuation 4 5 9 2
        assertEquals(4, PromptLookup.draft(tokens, tokens.length, 3, 4, out));
        assertArrayEquals(new int[] {4, 5, 9, 2}, out);
        // with max n-gram 2 the key (2,3) first occurs at 1 -> same continuation
        assertEquals(2, PromptLookup.draft(tokens, tokens.length, 2, 2, out));
        assertArrayEquals(new int[] {4, 5}, Arrays.copyOf(out, 2));
        // suffix that never occurred earlier
        int[] fresh = {1, 2, 3, 6};
        assertEquals(0, PromptLookup.draft(fresh, fresh.length, 3, 4, out));
        // a match whose continuation runs into the key itself is shortened to the text that exists
        int[] run = {7, 7, 7};
        assertEquals(1, PromptLookup.draft(run, run.length, 2, 5, out));
        assertEquals(7, out[0]);
    }

    @Test
    void trigramTableCountsCapsAndEvicts() {
        TrigramTable t = new TrigramTable();
        t.addAll(new int[] {1, 2, 3, 1, 2, 3, 1, 2, 4}, 0, 9, 1f);
        int slot = t.find(1, 2);
        assertTrue(slot >= 0);
        assertEquals(2, t.successorCount(slot));
        assertEquals(3, t.successorToken(slot, t.bestSuccessor(slot)));
        assertEquals(3f, t.totalWeight(slot));
        assertEquals(-1, t.find(4, 4));
        t.add(9, 9, 1, 0.04f, 0.1f);
        t.add(9, 9, 1, 0.04f, 0.1f);
        t.add(9, 9, 1, 0.04f, 0.1f);
        assertEquals(0.1f, t.successorWeight(t.find(9, 9), 0), 1e-7);
        for (int c = 0; c < TrigramTable.MAX_SUCCESSORS; c++) t.add(5, 5, c, 2f, 100f);
        t.add(5, 5, 99, 1f, 100f); // lighter than all: ignored
        t.add(5, 5, 98, 3f, 100f); // heavier: replaces one
        int s5 = t.find(5, 5);
        assertEquals(TrigramTable.MAX_SUCCESSORS, t.successorCount(s5));
        assertEquals(98, t.successorToken(s5, t.bestSuccessor(s5)));
        // growth keeps every key
        for (int i = 0; i < 5000; i++) t.add(i % 100, i / 100, 7, 1f, 10f);
        for (int i = 0; i < 5000; i++) assertTrue(t.find(i % 100, i / 100) >= 0);
    }

    @Test
    void trigramTableFileRoundTripsAndRejectsDamage() throws IOException {
        TrigramTable t = new TrigramTable();
        t.addAll(new int[] {1, 2, 3, 1, 2, 4, 5, 6, 7}, 0, 9, 1f);
        Path f = dir.resolve("cache.ngrams");
        t.save(f);
        TrigramTable back = TrigramTable.load(f, 16);
        assertEquals(t.size(), back.size());
        int slot = back.find(1, 2);
        assertEquals(2f, back.totalWeight(slot));
        byte[] bytes = Files.readAllBytes(f);

        Path truncated = dir.resolve("truncated");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 3));
        assertTrue(assertThrows(NgramCacheFormatException.class, () -> TrigramTable.load(truncated, 16)).getMessage().contains("truncated"));

        Path badMagic = dir.resolve("magic");
        byte[] m = bytes.clone();
        m[0] = 'X';
        Files.write(badMagic, m);
        assertTrue(assertThrows(NgramCacheFormatException.class, () -> TrigramTable.load(badMagic, 16)).getMessage().contains("magic"));

        Path hugeCount = dir.resolve("count");
        byte[] h = bytes.clone();
        ByteBuffer.wrap(h).putInt(8, Integer.MAX_VALUE);
        Files.write(hugeCount, h);
        assertTrue(assertThrows(NgramCacheFormatException.class, () -> TrigramTable.load(hugeCount, 16)).getMessage().contains("key count"));

        // ids beyond the model's vocabulary: a cache made for another model
        assertTrue(assertThrows(NgramCacheFormatException.class, () -> TrigramTable.load(f, 4)).getMessage().contains("vocabulary"));
    }

    @Test
    void lookupCacheFileIsCreatedReusedAndStaysLossless() {
        Path cache = dir.resolve("lookup.ngrams");
        ToyModel target = ToyStrategyTest.TARGET;
        DecodingOptions options = DecodingOptions.builder().lookupCache(cache).draftMax(4).build();
        Generator ar = Generator.builder().target(target).build();
        Generator first = Generator.builder().target(target).strategy(StrategyKind.LOOKUP).options(options).build();
        int[] prompt = {1, 2, 3};
        int[] expected = ar.generate(prompt, 40, null).ids();
        assertArrayEquals(expected, first.generate(prompt, 40, null).ids());
        assertTrue(Files.isRegularFile(cache), "the cache file was not written");
        // a second run adds the same text again: its tri-grams now have the 2 observations a cache draft needs
        assertArrayEquals(expected, first.generate(prompt, 40, null).ids());
        // a new generator loads the cache: drafts now come from the previous runs' text
        Generator second = Generator.builder().target(target).strategy(StrategyKind.LOOKUP).options(options).build();
        GenerationResult r = second.generate(prompt, 40, null);
        assertArrayEquals(expected, r.ids());
        assertTrue(r.stats().acceptedDrafts() > 0, r.stats().summary());
        assertTrue(r.stats().detail().contains("cache-drafted steps"), r.stats().detail());
    }

    @Test
    void corruptLookupCacheIsRefusedWithTheFileName() throws IOException {
        Path cache = dir.resolve("broken.ngrams");
        Files.write(cache, new byte[] {1, 2, 3});
        DecodingOptions options = DecodingOptions.builder().lookupCache(cache).build();
        RuntimeException e = assertThrows(RuntimeException.class, () -> Generator.builder().target(ToyStrategyTest.TARGET)
                .strategy(StrategyKind.LOOKUP).options(options).build());
        assertTrue(e.getMessage().contains(cache.toString()), e.getMessage());
    }

    @Test
    void ngramPoolDeduplicatesAndRecyclesOldestEntries() {
        NgramPool pool = new NgramPool(10, 2, 2);
        pool.add(new int[] {1, 2, 3}, 0);
        pool.add(new int[] {1, 2, 3}, 0);
        assertEquals(1, pool.count(1));
        pool.add(new int[] {1, 4, 5}, 0);
        pool.add(new int[] {1, 6, 7}, 0); // replaces the oldest (2, 3)
        assertEquals(2, pool.count(1));
        assertEquals(6, pool.token(1, 0, 0));
        assertEquals(4, pool.token(1, 1, 0));
        assertEquals(0, pool.count(2));
    }

    @Test
    void ngramPoolKeepsRecencyOrderAndOffersTheTextsNgramsFirst() {
        NgramPool pool = new NgramPool(10, 3, 2);
        pool.add(new int[] {1, 2, 3}, 0);
        pool.add(new int[] {1, 4, 5}, 0, NgramPool.WINDOW);
        pool.add(new int[] {1, 6, 7}, 0);
        assertEquals(6, pool.token(1, 0, 0), "most recent first");
        assertEquals(4, pool.token(1, 1, 0));
        assertEquals(2, pool.token(1, 2, 0));
        int[] order = new int[3];
        assertEquals(3, pool.priorityOrder(1, order));
        assertArrayEquals(new int[] {0, 2, 1}, order, "text n-grams (6 7, then 2 3) before the window's (4 5)");
        // re-seeing an n-gram moves it to the front; seen in the text, the window's n-gram becomes a text one
        pool.add(new int[] {1, 4, 5}, 0);
        assertEquals(4, pool.token(1, 0, 0));
        assertEquals(NgramPool.TEXT, pool.origin(1, 0));
        pool.add(new int[] {1, 2, 3}, 0, NgramPool.WINDOW); // the window re-finds a text n-gram: still a text one
        assertEquals(2, pool.token(1, 0, 0));
        assertEquals(NgramPool.TEXT, pool.origin(1, 0));
        assertEquals(3, pool.count(1));
        assertEquals(3, pool.size());
        // a fourth n-gram evicts the least recent one (6 7)
        pool.add(new int[] {1, 8, 9}, 0, NgramPool.WINDOW);
        assertEquals(3, pool.count(1));
        for (int s = 0; s < 3; s++) assertTrue(pool.token(1, s, 0) != 6);
        assertEquals(8, pool.token(1, 0, 0));
        assertEquals(NgramPool.WINDOW, pool.origin(1, 0));
    }

    @Test
    void draftTreeMergesSharedPrefixes() {
        DraftTree t = new DraftTree(2);
        t.reset(9);
        assertEquals(3, t.addPath(new int[] {1, 2, 3}, 0, 3, 100));
        assertEquals(3, t.addPath(new int[] {1, 2, 4}, 0, 3, 100));
        assertEquals(1, t.addPath(new int[] {5, 6}, 0, 2, 6)); // node limit: only 5 fits
        assertEquals(6, t.size());
        assertEquals(3, t.maxDepth());
        int n1 = t.child(0, 1), n2 = t.child(n1, 2);
        assertTrue(t.child(n2, 3) > 0 && t.child(n2, 4) > 0);
        assertEquals(-1, t.child(0, 6));
        int[] parents = new int[t.size()];
        t.parentsInto(parents);
        for (int i = 1; i < parents.length; i++) assertTrue(parents[i] < i);
    }

    @Test
    void jacobiOutputDoesNotDependOnTheInitialGuesses() {
        ToyModel target = ToyStrategyTest.TARGET;
        int[] prompt = {2, 4, 6, 8};
        int[] expected = Generator.builder().target(target).build().generate(prompt, 40, null).ids();
        for (long seed = 1; seed <= 5; seed++) {
            Generator g = Generator.builder().target(target).strategy(StrategyKind.JACOBI).sampler(SamplerConfig.greedy())
                    .options(DecodingOptions.builder().seed(seed).jacobiBlock(6).build()).build();
            GenerationResult r = g.generate(prompt, 40, null);
            assertArrayEquals(expected, r.ids(), "seed " + seed);
            assertTrue(r.stats().targetForwards() <= 40);
        }
    }
}
