package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.voxmorph.chain.StreamSpec;

class RvcVoiceTest {

    @ParameterizedTest
    @ValueSource(strings = {"rvc-wokada-f0-fp16", "rvc-wokada-nof0-fp32", "rvc-official-f0-fp32"})
    void convertsSpeechTheSameWhateverTheBlockSizes(String id) {
        int rate = 48000;
        float[] x = TestModels.toRate(TestModels.speech16k(1.2), rate);
        ModelProcessor p = TestModels.processor(id, rate);
        float[] a = TestModels.run(p, x, 4096, 1);
        p.reset();
        float[] b = TestModels.run(p, x, 97, 2);
        assertTrue(TestModels.maxAbsDiff(a, b) < 1e-4, id + ": block-size dependence " + TestModels.maxAbsDiff(a, b));
        double energy = 0;
        for (int i = p.latencySamples(); i < a.length; i++) {
            energy += a[i] * a[i];
        }
        assertTrue(energy / (a.length - p.latencySamples()) > 1e-4, id + ": the decoder's audio comes out");
        assertEquals((16 + 6) * 480, p.latencySamples(), "default block 160 ms + look-ahead 60 ms");
        assertTrue(p.stats().count() >= 5 && p.stats().medianMillis() > 0, "every block timed");
        p.close();
    }

    @Test
    void windowSettingsSetTheReportedLatency() {
        TestModels.useFixtures();
        ModelProcessor p = new ModelProcessor();
        p.parameters().get("model").setText("rvc-wokada-nof0-fp32");
        p.parameters().get("blockMs").set(100);
        p.parameters().get("lookaheadMs").set(80);
        p.prepare(new StreamSpec(44100, 512));
        assertEquals((10 + 8) * 441, p.latencySamples());
        assertEquals(100.0, p.stats().audioMillisPerCall(), 1e-9);
        p.close();
    }

    @Test
    void transpositionChangesThePitchInputs() {
        int rate = 48000;
        float[] x = TestModels.toRate(TestModels.speech16k(1.0), rate);
        ModelProcessor p = TestModels.processor("rvc-official-f0-fp32", rate);
        float[] plain = TestModels.run(p, x, 512, 1);
        p.parameters().get("pitch").set(12);
        p.prepare(new StreamSpec(rate, 4096));
        float[] up = TestModels.run(p, x, 512, 1);
        assertTrue(TestModels.maxAbsDiff(plain, up) > 1e-3, "an octave up must change the f0 model's output");
        p.close();
    }

    @Test
    void coarsePitchFollowsRvc() {
        assertEquals(1, RvcPitch.coarse(0));
        assertEquals(1, RvcPitch.coarse(50));
        assertEquals(255, RvcPitch.coarse(1100));
        assertEquals(255, RvcPitch.coarse(3000));
        double mel = 1127 * Math.log(1 + 200 / 700.0);
        double lo = 1127 * Math.log(1 + 50 / 700.0);
        double hi = 1127 * Math.log(1 + 1100 / 700.0);
        assertEquals(Math.rint((mel - lo) * 254 / (hi - lo) + 1), RvcPitch.coarse(200));
    }

    @Test
    void yinFindsTheToneOfASine() {
        float[] x = new float[16000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * 220 * i / 16000);
        }
        assertEquals(220, new YinPitch(100, 16, 20).pitchAt(x, x.length, 8000), 2);
    }

    @Test
    void crepeSalienceDecodesToTheWeightedPeak() {
        DirectTensor s = new DirectTensor(ai.onnxruntime.OnnxJavaType.FLOAT, new long[] {2, CrepePitch.BINS});
        for (int b = 0; b < CrepePitch.BINS; b++) {
            s.setFloat(b, (float) (0.9 * Math.exp(-0.5 * (b - 100.5) * (b - 100.5))));
            s.setFloat(CrepePitch.BINS + b, 0.05f);
        }
        double cents = 1997.3794084376191 + 20 * 100.5;
        assertEquals(10 * Math.pow(2, cents / 1200), CrepePitch.decode(s, 0), 0.2);
        assertEquals(0.0, CrepePitch.decode(s, CrepePitch.BINS), "below the voicing threshold");
        s.close();
    }

    @Test
    void aPackagePitchModelReplacesYin() {
        ModelProcessor p = TestModels.processor("rvc-official-f0-fp32", 48000);
        assertTrue(p.providerSummary().contains("pitch.onnx on CPU"), p.providerSummary());
        p.close();
    }

    @Test
    void aSpeakerTheModelLacksIsOneClearError() {
        TestModels.useFixtures();
        ModelProcessor p = new ModelProcessor();
        p.parameters().get("model").setText("rvc-official-f0-fp32");
        p.parameters().get("speaker").set(3);
        ModelException e = assertThrows(ModelException.class, () -> p.prepare(new StreamSpec(48000, 512)));
        assertTrue(e.getMessage().contains("rvc-official-f0-fp32") && e.getMessage().contains("0..0"), e.getMessage());
    }
}
