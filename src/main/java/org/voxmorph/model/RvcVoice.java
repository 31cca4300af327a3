package org.voxmorph.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.voxmorph.chain.Parameter;

/**
 * Runs an RVC model (either exporter) live on a {@link SlidingWindow}: each window is resampled to
 * 16 kHz for the content encoder and the pitch tracker, the decoder renders it at the model's rate,
 * and the result is resampled back to the engine rate.
 */
final class RvcVoice implements ModelVoice, SlidingWindow.Converter {
    /** How far SOLA may shift a block to line it up with the previous one. */
    static final double SEARCH_MILLIS = 10.0;
    /**
     * HuBERT-style encoders see 400 samples per 320-sample stride. Padding the window by 40 samples
     * each side centres unit j on decoder frames 2j and 2j+1 and yields exactly frames/2 units.
     */
    private static final int ENCODER_PAD = 40;

    private final PinnedSession encoder;
    private final PinnedSession decoder;
    private final SlidingWindow window;
    private final InferenceStats stats;
    private final Parameter speaker;
    private final Parameter pitch;
    private final int speakers;

    private final int frames;
    private final int samples16k;
    private final int encoderFrames;
    private final int channels;
    private final WindowResampler toEncoder;
    private final WindowResampler fromDecoder;
    private final float[] audio16k;
    private final float[] decoded;
    private final RvcPitch pitchTracker;
    private final float[] untransposedHz;

    private final DirectTensor encoderIn;
    private final DirectTensor encoderOut;
    private final DirectTensor feats;
    private final DirectTensor pitchCoarse;
    private final DirectTensor pitchHz;
    private final DirectTensor speakerId;
    private final DirectTensor audioOut;

    RvcVoice(ModelPackage pkg, int engineRate, boolean gpu, Parameter speaker, Parameter pitch,
            int blockMs, int contextMs, int lookaheadMs, int crossfadeMs, InferenceStats stats) {
        if (engineRate % 100 != 0) {
            throw new ModelException(pkg.folder() + ": RVC models need an engine rate that is a multiple of 100 Hz, not " + engineRate);
        }
        this.speaker = speaker;
        this.pitch = pitch;
        this.stats = stats;
        this.speakers = pkg.speakers().size();
        int frame = engineRate / 100;
        int blockFrames = Math.max(1, Math.round(blockMs / 10f));
        this.window = new SlidingWindow(frame, blockFrames, Math.round(contextMs / 10f), Math.round(lookaheadMs / 10f),
                (int) Math.round(crossfadeMs * engineRate / 1000.0), (int) Math.round(SEARCH_MILLIS * engineRate / 1000.0), this);
        this.frames = window.windowSamples() / frame;
        this.samples16k = frames * 160;

        ModelPackage.FileEntry decEntry = pkg.file("decoder");
        ModelPackage.FileEntry encEntry = pkg.file("content-encoder");
        Path decFile = pkg.folder().resolve(decEntry.path());
        Path encFile = pkg.folder().resolve(encEntry.path());
        PinnedSession enc = null;
        PinnedSession dec = null;
        RvcPitch tracker = null;
        toEncoder = new WindowResampler(engineRate, 16000, window.windowSamples());
        try {
            dec = new PinnedSession(OnnxSessions.open(decFile, pkg.bytes(decEntry), OnnxSessions.WINDOW_THREADS, gpu), decFile);
            ModelContract contract = ModelContract.detect(dec.session(), decFile);
            if (!contract.format().equals(ModelPackage.RVC)) {
                throw new ModelException(decFile + ": is a " + contract.format() + " graph, but model.json says rvc");
            }
            if (contract.sampleRate() != 0 && contract.sampleRate() != pkg.sampleRate()) {
                throw new ModelException(decFile + ": metadata says " + contract.sampleRate() + " Hz but model.json says " + pkg.sampleRate());
            }
            enc = new PinnedSession(OnnxSessions.open(encFile, pkg.bytes(encEntry), OnnxSessions.WINDOW_THREADS, gpu), encFile);
            List<String> encInputs = List.copyOf(enc.session().getInputNames());
            if (encInputs.size() != 1 || enc.inputInfo(encInputs.get(0)) == null) {
                throw new ModelException(encFile + ": a content encoder takes one waveform input, not " + encInputs);
            }
            String encName = encInputs.get(0);
            int rank = enc.inputInfo(encName).getShape().length;
            if (rank != 2 && rank != 3) {
                throw new ModelException(encFile + ": content encoder input '" + encName + "' must be [1, N] or [1, 1, N]");
            }
            int encoderSamples = samples16k + 2 * ENCODER_PAD;
            encoderIn = rank == 3 ? enc.input(encName, 1, 1, encoderSamples) : enc.input(encName, 1, encoderSamples);
            enc.warmUp();
            if (enc.outputNames().size() != 1) {
                throw new ModelException(encFile + ": a content encoder has one output [1, T, C], not " + enc.outputNames());
            }
            encoderOut = enc.output(enc.outputNames().iterator().next());
            long[] units = encoderOut.shape();
            if (units.length != 3) {
                throw new ModelException(encFile + ": content encoder output must be [1, T, C], not " + java.util.Arrays.toString(units));
            }
            encoderFrames = (int) units[1];
            channels = (int) units[2];
            if (contract.channels() != 0 && contract.channels() != channels) {
                throw new ModelException(decFile + ": wants " + contract.channels() + " feature channels but the content encoder "
                        + encFile.getFileName() + " gives " + channels);
            }

            feats = dec.input(contract.featsName(), 1, frames, channels);
            dec.input(contract.lengthsName(), 1).setLong(0, frames);
            speakerId = dec.input(contract.speakerName(), 1);
            pitchCoarse = contract.f0() ? dec.input("pitch", 1, frames) : null;
            pitchHz = contract.f0() ? dec.input("pitchf", 1, frames) : null;
            if (contract.exporter().equals("rvc-official")) {
                // The official graph samples its prior from noise we supply; a fixed draw keeps output reproducible.
                DirectTensor rnd = dec.input("rnd", 1, 192, frames);
                Random r = new Random(20240601L);
                for (int i = 0; i < rnd.elements(); i++) {
                    rnd.setFloat(i, (float) r.nextGaussian());
                }
            }
            if (pitchCoarse != null) {
                for (int i = 0; i < frames; i++) {
                    pitchCoarse.setLong(i, 1);
                }
            }
            dec.warmUp();
            if (dec.outputNames().size() != 1) {
                throw new ModelException(decFile + ": an RVC decoder has one output 'audio', not " + dec.outputNames());
            }
            audioOut = dec.output(dec.outputNames().iterator().next());
            tracker = pitchTracker(pkg, frames, blockFrames, engineRate, gpu);
            if (audioOut.elements() != frames * pkg.hopSamples()) {
                throw new ModelException(decFile + ": made " + audioOut.elements() + " samples for " + frames + " frames, but model.json's hop "
                        + pkg.hopSamples() + " means " + frames * pkg.hopSamples() + " (wrong sampleRate?)");
            }
        } catch (RuntimeException e) {
            if (tracker != null) {
                tracker.close();
            }
            if (enc != null) {
                enc.close();
            }
            if (dec != null) {
                dec.close();
            }
            throw e;
        }
        this.encoder = enc;
        this.decoder = dec;
        this.pitchTracker = tracker;
        fromDecoder = new WindowResampler(pkg.sampleRate(), engineRate, audioOut.elements());
        audio16k = new float[samples16k];
        decoded = new float[audioOut.elements()];
        untransposedHz = new float[frames];
        stats.setAudioMillisPerCall(window.blockSamples() * 1000.0 / engineRate);
    }

    /** The package's CREPE model when it has a file with role {@code pitch}, else YIN. */
    private RvcPitch pitchTracker(ModelPackage pkg, int frames, int blockFrames, int engineRate, boolean gpu) {
        for (ModelPackage.FileEntry e : pkg.files()) {
            if (e.role().equals("pitch")) {
                Path file = pkg.folder().resolve(e.path());
                return new CrepePitch(new PinnedSession(OnnxSessions.open(file, pkg.bytes(e), OnnxSessions.WINDOW_THREADS, gpu), file), frames);
            }
        }
        int edge16k = (int) Math.ceil(toEncoder.reachInputSamples() * 16000.0 / engineRate) + 1;
        return new YinPitch(frames, blockFrames, edge16k);
    }

    @Override
    public void convert(float[] in, float[] out) {
        long t0 = System.nanoTime();
        toEncoder.resample(in, audio16k);
        for (int i = 0; i < samples16k; i++) {
            encoderIn.setFloat(ENCODER_PAD + i, audio16k[i]);
        }
        encoder.run();
        // 50 units/s from the encoder, 100 frames/s for the decoder: each unit serves two frames.
        for (int f = 0; f < frames; f++) {
            int src = Math.min(f / 2, encoderFrames - 1) * channels;
            int dst = f * channels;
            for (int c = 0; c < channels; c++) {
                feats.setFloat(dst + c, encoderOut.getFloat(src + c));
            }
        }
        double transpose = Math.pow(2.0, pitch.advance(window.blockSamples()) / 12.0);
        if (pitchHz != null) {
            pitchTracker.track(audio16k, samples16k, untransposedHz);
            for (int f = 0; f < frames; f++) {
                double hz = untransposedHz[f] * transpose;
                pitchHz.setFloat(f, (float) hz);
                pitchCoarse.setLong(f, RvcPitch.coarse(hz));
            }
        }
        speakerId.setLong(0, Math.min(speakers - 1, (int) speaker.target()));
        decoder.run();
        for (int i = 0; i < decoded.length; i++) {
            decoded[i] = audioOut.getFloat(i);
        }
        fromDecoder.resample(decoded, out);
        stats.record(System.nanoTime() - t0);
    }

    @Override
    public void process(float[] x, int n) {
        window.process(x, n);
    }

    @Override
    public int latencySamples() {
        return window.latencySamples();
    }

    @Override
    public void reset() {
        window.reset();
        pitchTracker.reset();
    }

    @Override
    public String providerSummary() {
        return PinnedSession.summary(sessions());
    }

    @Override
    public String gpuFallback() {
        return PinnedSession.fallback(sessions());
    }

    private List<PinnedSession> sessions() {
        List<PinnedSession> all = new java.util.ArrayList<>(List.of(encoder, decoder));
        all.addAll(pitchTracker.sessions());
        return all;
    }

    @Override
    public void close() {
        pitchTracker.close();
        encoder.close();
        decoder.close();
    }
}
