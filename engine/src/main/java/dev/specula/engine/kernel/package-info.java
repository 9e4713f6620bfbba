/**
 * SIMD compute kernels of the engine: weight matrices, element-wise vector math and the thread pool.
 *
 * <h2>Entry points</h2>
 * {@link dev.specula.engine.kernel.WeightMatrices#load} turns a GGUF tensor's bytes into a
 * {@link dev.specula.engine.kernel.WeightMatrix}; {@code multiply} applies it to k activation rows at
 * once; {@link dev.specula.engine.kernel.VectorMath} holds the element-wise helpers of the forward
 * pass; {@link dev.specula.engine.kernel.Parallel} splits output rows across threads, and
 * {@link dev.specula.engine.kernel.MatMulJob} hands several products of the same input (Wq, Wk, Wv) to it
 * as one job, reused every forward so the token loop allocates nothing.
 *
 * <h2>Layouts (chosen at load time)</h2>
 * <ul>
 *   <li><b>F32</b>: the mapped tensor bytes, used in place. <b>F16, BF16</b>: widened once to an
 *       off-heap F32 copy.</li>
 *   <li><b>Q4_0, Q4_1, Q4_K, Q2_K, Q3_K</b> ({@code Nibble4Matrix}): unsigned
 *       4-bit values, half a byte per weight, contiguous per row in chunks of two vectors (byte j of a
 *       chunk = weight j | weight L+j &lt;&lt; 4, L = float lanes), plus {@code float[]} scale and min per
 *       group; signed offsets (-8 of Q4_0, -4 of Q3_K) are folded into the min.</li>
 *   <li><b>Q5_0, Q5_1, Q8_0, Q5_K, Q6_K, IQ4_NL, IQ4_XS</b> ({@code Int8GroupMatrix}):
 *       signed int8 quants, one byte per weight, contiguous per row, plus a {@code float[]} scale per
 *       group and, for Q5_1/Q5_K, a min per group.</li>
 *   <li>Groups are 32 weights (16 for Q2_K, Q3_K, Q6_K); {@code w = scale * q + min} reproduces
 *       llama.cpp's reference dequantization exactly ({@code dequantizeRow} is bit-exact to
 *       {@code dev.specula.gguf.Dequantize}): 6-bit K-quant scales, the IQ4 code book and the
 *       -8/-16/-32 offsets are all resolved at load time. Repacked data is off-heap
 *       ({@code Arena.ofAuto()}, counted against {@code -XX:MaxDirectMemorySize}).</li>
 * </ul>
 *
 * <h2>Kernel shape</h2>
 * Two output rows per pass share every activation load; a weight vector is widened from bytes and
 * dequantized once ({@code fma(q, scale, min)}) and then applied to a tile of activation rows (tiles
 * of 8, then one of 6 for 5 or 6 remaining rows, in the quantized layouts with 512-bit vectors and their
 * 32 registers; then tiles of 4 and one of 3, 2 or 1 for the rest, so padding is at most one row per
 * wide tile and none otherwise: each padded row costs a full FMA stream). With 16 float lanes the 4-bit layout dequantizes by a permute
 * instead: a group's 16 possible weights {@code fma(u, scale, min)} fill one vector once per chunk and
 * {@code selectFrom} picks each weight from it (same bits as converting and fma-ing every weight, about
 * a fifth less time at k = 1); each
 * (activation row, output row) pair owns one vector accumulator that runs over the row in column
 * order, and ends with one fixed-order lane sum ({@code KernelSpecies.sumLanes}). Species are
 * {@code SPECIES_PREFERRED}-derived {@code static final}s (16, 8 or 4 float lanes), never a fixed
 * width; the byte species is chosen so one byte load widens to exactly one float vector.
 *
 * <h2>Invariant</h2>
 * The value computed for (activation row r, output row i) is bit-identical whatever k, r's position
 * in the batch, the output-row range and the thread count: work is split across threads only over
 * output rows, short activation tiles and odd last rows are padded by repeating a row (same
 * operations, stored twice), and the horizontal sum is an explicit tree rather than
 * {@code reduceLanes(ADD)}, whose float order is unspecified and was observed to differ between JIT
 * compilations of the same kernel. Results differ (within F32 rounding) between vector widths.
 */
package dev.specula.engine.kernel;
