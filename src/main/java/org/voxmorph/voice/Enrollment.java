package org.voxmorph.voice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavReader;
import org.voxmorph.dsp.LongTermSpectrum;
import org.voxmorph.dsp.MatchingSet;
import org.voxmorph.model.ContentModel;
import org.voxmorph.dsp.Resampler;
import org.voxmorph.dsp.SpeakerStatistics;

/**
 * Analyses reference speech into a {@link VoiceProfile}, refusing material that would give a
 * wrong voice: each problem is one line naming the clip.
 *
 * <p>The speaker embedding comes from {@link SpeakerEncoder} (our own model, one ONNX graph) over
 * all the clips' speech, computed once here and kept in the profile.
 */
public final class Enrollment {
    public static final int RATE = 16000;
    public static final double MIN_TOTAL_SECONDS = 10;
    public static final double MIN_VOICED_SECONDS = 8;
    public static final double MAX_CLIPPED_FRACTION = 0.001;
    /**
     * Loud speech over the noise floor, as {@link #estimatedSnrDb} measures it. That reads about
     * 6 dB above a conventional SNR (speech power over noise power) on VCTK speech with added white
     * noise, so 20 dB here is about 14 dB SNR; clean VCTK reads 35..43 dB.
     */
    public static final double MIN_SNR_DB = 20;
    private static final double SILENT_PEAK = Math.pow(10, -60 / 20.0);
    private static final double MIN_CONSENT_VOICED_SECONDS = 1;

    private Enrollment() {}

    /** Analyses {@code clips} (checked one by one, then together) into a profile named {@code name}. */
    public static VoiceProfile enroll(String name, List<Path> clips, ConsentRecord consent) throws AudioFileException {
        VoiceStore.checkName(name);
        if (clips.isEmpty()) {
            throw new VoiceException("enroll needs at least one reference clip");
        }
        SpeakerStatistics stats = new SpeakerStatistics(RATE, Double.POSITIVE_INFINITY);
        List<float[]> speech = new ArrayList<>();
        List<VoiceProfile.Source> sources = new ArrayList<>();
        double total = 0;
        float[] gap = new float[RATE / 10];
        for (Path clip : clips) {
            float[] x = readChecked(clip);
            stats.process(x, 0, x.length);
            stats.process(gap, 0, gap.length); // no analysis frame spans two clips
            speech.add(x);
            double seconds = x.length / (double) RATE;
            total += seconds;
            sources.add(new VoiceProfile.Source(clip.getFileName().toString(), sha256(clip), round(seconds, 2)));
        }
        if (total < MIN_TOTAL_SECONDS || stats.voicedSeconds() < MIN_VOICED_SECONDS) {
            throw new VoiceException(String.format("too little speech: %.1f s in all with %.1f s voiced"
                    + " (need %.0f s with %.0f s voiced; add more clips)", total, stats.voicedSeconds(),
                    MIN_TOTAL_SECONDS, MIN_VOICED_SECONDS));
        }
        double[] levels = new double[LongTermSpectrum.CENTRES_HZ.length];
        stats.spectrum().levelsDb(levels);
        return new VoiceProfile(VoiceProfile.VERSION, name, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                new VoiceProfile.Pitch(stats.logF0Mean(), stats.logF0Quantile(0.5),
                        (stats.logF0Quantile(0.75) - stats.logF0Quantile(0.25)) / 1.349, round(stats.voicedSeconds(), 2)),
                new VoiceProfile.Formants(stats.logFormantMean(0), stats.logFormantMean(1), stats.logFormantMean(2)),
                new VoiceProfile.Envelope(LongTermSpectrum.CENTRES_HZ.clone(), levels),
                speakerEmbedding(speech),
                sources, consent);
    }

    /**
     * The frames the converter matches against ({@link MatchingSet}): every active frame of the
     * clips, with the profile's pitch figures. Kept beside the profile by {@link VoiceStore}.
     */
    public static MatchingSet matchingSet(List<Path> clips, VoiceProfile profile) throws AudioFileException {
        List<float[]> audio = new ArrayList<>();
        for (Path clip : clips) {
            audio.add(readChecked(clip));
        }
        return MatchingSet.analyse(audio, RATE, profile.pitch().logF0Median(), profile.pitch().logF0Spread(), ContentModel.shared());
    }

    /** A consent clip must be someone speaking; its hash goes into the record. */
    public static ConsentRecord consentFromAudio(Path clip) throws AudioFileException {
        float[] x = toEnrollmentRate(WavReader.read(clip));
        SpeakerStatistics stats = new SpeakerStatistics(RATE, Double.POSITIVE_INFINITY);
        stats.process(x, 0, x.length);
        if (stats.voicedSeconds() < MIN_CONSENT_VOICED_SECONDS) {
            throw new VoiceException(clip + ": no speech heard in the consent clip (it must be the person saying they agree)");
        }
        return ConsentRecord.ofAudio(sha256(clip));
    }

    /** Reads a clip and refuses silence, clipping and heavy noise. */
    static float[] readChecked(Path clip) throws AudioFileException {
        MonoAudio audio = WavReader.read(clip);
        float[] raw = audio.samples();
        double peak = 0;
        long clipped = 0;
        for (float v : raw) {
            peak = Math.max(peak, Math.abs(v));
            if (Math.abs(v) >= 0.999f) {
                clipped++;
            }
        }
        if (peak < SILENT_PEAK) {
            throw new VoiceException(clip + ": silent (peak below -60 dBFS)");
        }
        double clippedFraction = raw.length == 0 ? 0 : clipped / (double) raw.length;
        if (clippedFraction > MAX_CLIPPED_FRACTION) {
            throw new VoiceException(String.format("%s: clipped: %.2f%% of samples at full scale (at most %.1f%%)",
                    clip, 100 * clippedFraction, 100 * MAX_CLIPPED_FRACTION));
        }
        float[] x = toEnrollmentRate(audio);
        double snr = estimatedSnrDb(x);
        if (snr < MIN_SNR_DB) {
            throw new VoiceException(String.format("%s: too noisy: speech only %.0f dB above the noise floor (need %.0f dB;"
                    + " record closer to the mic, somewhere quieter)",
                    clip, snr, MIN_SNR_DB));
        }
        return x;
    }

    private static float[] toEnrollmentRate(MonoAudio audio) {
        return audio.sampleRate() == RATE ? audio.samples() : Resampler.resample(audio.samples(), audio.sampleRate(), RATE);
    }

    /**
     * Speech level (95th percentile of 20 ms frame levels) over the noise floor (10th percentile):
     * read speech pauses often enough that the quiet tenth of frames is the room.
     */
    static double estimatedSnrDb(float[] x) {
        int frame = RATE / 50;
        int frames = x.length / frame;
        if (frames < 10) {
            return Double.POSITIVE_INFINITY;
        }
        double[] db = new double[frames];
        for (int f = 0; f < frames; f++) {
            double e = 0;
            for (int i = f * frame; i < (f + 1) * frame; i++) {
                e += x[i] * x[i];
            }
            db[f] = 10 * Math.log10(e / frame + 1e-12);
        }
        Arrays.sort(db);
        return db[(int) (0.95 * (frames - 1))] - db[(int) (0.10 * (frames - 1))];
    }

    private static VoiceProfile.Embedding speakerEmbedding(List<float[]> speech) {
        try {
            SpeakerEncoder encoder = SpeakerEncoder.shared();
            float[] e = encoder.embed(speech);
            double[] values = new double[e.length];
            for (int i = 0; i < e.length; i++) {
                values[i] = round(e[i], 6);
            }
            return new VoiceProfile.Embedding(encoder.kind(), values);
        } catch (org.voxmorph.model.ModelException e) {
            throw new VoiceException("cannot compute the speaker embedding: " + e.getMessage());
        }
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new VoiceException(file + ": cannot read (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
