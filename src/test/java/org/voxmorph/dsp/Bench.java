package org.voxmorph.dsp;

import java.util.*;

public final class Bench {
    interface S { void set(double r, double f); void run(float[] x); int lat(); }

    static S psola(double rate) {
        PsolaPitchShifter p = new PsolaPitchShifter(rate);
        return new S() {
            public void set(double r, double f) { p.reset(); p.setShift(r, f); }
            public void run(float[] x) { for (int i = 0; i < x.length; i += 160) p.process(x, i, Math.min(160, x.length - i)); }
            public int lat() { return p.latencySamples(); }
        };
    }

    static S pv(double rate) {
        PhaseVocoderPitchShifter p = new PhaseVocoderPitchShifter(rate);
        return new S() {
            public void set(double r, double f) { p.reset(); p.setShift(r, f); }
            public void run(float[] x) { for (int i = 0; i < x.length; i += 160) p.process(x, i, Math.min(160, x.length - i)); }
            public int lat() { return p.latencySamples(); }
        };
    }
    static String W;
    static S make(double rate) { return W.equals("psola") ? psola(rate) : pv(rate); }

    static float[] pad(float[] x, int n) { return Arrays.copyOf(x, x.length + n); }

    public static void main(String[] a) throws Exception {
        String which = a[0];
        double rate = 16000;
        W = which; S s = make(rate);
        String[] spk = {"p225", "p226", "p227", "p228"};
        String[] utt = {"003", "008"};
        for (int st : new int[] {-12, -5, 5, 12}) {
            StringBuilder sb = new StringBuilder("st " + st + ":");
            for (String sp : spk) for (String u : utt) {
                float[] in = Speech.vctk(sp, u);
                float[] y = pad(in, s.lat());
                s.set(Math.pow(2, st / 12.0), 1);
                s.run(y);
                List<Double> r = Measure.pitchRatios(in, y, s.lat(), rate);
                double target = Math.pow(2, st / 12.0);
                int near = 0; for (double v : r) if (Math.abs(v / target - 1) < 0.03) near++;
                sb.append(String.format(" %s/%s %.4f(%.0f%%)", sp, u, Measure.median(r) / target, 100.0 * near / r.size()));
            }
            System.out.println(sb);
        }
        for (double[] sf : new double[][] {{7, 1}, {0, 1.2}, {0, 0.85}, {-5, 1}}) {
            StringBuilder sb = new StringBuilder("st " + sf[0] + " f " + sf[1] + ":");
            for (String sp : spk) {
                float[] in = Speech.vctk(sp, "003");
                float[] y = pad(in, s.lat());
                s.set(Math.pow(2, sf[0] / 12.0), sf[1]);
                s.run(y);
                double[] fr = Measure.formantRatios(in, y, s.lat(), rate);
                sb.append(String.format(" %s F1 %.3f F2 %.3f (n=%.0f)", sp, fr[0], fr[1], fr[2]));
            }
            System.out.println(sb);
        }
        // identity error
        {
            float[] in = Speech.vctk("p226", "003");
            float[] y = pad(in, s.lat()); s.set(1, 1); s.run(y);
            double e = 0, p = 0;
            for (int i = 0; i < in.length; i++) { double d = y[i + s.lat()] - in[i]; e += d * d; p += in[i] * in[i]; }
            System.out.printf("identity SNR %.1f dB%n", 10 * Math.log10(p / e));
        }
        // clicks
        for (double rr : new double[] {16000, 48000}) {
            S c = make(rr);
            Random rnd = new Random(1);
            int n = (int) (rr * 7); float[] x = new float[n]; List<Integer> cl = new ArrayList<>();
            for (int t = (int) (0.2 * rr); t < n - 0.3 * rr; t += (int) ((0.15 + 0.1 * rnd.nextDouble()) * rr)) { x[t] = 0.8f; cl.add(t); }
            c.set(Math.pow(2, -4 / 12.0), 0.85); c.run(x);
            System.out.printf("click @%.0f: lat %d (%.2f ms) median offset %.1f%n", rr, c.lat(), 1000.0 * c.lat() / rr,
                Measure.clickOffset(x, cl.stream().mapToInt(Integer::intValue).toArray(), (int) (0.1 * rr)));
        }
        // sine jumps
        for (double st : new double[] {-5, 5}) {
            double r = Math.pow(2, st / 12.0);
            S c = make(rate);
            float[] x = new float[(int) rate * 2];
            for (int i = 0; i < x.length; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 180 * i / rate));
            c.set(r, 1); c.run(x);
            double mj = 0, peak = 0;
            for (int i = (int) rate / 2; i < x.length; i++) { mj = Math.max(mj, Math.abs(x[i] - x[i - 1])); peak = Math.max(peak, Math.abs(x[i])); }
            double expect = peak * 2 * Math.PI * 180 * r / rate;
            System.out.printf("sine180 st %.0f: max jump %.4f expected-for-clean-sine %.4f peak %.3f%n", st, mj, expect, peak);
        }
        // white noise modulation
        {
            S c = make(rate); Random rnd = new Random(2);
            float[] x = new float[(int) rate * 3]; for (int i = 0; i < x.length; i++) x[i] = (float) (0.1 * rnd.nextGaussian());
            c.set(Math.pow(2, 5 / 12.0), 1.2); c.run(x);
            double inR = 0; for (int i = 0; i < x.length; i++) {}
            // envelope modulation: rms in 1 ms frames, coefficient of variation
            int w = 16; List<Double> rms = new ArrayList<>();
            for (int i = (int) rate; i + w < x.length; i += w) { double e = 0; for (int j = 0; j < w; j++) e += x[i + j] * x[i + j]; rms.add(Math.sqrt(e / w)); }
            double m = rms.stream().mapToDouble(d -> d).average().orElse(0);
            double v = rms.stream().mapToDouble(d -> (d - m) * (d - m)).average().orElse(0);
            System.out.printf("noise +5/1.2: out rms %.4f (in 0.1), 1ms-rms CV %.3f%n", m, Math.sqrt(v) / m);
        }
        // RTF at 48k
        {
            float[] sp = Speech.resample(Speech.vctk("p226", "003"), 16000, 48000);
            int secs = 60; float[] x = new float[48000 * secs];
            for (int i = 0; i < x.length; i++) x[i] = sp[i % sp.length];
            S c = make(48000); c.set(Math.pow(2, 5 / 12.0), 1.1);
            c.run(Arrays.copyOf(x, 48000 * 5));
            long t0 = System.nanoTime(); c.run(x); long t1 = System.nanoTime();
            System.out.printf("RTF48k %.4f%n", (t1 - t0) / 1e9 / secs);
        }
    }
}
