package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamingVoiceTest {

    @Test
    void streamingOutputEqualsOneOfflineCallOfTheSameGraph() throws Exception {
        float[] x = TestModels.speech16k(2.0);
        int hop = 160;
        int frames = x.length / hop;
        float[] offline;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(Files.readAllBytes(TestModels.FIXTURES.resolve("stream-tiny/stream.onnx")),
                new OrtSession.SessionOptions());
                OnnxTensor audio = OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, frames * hop), new long[] {1, frames * hop});
                OnnxTensor speaker = OnnxTensor.createTensor(env, new long[] {1});
                OnnxTensor conv = OnnxTensor.createTensor(env, new float[1][24][2]);
                OnnxTensor gru = OnnxTensor.createTensor(env, new float[1][1][32]);
                OrtSession.Result r = s.run(Map.of("audio_in", audio, "speaker", speaker, "state_in_0", conv, "state_in_1", gru))) {
            offline = new float[frames * hop];
            ((OnnxTensor) r.get("audio_out").get()).getFloatBuffer().get(offline);
        }

        ModelProcessor p = TestModels.processor("stream-tiny", 16000);
        p.parameters().get("speaker").set(1);
        p.reset();
        float[] live = TestModels.run(p, x, 700, 1);
        int latency = p.latencySamples();
        assertEquals(hop, latency, "at the model's own rate the delay is one hop");
        double maxDiff = 0;
        double energy = 0;
        for (int i = 0; i + latency < x.length && i < offline.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(live[i + latency] - offline[i]));
            energy += offline[i] * offline[i];
        }
        assertTrue(energy > 1.0, "the graph produced sound");
        assertTrue(maxDiff < 1e-4, "streaming vs offline max difference " + maxDiff);
        assertTrue(p.stats().count() >= frames - 2, "one timed call per hop");
        p.close();
    }

    @Test
    void outputDoesNotDependOnBlockSizesAtTheEngineRate() {
        float[] x = TestModels.toRate(TestModels.speech16k(1.0), 48000);
        ModelProcessor p = TestModels.processor("stream-tiny", 48000);
        float[] a = TestModels.run(p, x, 1, 0);
        p.reset();
        float[] b = TestModels.run(p, x, 4096, 7);
        p.close();
        assertTrue(TestModels.maxAbsDiff(a, b) < 1e-4, "block-size dependence " + TestModels.maxAbsDiff(a, b));
    }

    @Test
    void reportedLatencyIsTheMeasuredDelayOfAnImpulseThroughResampling() {
        for (int rate : new int[] {16000, 44100, 48000}) {
            ModelProcessor p = TestModels.processor("stream-identity", rate);
            float[] x = new float[rate / 2];
            x[rate / 10] = 1f;
            float[] y = TestModels.run(p, x, 333, 3);
            int measured = TestModels.argMaxAbs(y) - rate / 10;
            assertEquals(p.latencySamples(), measured, "at " + rate + " Hz");
            assertTrue(Math.abs(y[TestModels.argMaxAbs(y)]) > 0.25, "the impulse came through");
            p.close();
        }
    }

    @Test
    void theChosenSpeakersEmbeddingIsFed() {
        ModelProcessor p = TestModels.processor("stream-identity", 16000);
        float[] x = new float[1600];
        java.util.Arrays.fill(x, 0.8f);
        float[] self = TestModels.run(p, x, 100, 1);
        p.parameters().get("speaker").set(1);
        p.reset();
        float[] half = TestModels.run(p, x, 100, 1);
        assertEquals(0.8f, self[1000], 1e-6);
        assertEquals(0.4f, half[1000], 1e-6, "speaker 1's embedding is [0.5]");
        p.close();
    }

    @Test
    void aSineComesBackThroughTheResamplersIntact() {
        int rate = 48000;
        ModelProcessor p = TestModels.processor("stream-identity", rate);
        float[] x = new float[rate];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        float[] y = TestModels.run(p, x, 512, 4);
        int d = p.latencySamples();
        double err = 0;
        for (int i = rate / 4; i < rate - d; i++) {
            err = Math.max(err, Math.abs(y[i + d] - x[i]));
        }
        assertTrue(err < 0.01, "440 Hz through 48k->16k->48k, max error " + err);
        p.close();
    }
}
