package org.voxmorph.engine;

import org.voxmorph.audio.FloatRingBuffer;

/**
 * Keeps the output ring near its target fill when the input and output devices run on different
 * clocks. Without it a 0.1% faster microphone adds 48 frames a second at 48 kHz to the output
 * ring: a growing delay and in the end an overrun (a slower one: underruns). As PulseAudio's
 * loopback does, the engine's output is stretched by a ratio a fraction of a percent off 1, set by
 * a PI controller on the spare output the device finds when it comes to read (its "slack").
 *
 * <p>The loop is tuned as a critically damped second-order system. For its first
 * {@value #ACQUIRE_SECONDS} s it runs with a 10 s period, so that a clock error is caught before the
 * slack it costs reaches a late block; then with a 40 s period, slow enough that the steps the slack
 * takes as the two devices' periods slide past each other move the pitch by a fraction of a cent.
 * Runs on the engine worker only.
 */
public final class DriftCorrector {
    /** The largest stretch applied: 0.5%, about 9 cents of pitch, far beyond real clock errors. */
    public static final double MAX_CORRECTION = 0.005;
    private static final double ACQUIRE_PERIOD_SECONDS = 10;
    private static final double TRACK_PERIOD_SECONDS = 40;
    private static final double ACQUIRE_SECONDS = 30;
    /** The slack is smoothed over a twentieth of the loop's period, which costs it little phase margin. */
    private static final double SMOOTHING_FRACTION = 0.05;

    private final DeviceBridge bridge;
    private final RateResampler resampler;
    private final float[] stretched;
    private final double sampleRate;
    private long seenWindows;
    private double smoothedSlack = Double.NaN;
    private double elapsedSeconds;
    /** The integral term, kept as a ratio so that changing the gain does not make the ratio jump. */
    private double integralRatio;
    private volatile double ratio = 1;

    /**
     * @param targetSlackFrames spare output frames wanted when the device reads: the safety margin
     *                          against late blocks, and all the latency the output ring adds; the
     *                          bridge raises it a step after each late block or xrun and
     *                          lowers it back after a quiet spell
     */
    public DriftCorrector(DeviceBridge bridge, RateResampler resampler, int maxHopFrames, int targetSlackFrames) {
        this.bridge = bridge;
        this.resampler = resampler;
        this.stretched = new float[resampler.maxOutput(maxHopFrames)];
        bridge.keepInReserve(targetSlackFrames);
        this.sampleRate = bridge.sampleRate();
    }

    /**
     * 5 ms: the bridge's 2 ms crossfade reserve plus 3 ms for the devices' scheduling jitter and the
     * slack's excursions while the controller absorbs a clock error.
     */
    public static int defaultTargetSlack(int sampleRate) {
        return (int) Math.round(0.005 * sampleRate);
    }

    /** Output frames per input frame now applied; above 1 when the output device runs faster. */
    public double ratio() {
        return ratio;
    }

    /** The slack aimed at: the bridge's reserve, which grows after upsets and shrinks after quiet. */
    public double targetSlackFrames() {
        return bridge.reserveFrames();
    }

    int maxOutput(int hop) {
        return resampler.maxOutput(hop);
    }

    /** Engine worker: stretches one processed hop into the output ring. */
    void write(float[] hop, int n, FloatRingBuffer output) {
        updateRatio();
        int m = resampler.process(hop, n, ratio, stretched);
        output.write(stretched, 0, m);
    }

    private void updateRatio() {
        long windows = bridge.slackWindows();
        if (windows == seenWindows) {
            return;
        }
        seenWindows = windows;
        double dt = bridge.slackWindowSeconds();
        double slack = bridge.lastWindowSlack();
        elapsedSeconds += dt;
        double period = elapsedSeconds < ACQUIRE_SECONDS ? ACQUIRE_PERIOD_SECONDS : TRACK_PERIOD_SECONDS;
        double a = Math.min(1, dt / (SMOOTHING_FRACTION * period));
        smoothedSlack = Double.isNaN(smoothedSlack) ? slack : smoothedSlack + a * (slack - smoothedSlack);
        double error = smoothedSlack - bridge.reserveFrames();
        double omega = 2 * Math.PI / period;
        double kp = 2 * omega / sampleRate;
        double ki = omega * omega / sampleRate;
        double step = ki * error * dt;
        // Integrate only while not pinned at a limit, so the controller does not wind up.
        if (Math.abs(integralRatio + step + kp * error) < MAX_CORRECTION) {
            integralRatio += step;
        }
        ratio = Math.max(1 - MAX_CORRECTION, Math.min(1 + MAX_CORRECTION, 1 - kp * error - integralRatio));
    }
}
