package dev.specula.decoding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specula.engine.model.AttentionMask;
import dev.specula.engine.sampling.Sampler;
import dev.specula.engine.sampling.SamplerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** AUTO's per-step choice: the policy's exact schedule, the contextual first choices, and exactness under sampling. */
class AutoStrategyTest {
    static final int V = ToyStrategyTest.V;
    static final ToyModel TARGET = ToyStrategyTest.TARGET;
    static final ToyModel DRAFT = ToyStrategyTest.DRAFT;

    @Test
    void modelledArmsAreChosenByValueWithTiesToTheEarlierArm() {
        AutoPolicy p = new AutoPolicy(false, false, false);
        assertEquals(1, p.choose(new double[] {1.05, 2.3, 1.4}));
        assertEquals(2, p.choose(new double[] {1.05, 1.0, 1.4}));
        assertEquals(0, p.choose(new double[] {1.05, 1.05, Double.NaN}), "tie: the earlier arm");
        assertEquals(2, p.choose(new double[] {Double.NaN, Double.NaN, 0.5}), "unavailable arms are skipped");
        assertEquals(0, p.choose(new double[] {Double.NaN, Double.NaN, Double.NaN}), "nothing known: the first modelled arm");
        assertEquals(2.3, p.bestModelled(new double[] {1.05, 2.3, Double.NaN}));
        assertTrue(Double.isNaN(p.bestModelled(new double[] {Double.NaN, Double.NaN, Double.NaN})));
    }

    @Test
    void aLosingMeasuredArmIsProbedWithDoublingGaps() {
        // arms: AR (modelled), LOOKUP (modelled), ADED (measured, worth 1 token per unit of cost where lookup promises 2)
        AutoPolicy p = new AutoPolicy(false, false, true);
        double[] values = {1.05, 2.0, Double.NaN};
        List<Long> probes = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            int arm = p.choose(values);
            if (arm == 2) probes.add(p.steps());
            else assertEquals(1, arm, "between probes the best modelled arm plays");
            p.record(arm, arm == 2 ? 1.0 : Double.NaN, p.bestModelled(values));
        }
        // first probe at step 16, then gaps 64, 128, 256, 512, 1024 (capped)
        assertEquals(List.of(16L, 80L, 208L, 464L, 976L, 2000L), probes);
        assertEquals(0.5, p.advantage(2), "1 token per unit where lookup promised 2");
        assertEquals(AutoPolicy.MAX_GAP, p.gap(2));
    }

    @Test
    void aMeasuredArmThatBeatsTheModelledOnesIsPlayedAndReprobedSoon() {
        AutoPolicy p = new AutoPolicy(false, true);
        double[] values = {1.05, Double.NaN};
        for (int i = 1; i < AutoPolicy.FIRST_PROBE; i++) assertEquals(0, p.choose(values));
        assertEquals(1, p.choose(values), "first probe");
        p.record(1, 3.0, p.bestModelled(values));
        assertEquals(3.0 / 1.05, p.advantage(1), 1e-12);
        assertEquals(AutoPolicy.MIN_GAP, p.gap(1));
        assertEquals(1, p.choose(values), "measured 3.0 beats AR's 1.05");
        p.record(1, 0.5, p.bestModelled(values)); // a bad step: advantage 0.7 * 3/1.05 + 0.3 * 0.5/1.05 = 2.25/1.05
        assertEquals(2.25 / 1.05, p.advantage(1), 1e-12);
        assertEquals(1, p.choose(values));
        p.record(1, 0.0, p.bestModelled(values)); // 1.575 / 1.05
        p.record(1, 0.0, p.bestModelled(values)); // 1.1025 / 1.05
        p.record(1, 0.0, p.bestModelled(values)); // 0.77175 / 1.05: now AR is better
        assertEquals(0, p.choose(values));
    }

    @Test
    void aMeasuredArmIsJudgedAgainstTheContextItWasMeasuredIn() {
        // ADED measured 2.2 tokens per unit during a long lookup match worth 4: it lost there (advantage 0.55), so it
        // is not played in a context where the best modelled arm promises only 1.2, although 2.2 > 1.2 in absolute terms
        AutoPolicy p = new AutoPolicy(false, false, true);
        double[] matched = {1.05, 4.0, Double.NaN}, unmatched = {1.05, 1.2, Double.NaN};
        for (int i = 1; i < AutoPolicy.FIRST_PROBE; i++) p.record(p.choose(matched), Double.NaN, 4.0);
        assertEquals(2, p.choose(matched), "first probe");
        p.record(2, 2.2, p.bestModelled(matched));
        assertEquals(0.55, p.advantage(2), 1e-12);
        assertEquals(1, p.choose(unmatched));
        assertEquals(0.55 * 1.2, p.value(2, unmatched), 1e-12);
        // measured 1.8 where the best modelled arm promised 1.2 (advantage 1.5): played in the next context too
        AutoPolicy q = new AutoPolicy(false, false, true);
        for (int i = 1; i < AutoPolicy.FIRST_PROBE; i++) q.record(q.choose(unmatched), Double.NaN, 1.2);
        assertEquals(2, q.choose(unmatched));
        q.record(2, 1.8, q.bestModelled(unmatched));
        assertEquals(2, q.choose(unmatched));
        assertEquals(AutoPolicy.MIN_GAP, q.gap(2));
    }

    /** A fresh state after {@code prompt}, the target cache prefilled (all but the last token). */
    private static DecodeState state(int[] prompt, int maxNew) {
        DecodingSequence seq = TARGET.newSequence(TARGET.contextLength());
        int n = prompt.length - 1;
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) positions[i] = i;
        seq.forward(Arrays.copyOf(prompt, n), positions, AttentionMask.causal(n), new int[0]);
        return new DecodeState(TARGET, seq, new Sampler(SamplerConfig.greedy(), V), true, DecodingOptions.defaults(), prompt, maxNew,
                null, new ForwardCost());
    }

    private static AutoStrategy auto(List<ToyModel> drafts) {
        return (AutoStrategy) Strategies.create(StrategyKind.AUTO, TARGET, new ArrayList<>(drafts), SamplerConfig.greedy(),
                DecodingOptions.defaults(), new TreeVerifier());
    }

    /**
     * seed, the target's greedy continuation g of it, then g's first 10 tokens again: the text ends in a 10-token
     * match whose continuation (the rest of g) is exactly what greedy decoding produces next, since the toy model
     * only looks at the last three tokens.
     */
    static int[] repeatingPrompt() {
        int[] seed = {3, 11, 5};
        int[] g = Generator.builder().target(TARGET).build().generate(seed, 20, null).ids();
        int[] p = Arrays.copyOf(seed, seed.length + g.length + 10);
        System.arraycopy(g, 0, p, seed.length, g.length);
        System.arraycopy(g, 0, p, seed.length + g.length, 10);
        return p;
    }

    @Test
    void firstStepFollowsTheContext() {
        // with the priors alone (nothing measured yet): a long context match makes lookup worth more than the draft
        // model (lookup alpha 0.85 for a 10-token match vs draft alpha 0.7), no match leaves the draft model
        int[] repeating = repeatingPrompt();
        AutoStrategy a = auto(List.of(DRAFT));
        DecodeState st = state(repeating, 40);
        a.begin(st, 0);
        a.step(st);
        assertEquals(1, a.plays(StrategyKind.LOOKUP), a.detail());
        assertTrue(st.count - repeating.length > 1, "a long match should commit several tokens at once");
        int[] expected = Generator.builder().target(TARGET).build().generate(repeating, st.count - repeating.length, null).ids();
        assertArrayEquals(expected, Arrays.copyOfRange(st.tokens, repeating.length, st.count));

        int[] fresh = {1, 2, 3, 4, 5, 6, 7, 8}; // no token occurs twice: lookup has nothing to draft
        AutoStrategy b = auto(List.of(DRAFT));
        DecodeState st2 = state(fresh, 40);
        b.begin(st2, 0);
        b.step(st2);
        assertEquals(1, b.plays(StrategyKind.SPECULATIVE), b.detail());

        AutoStrategy c = auto(List.of()); // no draft model: an AR step beats a lookup step without a draft
        DecodeState st3 = state(fresh, 40);
        c.begin(st3, 0);
        c.step(st3);
        assertEquals(1, c.plays(StrategyKind.AR), c.detail());
        assertEquals(fresh.length + 1, st3.count);
    }

    @Test
    void lookupLearnsFromStepsOfOtherArms() {
        int[] repeating = repeatingPrompt();
        LookupStrategy lookup = new LookupStrategy(TARGET, DecodingOptions.defaults(), new TreeVerifier());
        DecodeState st = state(repeating, 40);
        lookup.begin(st, 0);
        int bucket = LookupStrategy.bucket(10);
        double prior = lookup.alpha(bucket);
        assertEquals(0.85, prior);
        lookup.plan(st);
        new ArStrategy(new TreeVerifier()).step(st); // another arm commits the next token: the target's own choice
        lookup.learn(st, repeating.length);
        // the draft's first token is the repeated text's next token, which greedy AR also picks: one success in one
        // trial, on top of the prior (worth 2 trials)
        assertEquals((prior * 2 + 1) / (2 + 1), lookup.alpha(bucket), 1e-12);
        lookup.learn(st, repeating.length);
        assertEquals((prior * 2 + 1) / (2 + 1), lookup.alpha(bucket), 1e-12, "a plan is learnt from once");
    }

    @Test
    void mixedSpeculativeAndLookupStepsSampleTheTargetDistribution() {
        SamplerConfig sc = new SamplerConfig(0.8f, 8, 0.98f, 0.01f, 1f, 0f, 0f, 64, Map.of(), 19);
        // no token repeats: lookup has nothing to draft, so a fresh AUTO (priors only) lets the draft model make the first
        // step (gamma 1: the budget of 2 tokens leaves one draft); when that draft is rejected, the second step has no
        // budget left for drafts and lookup, the earlier arm, makes it as a plain step
        int[] prompt = {2, 7, 1, 9, 4};
        double[] exact = ToyExact.joint(ToyExact.of(TARGET, sc), V, prompt, 2);
        DecodingOptions options = DecodingOptions.builder().draftMax(4).autoArms(List.of(StrategyKind.LOOKUP, StrategyKind.SPECULATIVE))
                .seed(5).build();
        long[] counts = new long[exact.length];
        long speculativeSteps = 0, lookupSteps = 0;
        for (int s = 0; s < 20_000; s++) {
            Generator g = Generator.builder().target(TARGET).draftModels(List.of(DRAFT)).strategy(StrategyKind.AUTO)
                    .sampler(sc.withSeed(1000 + s)).options(options).build();
            GenerationResult r = g.generate(prompt, 2, null);
            counts[ToyExact.index(r.ids(), V, 2)]++;
            speculativeSteps += plays(r.stats().detail(), "SPECULATIVE");
            lookupSteps += plays(r.stats().detail(), "LOOKUP");
        }
        double pValue = GoodnessOfFit.pValue(exact, counts);
        assertTrue(pValue > 0.01, "AUTO (speculative then lookup) sampling: chi-square p-value " + pValue);
        assertEquals(20_000, speculativeSteps);
        assertTrue(lookupSteps > 1000, "the draft should often be rejected, leaving a lookup step: " + lookupSteps);
    }

    private static long plays(String detail, String kind) {
        Matcher m = Pattern.compile(kind + " x(\\d+)").matcher(detail);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
