package org.voxmorph.chain;

import java.util.function.IntUnaryOperator;

/** Runs a signal through a prepared processor in blocks of chosen sizes, as an engine would. */
public final class BlockRunner {
    private BlockRunner() {}

    /**
     * @param sizes block size for each block index (at most {@code maxBlock})
     * @return the processed signal, as long as {@code x}
     */
    public static float[] run(Processor p, float[] x, int maxBlock, IntUnaryOperator sizes) {
        AudioBlock block = new AudioBlock(maxBlock);
        float[] out = new float[x.length];
        for (int pos = 0, b = 0; pos < x.length; b++) {
            int n = Math.min(x.length - pos, sizes.applyAsInt(b));
            System.arraycopy(x, pos, block.samples(), 0, n);
            block.setFrames(n);
            p.process(block);
            System.arraycopy(block.samples(), 0, out, pos, n);
            pos += n;
        }
        return out;
    }
}
