package org.voxmorph.audio;

/**
 * Conversions between interleaved device samples and the engine's mono floats, for device threads:
 * plain loops over arrays the caller owns, no allocation.
 */
public final class Samples {
    private Samples() {}

    /** Little-endian signed 16-bit, {@code channels} interleaved, to mono (the channels' mean). */
    public static void s16leToMono(byte[] in, int frames, int channels, float[] out) {
        float scale = 1f / (32768f * channels);
        int b = 0;
        for (int i = 0; i < frames; i++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += (short) ((in[b] & 0xff) | (in[b + 1] << 8));
                b += 2;
            }
            out[i] = sum * scale;
        }
    }

    /** Mono to little-endian signed 16-bit on every channel, clipped. */
    public static void monoToS16le(float[] in, int frames, int channels, byte[] out) {
        int b = 0;
        for (int i = 0; i < frames; i++) {
            float v = Math.max(-1f, Math.min(1f, in[i]));
            int s = Math.round(v * 32767f);
            for (int c = 0; c < channels; c++) {
                out[b++] = (byte) s;
                out[b++] = (byte) (s >> 8);
            }
        }
    }
}
