package org.voxmorph.model;

import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.voxmorph.chain.Parameter;
import org.voxmorph.dsp.MelCepstrumVocoder;
import org.voxmorph.dsp.Resampler;

/**
 * Runs a {@code voxmorph-stream} model: one call per hop, every cache carried from call to call as
 * an explicit {@code state_in_K -> state_out_K} pair (see models/FORMAT.md). The graphs of the
 * package run in manifest order; an input named like an earlier graph's output is fed from it.
 *
 * <p>When the engine rate differs from the model's, the shared streaming {@link Resampler}s convert
 * on the way in and out. The latency is their two filter delays, the model's own, and a fixed
 * output delay that covers the wait for a whole hop; the output does not depend on block sizes.
 *
 * <p>A graph with an {@code f0_in} input is fed the pitch {@link TargetPitch} derives from the input
 * hop. A package with a {@code vocoder} has its last graph emit {@code mcep} and {@code f0_out}
 * instead of audio, and {@link MelCepstrumVocoder} makes the hop from them, adding no delay.
 */
final class StreamingVoice implements ModelVoice {
    private final List<PinnedSession> graphs = new ArrayList<>();
    private final List<DirectTensor[]> statePairs = new ArrayList<>();
    private final DirectTensor audioIn;
    private final DirectTensor audioOut;
    private final DirectTensor f0In;
    private final TargetPitch targetPitch;
    private final Parameter pitch;
    private final int engineSamplesPerHop;
    private final DirectTensor mcep;
    private final DirectTensor f0Out;
    private final MelCepstrumVocoder vocoder;
    private final float[] mcepValues;
    private final DirectTensor speakerId;
    private final DirectTensor speakerEmbedding;
    private final float[][] embeddings;
    private int embeddedSpeaker = -1;
    private final Parameter speaker;
    private final int hop;
    private final int speakers;
    private final int latency;
    private final InferenceStats stats;

    private final Resampler toModel;
    private final Resampler toEngine;
    private final float[] converted;
    private final float[] hopIn;
    private final float[] hopOut;
    private final float[] modelOut;
    private int hopFill;

    private final float[] outRing;
    private int outRead;
    private int outCount;
    private final int prefill;

    StreamingVoice(ModelPackage pkg, int engineRate, boolean gpu, Parameter speaker, Parameter pitch, InferenceStats stats) {
        this.hop = pkg.hopSamples();
        this.speakers = pkg.speakers().size();
        this.speaker = speaker;
        this.pitch = pitch;
        this.stats = stats;
        Map<String, DirectTensor> produced = new HashMap<>();
        DirectTensor in = null;
        DirectTensor f0 = null;
        DirectTensor id = null;
        DirectTensor embedding = null;
        embeddings = pkg.speakerEmbeddings();
        try {
            for (ModelPackage.FileEntry entry : pkg.files()) {
                if (!entry.role().equals("stream")) {
                    continue;
                }
                Path file = pkg.folder().resolve(entry.path());
                PinnedSession g = new PinnedSession(OnnxSessions.open(file, pkg.bytes(entry), OnnxSessions.STREAM_THREADS, gpu), file);
                graphs.add(g);
                List<String> states = new ArrayList<>();
                for (String name : g.session().getInputNames()) {
                    TensorInfo info = g.inputInfo(name);
                    if (name.equals("audio_in")) {
                        in = g.input(name, 1, hop);
                    } else if (name.equals("f0_in")) {
                        if (pkg.sampleRate() != TargetPitch.RATE || hop != TargetPitch.HOP) {
                            throw new ModelException(file + ": takes 'f0_in', which needs a " + TargetPitch.RATE + " Hz model with "
                                    + "hopSamples " + TargetPitch.HOP + ", not " + pkg.sampleRate() + " Hz and " + hop);
                        }
                        if (f0 == null) {
                            f0 = g.input(name, 1, 1);
                        } else {
                            g.bind(name, f0);
                        }
                    } else if (name.equals("speaker")) {
                        id = g.input(name, 1);
                    } else if (name.equals("speaker_embedding")) {
                        if (embeddings == null) {
                            throw new ModelException(file + ": takes 'speaker_embedding' but model.json has no \"speakerEmbeddings\"");
                        }
                        embedding = g.input(name, 1, embeddings[0].length);
                    } else if (name.startsWith("state_in_")) {
                        g.input(name, staticShape(file, name, info)).zero();
                        states.add(name);
                    } else if (produced.containsKey(name)) {
                        g.bind(name, produced.get(name));
                    } else {
                        throw new ModelException(file + ": input '" + name + "' is not audio_in, f0_in, speaker, speaker_embedding, state_in_K "
                                + "or an output of an earlier graph (see models/FORMAT.md)");
                    }
                }
                g.warmUp();
                for (String s : states) {
                    String out = "state_out_" + s.substring("state_in_".length());
                    if (!g.outputNames().contains(out)) {
                        throw new ModelException(file + ": has " + s + " but no matching output " + out);
                    }
                    DirectTensor a = g.ownInput(s);
                    DirectTensor b = g.output(out);
                    if (a.type() != b.type() || !java.util.Arrays.equals(a.shape(), b.shape())) {
                        throw new ModelException(file + ": " + out + " " + b.type() + java.util.Arrays.toString(b.shape())
                                + " does not match " + s + " " + a.type() + java.util.Arrays.toString(a.shape()));
                    }
                }
                produced.putAll(outputsOf(g));
                for (String s : states) {
                    statePairs.add(new DirectTensor[] {produced.get("state_out_" + s.substring(9)), inputOf(g, s)});
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e instanceof ModelException ? e : new ModelException(pkg.folder() + ": " + OnnxSessions.firstLine(e), e);
        }
        Path first = pkg.folder().resolve(pkg.file("stream").path());
        if (in == null) {
            close();
            throw new ModelException(first + ": a voxmorph-stream model needs a float input 'audio_in' [1, hop]");
        }
        this.audioIn = in;
        this.speakerId = id;
        this.speakerEmbedding = embedding;
        this.f0In = f0;
        this.targetPitch = f0 == null ? null : new TargetPitch(pkg.speakerF0());
        int modelRate = pkg.sampleRate();
        this.engineSamplesPerHop = (int) Math.round((double) hop * engineRate / modelRate);
        if (pkg.vocoder() == null) {
            this.audioOut = produced.get("audio_out");
            if (audioOut == null || audioOut.elements() != hop) {
                close();
                throw new ModelException(first + ": a voxmorph-stream model needs an output 'audio_out' of " + hop + " samples per call");
            }
            this.mcep = null;
            this.f0Out = null;
            this.vocoder = null;
            this.mcepValues = null;
        } else {
            this.audioOut = null;
            PinnedSession last = graphs.get(graphs.size() - 1);
            this.mcep = last.outputNames().contains("mcep") ? last.output("mcep") : null;
            this.f0Out = last.outputNames().contains("f0_out") ? last.output("f0_out") : null;
            if (mcep == null || f0Out == null || mcep.shape().length != 2 || mcep.shape()[0] != 1 || mcep.elements() < 2
                    || f0Out.elements() != 1) {
                String shapes = (mcep == null ? "no mcep" : "mcep " + java.util.Arrays.toString(mcep.shape())) + ", "
                        + (f0Out == null ? "no f0_out" : "f0_out " + java.util.Arrays.toString(f0Out.shape()));
                close();
                throw new ModelException(last.file() + ": model.json names a vocoder, so the last graph must output 'mcep' [1, M+1] "
                        + "and 'f0_out' [1, 1]; it has " + shapes);
            }
            this.mcepValues = new float[mcep.elements()];
            this.vocoder = new MelCepstrumVocoder(mcepValues.length - 1, pkg.vocoder().alpha());
        }
        // The resamplers make each sample as soon as its input is in (their delay is in the
        // latency below), so the only wait is for a hop to fill: a hop's span, in engine samples.
        prefill = (int) Math.ceil((double) hop * engineRate / modelRate);
        double filterDelay = 0;
        if (modelRate == engineRate) {
            toModel = null;
            toEngine = null;
        } else {
            toModel = new Resampler(engineRate, modelRate);
            toEngine = new Resampler(modelRate, engineRate);
            filterDelay = toModel.delayInputSamples() + toEngine.delayOutputSamples();
        }
        converted = new float[toModel == null ? 1 : toModel.maxOutput(1)];
        hopIn = new float[hop];
        hopOut = new float[hop];
        modelOut = toEngine == null ? hopOut : new float[toEngine.maxOutput(hop)];
        // Pops follow pushes closely: the ring holds the prefill plus at most one hop's output.
        outRing = new float[prefill + modelOut.length + 1];
        // One rounding for all the fractional parts: the nearest sample to the true delay.
        latency = prefill + (int) Math.round(filterDelay + (double) pkg.latencySamples() * engineRate / modelRate);
        stats.setAudioMillisPerCall(1000.0 * hop / modelRate);
        reset();
    }

    private static long[] staticShape(Path file, String name, TensorInfo info) {
        long[] shape = info.getShape();
        for (long d : shape) {
            if (d < 1) {
                throw new ModelException(file + ": state input '" + name + "' needs a fixed shape, not " + java.util.Arrays.toString(shape));
            }
        }
        return shape;
    }

    private static Map<String, DirectTensor> outputsOf(PinnedSession g) {
        Map<String, DirectTensor> out = new HashMap<>();
        for (String n : g.outputNames()) {
            out.put(n, g.output(n));
        }
        return out;
    }

    private static DirectTensor inputOf(PinnedSession g, String name) {
        return g.ownInput(name);
    }

    @Override
    public void process(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            if (toModel == null) {
                feed(x[i]);
            } else {
                int made = toModel.process(x, i, 1, converted, 0);
                for (int k = 0; k < made; k++) {
                    feed(converted[k]);
                }
            }
            x[i] = pop();
        }
    }

    private void feed(float sample) {
        audioIn.setFloat(hopFill, sample);
        hopIn[hopFill++] = sample;
        if (hopFill < hop) {
            return;
        }
        hopFill = 0;
        step();
        int made = toEngine == null ? hop : toEngine.process(hopOut, 0, hop, modelOut, 0);
        for (int m = 0; m < made; m++) {
            push(modelOut[m]);
        }
    }

    private void step() {
        long t0 = System.nanoTime();
        int who = Math.min(speakers - 1, (int) speaker.target());
        if (speakerId != null) {
            speakerId.setLong(0, who);
        }
        if (speakerEmbedding != null && who != embeddedSpeaker) {
            for (int i = 0; i < embeddings[who].length; i++) {
                speakerEmbedding.setFloat(i, embeddings[who][i]);
            }
            embeddedSpeaker = who;
        }
        if (f0In != null) {
            double semitones = pitch.advance(engineSamplesPerHop);
            f0In.setFloat(0, (float) targetPitch.target(targetPitch.sourceHz(hopIn, hop), who, semitones));
        }
        for (int g = 0; g < graphs.size(); g++) {
            graphs.get(g).run();
        }
        for (int s = 0; s < statePairs.size(); s++) {
            statePairs.get(s)[0].copyTo(statePairs.get(s)[1]);
        }
        if (vocoder == null) {
            for (int k = 0; k < hop; k++) {
                hopOut[k] = audioOut.getFloat(k);
            }
        } else {
            for (int m = 0; m < mcepValues.length; m++) {
                mcepValues[m] = mcep.getFloat(m);
                if (!Float.isFinite(mcepValues[m])) {
                    // A NaN would ring through the vocoder's filter tail for several hops: stop here;
                    // the chain's slot says why and the engine plays its fill from now on.
                    throw new ModelException(graphs.get(graphs.size() - 1).file() + ": produced a non-finite mel-cepstrum value");
                }
            }
            float f0 = f0Out.getFloat(0);
            if (!Float.isFinite(f0)) {
                throw new ModelException(graphs.get(graphs.size() - 1).file() + ": produced a non-finite f0_out");
            }
            vocoder.synthesize(mcepValues, f0, hopOut, 0);
        }
        stats.record(System.nanoTime() - t0);
    }

    private void push(float y) {
        outRing[(outRead + outCount) % outRing.length] = y;
        outCount++;
    }

    private float pop() {
        if (outCount == 0) {
            return 0f; // cannot happen with the prefill computed above; silence beats an exception here
        }
        float y = outRing[outRead];
        outRead = (outRead + 1) % outRing.length;
        outCount--;
        return y;
    }

    @Override
    public int latencySamples() {
        return latency;
    }

    @Override
    public void reset() {
        embeddedSpeaker = -1;
        for (DirectTensor[] pair : statePairs) {
            pair[1].zero();
        }
        hopFill = 0;
        if (targetPitch != null) {
            targetPitch.reset();
        }
        if (vocoder != null) {
            vocoder.reset();
        }
        outRead = 0;
        outCount = 0;
        java.util.Arrays.fill(outRing, 0f);
        for (int i = 0; i < prefill; i++) {
            push(0f);
        }
        if (toModel != null) {
            toModel.reset();
            toEngine.reset();
        }
    }

    @Override
    public String providerSummary() {
        return PinnedSession.summary(graphs);
    }

    @Override
    public String gpuFallback() {
        return PinnedSession.fallback(graphs);
    }

    @Override
    public void close() {
        graphs.forEach(PinnedSession::close);
        graphs.clear();
    }
}
