/**
 * Token selection from logits with llama.cpp's sampler-chain semantics
 * ({@link dev.specula.engine.sampling.SamplerConfig}, {@link dev.specula.engine.sampling.Sampler}):
 * logit bias, repetition/presence/frequency penalties, top-k, top-p, min-p, temperature, seeded draw.
 * {@code Sampler.distribution} exposes the full processed distribution for speculative sampling.
 */
package dev.specula.engine.sampling;
