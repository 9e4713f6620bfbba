/**
 * The llama-family transformer (GGUF architectures {@code llama}, {@code qwen2}, {@code qwen3}).
 *
 * <p>{@link dev.specula.engine.model.LlamaModel#load} maps a GGUF file, reads its
 * {@link dev.specula.engine.model.ModelConfig} and prepares the weights through the kernel package.
 * Each sequence gets a {@link dev.specula.engine.model.ModelSession} (KV cache + scratch):
 * {@code forward(tokens, positions, mask, logitRows)} appends rows that attend to the cached prefix and
 * to the new rows the {@link dev.specula.engine.model.AttentionMask} allows (causal chain, token tree, or
 * explicit), and returns logits only for the requested rows. {@code truncate}, {@code compact} (keep
 * one tree path) and {@code fork} manage the cache for speculative decoding. A row's logits are
 * bit-identical whether it is fed alone, in a batch, in a tree batch, or after compaction.
 */
package dev.specula.engine.model;
