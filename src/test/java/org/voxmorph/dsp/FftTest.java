package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FftTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 512, 3, 7, 441, 1000})
    void matchesTheDefinitionAndInvertsBothWays(int n) {
        Random random = new Random(n);
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = random.nextGaussian();
            im[i] = random.nextGaussian();
        }
        double[] fr = re.clone();
        double[] fi = im.clone();
        Fft fft = new Fft(n);
        fft.transform(fr, fi, false);
        for (int k = 0; k < n; k++) {
            double sr = 0;
            double si = 0;
            for (int j = 0; j < n; j++) {
                double a = -2 * Math.PI * ((long) j * k % n) / n;
                sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
                si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
            }
            assertEquals(sr, fr[k], 1e-9 * n, "n = " + n + ", bin " + k + " (real)");
            assertEquals(si, fi[k], 1e-9 * n, "n = " + n + ", bin " + k + " (imaginary)");
        }
        fft.transform(fr, fi, true);
        for (int i = 0; i < n; i++) {
            assertEquals(re[i], fr[i] / n, 1e-9, "n = " + n + ", round trip at " + i);
            assertEquals(im[i], fi[i] / n, 1e-9, "n = " + n + ", round trip at " + i);
        }
    }
}
