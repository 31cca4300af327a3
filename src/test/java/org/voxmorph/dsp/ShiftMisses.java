package org.voxmorph.dsp;

/**
 * Where the frames off target fall, for the README's account of the misses: each frame Praat finds
 * voiced in the source is counted as lost (unvoiced in the output) or, when off target, by where
 * it is and what the output did there. Run like {@link ShiftComparison}:
 * {@code ShiftMisses RATE SHIFTS UTTERANCES [METHOD]}; every miss is listed on stderr.
 */
public final class ShiftMisses {
    private static final String[] SPEAKERS = {"p225", "p226", "p227", "p228"};
    /** Frames from the start or end of a voiced stretch (in the source) that count as its edge. */
    private static final int EDGE = 5;

    private ShiftMisses() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        String method = args.length > 3 ? args[3] : "voxmorph";
        String[] names = {"first 50 ms of a voiced stretch", "last 50 ms", "source track jumps (> 20 % to a neighbour)",
            "output at the original pitch", "output an octave off the target", "other", "lost voicing: at an edge",
            "lost voicing: inside"};
        for (String s : args[1].split(",")) {
            double semitones = Double.parseDouble(s);
            double ratio = Math.pow(2, semitones / 12);
            int[] count = new int[names.length];
            int voiced = 0;
            for (String speaker : SPEAKERS) {
                for (String utterance : args[2].split(",")) {
                    float[] in = Speech.vctk(speaker, utterance);
                    if (rate != 16000) {
                        in = Resampler.resample(in, 16000, rate);
                    }
                    float[][] out = new float[1][];
                    double delay = ShiftComparison.run(method, in, rate, semitones, out) / (double) rate;
                    ShiftQuality.Track source = ShiftQuality.praat(in, rate, 75, 600);
                    ShiftQuality.Track shifted = ShiftQuality.praat(out[0], rate, 75 * Math.min(1, ratio), 600 * Math.max(1, ratio));
                    double[] f = source.hz();
                    for (int i = 0; i < f.length; i++) {
                        if (f[i] <= 0) {
                            continue;
                        }
                        voiced++;
                        int since = 0;
                        while (i - since - 1 >= 0 && f[i - since - 1] > 0) {
                            since++;
                        }
                        int until = 0;
                        while (i + until + 1 < f.length && f[i + until + 1] > 0) {
                            until++;
                        }
                        double g = shifted.at(source.time(i) + delay);
                        if (g <= 0) {
                            count[since < EDGE || until < EDGE ? 6 : 7]++;
                            continue;
                        }
                        double error = 12 * Math.log(g / (f[i] * ratio)) / Math.log(2);
                        if (Math.abs(error) <= 3) {
                            continue;
                        }
                        double before = i > 0 ? f[i - 1] : 0;
                        double after = i + 1 < f.length ? f[i + 1] : 0;
                        int kind;
                        if (since < EDGE) {
                            kind = 0;
                        } else if (until < EDGE) {
                            kind = 1;
                        } else if (before > 0 && Math.abs(Math.log(before / f[i])) > 0.2
                                || after > 0 && Math.abs(Math.log(after / f[i])) > 0.2) {
                            kind = 2;
                        } else if (Math.abs(12 * Math.log(g / f[i]) / Math.log(2)) <= 1) {
                            kind = 3;
                        } else if (Math.abs(Math.abs(error) - 12) <= 2) {
                            kind = 4;
                        } else {
                            kind = 5;
                        }
                        count[kind]++;
                        System.err.printf("%s %s %+.0f st t=%.2f s, %d frames into a stretch, %d before its end: source %.0f Hz, "
                                + "output %.0f Hz (%+.1f st off): %s%n", speaker, utterance, semitones, source.time(i), since, until, f[i],
                                g, error, names[kind]);
                    }
                }
            }
            StringBuilder line = new StringBuilder(String.format("%s %+.0f st at %d Hz, %d source-voiced frames:", method,
                    semitones, rate, voiced));
            for (int k = 0; k < names.length; k++) {
                line.append(String.format(" %s %d;", names[k], count[k]));
            }
            System.out.println(line);
        }
    }
}
