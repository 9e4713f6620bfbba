package dev.specula.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Valid random tensor data of every {@link GgmlType}, for synthetic speed models and kernel property
 * tests: float types hold N(0, std) values; quantized types hold uniformly random quants and packed
 * sub-scales with finite fp16 super-scales chosen so the dequantized values have a standard deviation
 * of roughly {@code std} (each block's scale jittered by a factor in [0.5, 1.5)). Much faster than
 * quantizing random floats, and covers every bit pattern of the quant fields.
 */
public final class RandomBlocks {
    private RandomBlocks() {}

    /** Deterministic generator for a seed (same algorithm on every JVM). */
    public static RandomGenerator generator(long seed) {
        return RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    /** {@code elements} (a multiple of the block size) of random {@code type} data as a new array. */
    public static byte[] generate(GgmlType type, RandomGenerator rng, int elements, float std) {
        long bytes = type.bytesFor(elements);
        if (bytes < 0) throw new IllegalArgumentException(elements + " elements is not a multiple of the " + type + " block size " + type.blockSize);
        byte[] out = new byte[Math.toIntExact(bytes)];
        fill(type, rng, elements, std, MemorySegment.ofArray(out), 0);
        return out;
    }

    /**
     * Writes {@code elements} (a multiple of the block size) of random {@code type} data into
     * {@code dst} at byte {@code dstOffset}; {@code type.bytesFor(elements)} bytes are written.
     */
    public static void fill(GgmlType type, RandomGenerator rng, long elements, float std, MemorySegment dst, long dstOffset) {
        long bytes = type.bytesFor(elements);
        if (bytes < 0) throw new IllegalArgumentException(elements + " elements is not a multiple of the " + type + " block size " + type.blockSize);
        if (!(std > 0) || Float.isInfinite(std)) throw new IllegalArgumentException("std must be positive and finite, got " + std);
        if (dstOffset < 0 || dstOffset > dst.byteSize() - bytes)
            throw new IndexOutOfBoundsException(bytes + " bytes at offset " + dstOffset + " exceed the " + dst.byteSize() + "-byte destination");
        long blocks = elements / type.blockSize;
        for (long b = 0; b < blocks; b++) block(type, rng, std, dst, dstOffset + b * type.blockBytes);
    }

    /** A {@link TensorSource} producing {@code elements} random values of {@code type} from {@code seed}, chunk by chunk. */
    public static TensorSource source(GgmlType type, long seed, long elements, float std) {
        if (type.bytesFor(elements) < 0) throw new IllegalArgumentException(elements + " elements is not a multiple of the " + type + " block size " + type.blockSize);
        return out -> {
            RandomGenerator rng = generator(seed);
            long chunkBlocks = Math.max(1, TensorSource.CHUNK_BYTES / type.blockBytes);
            ByteBuffer buf = ByteBuffer.allocate((int) (chunkBlocks * type.blockBytes));
            MemorySegment seg = MemorySegment.ofBuffer(buf);
            long blocks = elements / type.blockSize;
            for (long done = 0; done < blocks; ) {
                long n = Math.min(chunkBlocks, blocks - done);
                fill(type, rng, n * type.blockSize, std, seg, 0);
                buf.clear().limit((int) (n * type.blockBytes));
                TensorSource.writeFully(out, buf);
                done += n;
            }
        };
    }

    private static void half(MemorySegment s, long at, float v) {
        s.set(Quantize.U16, at, Quantize.floatToHalf(v));
    }

    private static void randomBytes(RandomGenerator rng, MemorySegment s, long at, int n) {
        int i = 0;
        for (; i + 8 <= n; i += 8) s.set(ValueLayout.JAVA_LONG_UNALIGNED, at + i, rng.nextLong());
        if (i < n) {
            long r = rng.nextLong();
            for (; i < n; i++, r >>>= 8) s.set(ValueLayout.JAVA_BYTE, at + i, (byte) r);
        }
    }

    /**
     * One block. {@code d} = std / (rms of the quant values times the rms of the sub-scales), so the
     * dequantized values have about the requested spread; mins (where the type has them) are set so
     * the values are roughly centred on zero.
     */
    private static void block(GgmlType type, RandomGenerator rng, float std, MemorySegment s, long at) {
        float jitter = 0.5f + rng.nextFloat();
        float d;
        switch (type) {
            case F32 -> s.set(Quantize.F32, at, (float) (rng.nextGaussian() * std));
            case F16 -> half(s, at, (float) (rng.nextGaussian() * std));
            case BF16 -> s.set(Quantize.U16, at, Quantize.floatToBf16((float) (rng.nextGaussian() * std)));
            case Q4_0 -> { // (q - 8) uniform in -8..7: rms 4.6
                half(s, at, jitter * std / 4.6f);
                randomBytes(rng, s, at + 2, 16);
            }
            case Q4_1 -> { // q uniform 0..15 around its mean 7.5: rms 4.6
                d = jitter * std / 4.6f;
                half(s, at, d);
                half(s, at + 2, -7.5f * d);
                randomBytes(rng, s, at + 4, 16);
            }
            case Q5_0 -> { // (q - 16) uniform in -16..15: rms 9.2
                half(s, at, jitter * std / 9.2f);
                randomBytes(rng, s, at + 2, 20);
            }
            case Q5_1 -> {
                d = jitter * std / 9.2f;
                half(s, at, d);
                half(s, at + 2, -15.5f * d);
                randomBytes(rng, s, at + 4, 20);
            }
            case Q8_0 -> { // int8 uniform: rms 73.9
                half(s, at, jitter * std / 73.9f);
                randomBytes(rng, s, at + 2, 32);
            }
            case Q2_K -> { // 4-bit scales (mean 7.5) times 2-bit q (rms 1.1 around 1.5); dmin*m cancels d*sc*1.5 on average
                randomBytes(rng, s, at, 80);
                d = jitter * std / 8.4f;
                half(s, at + 80, d);
                half(s, at + 82, 1.5f * d);
            }
            case Q3_K -> { // 6-bit signed scales (rms 18.5) times q in -4..3 (rms 2.3)
                randomBytes(rng, s, at, 108);
                half(s, at + 108, jitter * std / 42f);
            }
            case Q4_K -> { // 6-bit scales (rms 36) times 4-bit q (rms 4.6 around 7.5)
                d = jitter * std / 166f;
                half(s, at, d);
                half(s, at + 2, 7.5f * d);
                randomBytes(rng, s, at + 4, 140);
            }
            case Q5_K -> { // 6-bit scales (rms 36) times 5-bit q (rms 9.2 around 15.5)
                d = jitter * std / 333f;
                half(s, at, d);
                half(s, at + 2, 15.5f * d);
                randomBytes(rng, s, at + 4, 172);
            }
            case Q6_K -> { // int8 scales (rms 73.9) times q in -32..31 (rms 18.5)
                randomBytes(rng, s, at, 208);
                half(s, at + 208, jitter * std / 1367f);
            }
            case IQ4_NL -> { // non-uniform levels: rms 66
                half(s, at, jitter * std / 66f);
                randomBytes(rng, s, at + 2, 16);
            }
            case IQ4_XS -> { // 6-bit signed scales (rms 18.5) times levels (rms 66)
                half(s, at, jitter * std / 1221f);
                randomBytes(rng, s, at + 2, 134);
            }
        }
    }
}
