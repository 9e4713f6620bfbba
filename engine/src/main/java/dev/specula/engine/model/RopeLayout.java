package dev.specula.engine.model;

/** How rotary position embedding pairs up the dimensions of a head. */
public enum RopeLayout {
    /** llama.cpp {@code LLAMA_ROPE_TYPE_NORM}: adjacent pairs (2i, 2i+1) (GGUF llama, llama2.c). */
    NORMAL,
    /** llama.cpp {@code LLAMA_ROPE_TYPE_NEOX}: half-split pairs (i, i + d/2) (qwen2, qwen3, HF rotate_half). */
    NEOX
}
