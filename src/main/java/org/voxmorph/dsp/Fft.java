package org.voxmorph.dsp;

/**
 * Complex discrete Fourier transform of any length: iterative radix-2 when the length is a power
 * of two, Bluestein's chirp-z otherwise (a one-second period at 44.1 kHz has no small factors).
 * Unscaled both ways: {@code inverse(forward(x)) = n * x}. Holds its own work arrays, so one
 * instance serves one thread; {@link #transform} does not allocate.
 */
public final class Fft {
    private final int n;
    private final int size;      // the power of two the radix-2 pass runs at: n itself, or >= 2n - 1 for Bluestein
    private final double[] cos;  // twiddles for size
    private final double[] sin;
    // Bluestein: chirp w_k = exp(-i pi k^2 / n), and the FFT of the zero-padded conjugate chirp.
    private final double[] chirpRe;
    private final double[] chirpIm;
    private final double[] kernelRe;
    private final double[] kernelIm;
    private final double[] workRe;
    private final double[] workIm;

    public Fft(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length " + n + " must be at least 1");
        }
        this.n = n;
        boolean powerOfTwo = Integer.bitCount(n) == 1;
        this.size = powerOfTwo ? n : Integer.highestOneBit(2 * n - 1) << 1;
        this.cos = new double[size / 2];
        this.sin = new double[size / 2];
        for (int i = 0; i < size / 2; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / size);
            sin[i] = Math.sin(2 * Math.PI * i / size);
        }
        if (powerOfTwo) {
            chirpRe = chirpIm = kernelRe = kernelIm = workRe = workIm = null;
            return;
        }
        chirpRe = new double[n];
        chirpIm = new double[n];
        for (int k = 0; k < n; k++) {
            // k^2 mod 2n keeps the angle exact for long transforms
            double angle = Math.PI * (int) ((long) k * k % (2L * n)) / n;
            chirpRe[k] = Math.cos(angle);
            chirpIm[k] = -Math.sin(angle);
        }
        kernelRe = new double[size];
        kernelIm = new double[size];
        for (int k = 0; k < n; k++) {
            kernelRe[k] = chirpRe[k];
            kernelIm[k] = -chirpIm[k];
            if (k > 0) {
                kernelRe[size - k] = chirpRe[k];
                kernelIm[size - k] = -chirpIm[k];
            }
        }
        radix2(kernelRe, kernelIm, false);
        workRe = new double[size];
        workIm = new double[size];
    }

    public int length() {
        return n;
    }

    /** In place: {@code X_k = sum_j x_j exp(-+ 2 pi i j k / n)}, the sign {@code +} when {@code inverse}. */
    public void transform(double[] re, double[] im, boolean inverse) {
        if (workRe == null) {
            radix2(re, im, inverse);
            return;
        }
        // The inverse is the conjugate of the forward transform of the conjugate.
        double sign = inverse ? -1 : 1;
        for (int k = 0; k < n; k++) {
            double xr = re[k];
            double xi = sign * im[k];
            workRe[k] = xr * chirpRe[k] - xi * chirpIm[k];
            workIm[k] = xr * chirpIm[k] + xi * chirpRe[k];
        }
        java.util.Arrays.fill(workRe, n, size, 0);
        java.util.Arrays.fill(workIm, n, size, 0);
        radix2(workRe, workIm, false);
        for (int k = 0; k < size; k++) {
            double ar = workRe[k];
            double ai = workIm[k];
            workRe[k] = ar * kernelRe[k] - ai * kernelIm[k];
            workIm[k] = ar * kernelIm[k] + ai * kernelRe[k];
        }
        radix2(workRe, workIm, true);
        for (int k = 0; k < n; k++) {
            double cr = workRe[k] / size;
            double ci = workIm[k] / size;
            re[k] = cr * chirpRe[k] - ci * chirpIm[k];
            im[k] = sign * (cr * chirpIm[k] + ci * chirpRe[k]);
        }
    }

    private void radix2(double[] re, double[] im, boolean inverse) {
        int m = size;
        for (int i = 1, j = 0; i < m; i++) {
            int bit = m >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j |= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= m; len <<= 1) {
            int half = len / 2;
            int stride = m / len;
            for (int start = 0; start < m; start += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * stride];
                    double wi = sign * sin[k * stride];
                    int a = start + k;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
