package org.voxmorph.voice;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.voxmorph.dsp.Fft;
import org.voxmorph.model.ModelException;
import org.voxmorph.model.ModelPackage;
import org.voxmorph.model.ModelsFolder;
import org.voxmorph.model.OnnxSessions;

/**
 * Voxmorph's own speaker encoder ({@code models/voxmorph-speaker}, trained by
 * tools/train/speaker_encoder.py): 16 kHz speech in, a unit-length embedding out, so the cosine of
 * two embeddings says how alike two voices are.
 *
 * <p>The front end is computed here exactly as the training script computes it: 25 ms Hann frames
 * every 10 ms, 512-point FFT, 40 mel bands 60..7600 Hz, ln(power + 1e-6), and only the frames within
 * 35 dB of the loud ones (the silence between words says nothing about the speaker). The graph does
 * the rest on one thread. Offline only: never on the audio device thread.
 */
public final class SpeakerEncoder implements AutoCloseable {
    public static final String MODEL_ID = "voxmorph-speaker";
    public static final String FORMAT = "voxmorph-speaker";
    public static final int RATE = 16000;
    private static final int WIN = 400;
    private static final int HOP = 160;
    private static final int FFT_SIZE = 512;
    private static final int BANDS = 40;
    private static final double LOW_HZ = 60;
    private static final double HIGH_HZ = 7600;
    private static final double FLOOR = 1e-6;
    private static final double VAD_DB = 35;
    private static final int MIN_FRAMES = 50;
    private static SpeakerEncoder shared;
    /**
     * ONNX Runtime runs this graph on a thread of its own with a generous stack: on a caller's
     * default 1 MB stack, opening it crashed the JVM (SIGSEGV, no Java exception) when the main
     * thread had a long argument list (voice embed with 100+ files).
     */
    private static final ExecutorService RUNTIME = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "speaker-encoder", 16L << 20);
        t.setDaemon(true);
        return t;
    });

    private final OrtSession session;
    private final String kind;
    private final double[] window = new double[WIN];
    private final int[] bandStart = new int[BANDS];
    private final double[][] bandWeights = new double[BANDS][];

    /** Opens the encoder package in {@code folder}, checking its manifest and the graph's sha256. */
    public SpeakerEncoder(Path folder) {
        ModelPackage pkg = ModelPackage.read(folder);
        if (!pkg.format().equals(FORMAT) || pkg.sampleRate() != RATE || pkg.hopSamples() != HOP) {
            throw new ModelException(folder.resolve("model.json") + ": not a " + FORMAT + " model at " + RATE + " Hz, hop " + HOP);
        }
        ModelPackage.FileEntry file = pkg.file("speaker-encoder");
        byte[] bytes = pkg.bytes(file);
        this.session = onRuntimeThread(() -> OnnxSessions.open(folder.resolve(file.path()), bytes, 1, false).session());
        this.kind = MODEL_ID + "@" + file.sha256().substring(0, 12);
        for (int i = 0; i < WIN; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / WIN);
        }
        melWeights();
        int size = embed(new float[RATE * 2]).length; // also proves the graph runs before anyone relies on it
        if (size < 256 || size > 512) {
            throw new ModelException(folder.resolve(file.path()) + ": gives " + size + " values; a speaker embedding has 256..512");
        }
    }

    /** The encoder the program ships: {@code models/voxmorph-speaker} under {@code voxmorph.home}, whatever models folder the user chose for voices. */
    public static Path folder() {
        return ModelsFolder.shipped(MODEL_ID);
    }

    /** The shipped encoder, opened once per process. */
    public static synchronized SpeakerEncoder shared() {
        if (shared == null) {
            shared = new SpeakerEncoder(folder());
        }
        return shared;
    }

    /** Names the model version the embeddings come from; a profile's embedding is comparable only within one kind. */
    public String kind() {
        return kind;
    }

    /** The embedding of all the clips' speech together (16 kHz each). */
    public float[] embed(List<float[]> clips) {
        List<float[]> frames = new ArrayList<>();
        for (float[] x : clips) {
            frames.addAll(logMel(x));
        }
        if (frames.isEmpty()) {
            throw new VoiceException("speaker encoder: too little audio (need at least " + WIN + " samples at 16 kHz)");
        }
        return run(frames);
    }

    public float[] embed(float[] x) {
        return embed(List.of(x));
    }

    /** Cosine similarity: 1 for the same direction, near 0 for unrelated voices. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of " + a.length + " and " + b.length + " values");
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb + 1e-30);
    }

    private float[] run(List<float[]> frames) {
        FloatBuffer input = FloatBuffer.allocate(frames.size() * BANDS);
        frames.forEach(input::put);
        input.flip();
        return onRuntimeThread(() -> {
            try (OnnxTensor t = OnnxTensor.createTensor(OnnxSessions.environment(), input, new long[] {1, frames.size(), BANDS});
                    OrtSession.Result r = session.run(Map.of("logmel", t))) {
                OnnxValue out = r.get(0);
                return ((float[][]) out.getValue())[0];
            } catch (OrtException e) {
                throw new ModelException(MODEL_ID + ": inference failed (" + e.getMessage() + ")");
            }
        });
    }

    private static <T> T onRuntimeThread(Callable<T> work) {
        try {
            return RUNTIME.submit(work).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new ModelException(MODEL_ID + ": " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException(MODEL_ID + ": interrupted");
        }
    }

    /** Log-mel rows of the speech frames of one clip. */
    List<float[]> logMel(float[] x) {
        int count = Math.max(0, (x.length - WIN) / HOP + 1);
        Fft fft = new Fft(FFT_SIZE);
        double[] re = new double[FFT_SIZE];
        double[] im = new double[FFT_SIZE];
        double[][] spectra = new double[2][FFT_SIZE / 2 + 1];
        double[][] power = new double[count][BANDS];
        double[] level = new double[count];
        // Two real frames per complex FFT (one in re, the next in im), separated by conjugate symmetry.
        for (int f = 0; f < count; f += 2) {
            boolean pair = f + 1 < count;
            for (int i = 0; i < WIN; i++) {
                re[i] = x[f * HOP + i] * window[i];
                im[i] = pair ? x[(f + 1) * HOP + i] * window[i] : 0;
            }
            Arrays.fill(re, WIN, FFT_SIZE, 0);
            Arrays.fill(im, WIN, FFT_SIZE, 0);
            fft.transform(re, im, false);
            for (int k = 0; k <= FFT_SIZE / 2; k++) {
                int m = (FFT_SIZE - k) % FFT_SIZE;
                double sr = re[k] + re[m];
                double si = im[k] - im[m];
                double dr = re[k] - re[m];
                double di = im[k] + im[m];
                spectra[0][k] = (sr * sr + si * si) / 4;
                spectra[1][k] = (di * di + dr * dr) / 4;
            }
            for (int j = 0; j < (pair ? 2 : 1); j++) {
                double sum = 0;
                for (int b = 0; b < BANDS; b++) {
                    double e = 0;
                    double[] w = bandWeights[b];
                    for (int k = 0; k < w.length; k++) {
                        e += w[k] * spectra[j][bandStart[b] + k];
                    }
                    power[f + j][b] = e;
                    sum += e;
                }
                level[f + j] = Math.log(sum + FLOOR);
            }
        }
        List<float[]> out = new ArrayList<>();
        if (count == 0) {
            return out;
        }
        double[] sorted = level.clone();
        Arrays.sort(sorted);
        double threshold = sorted[(int) (0.95 * (count - 1))] - VAD_DB / 10 * Math.log(10);
        int kept = 0;
        for (double l : level) {
            kept += l > threshold ? 1 : 0;
        }
        for (int f = 0; f < count; f++) {
            if (kept < MIN_FRAMES || level[f] > threshold) {
                float[] row = new float[BANDS];
                for (int b = 0; b < BANDS; b++) {
                    row[b] = (float) Math.log(power[f][b] + FLOOR);
                }
                out.add(row);
            }
        }
        return out;
    }

    /** Triangular mel weights (mel = 1127 ln(1 + f/700)), kept as each band's non-zero run of bins. */
    private void melWeights() {
        double lo = mel(LOW_HZ);
        double hi = mel(HIGH_HZ);
        double[] edges = new double[BANDS + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = 700 * (Math.exp((lo + (hi - lo) * i / (BANDS + 1)) / 1127) - 1);
        }
        for (int b = 0; b < BANDS; b++) {
            double[] w = new double[FFT_SIZE / 2 + 1];
            int first = -1;
            int last = -1;
            for (int k = 0; k <= FFT_SIZE / 2; k++) {
                double hz = k * (double) RATE / FFT_SIZE;
                double up = (hz - edges[b]) / (edges[b + 1] - edges[b]);
                double down = (edges[b + 2] - hz) / (edges[b + 2] - edges[b + 1]);
                w[k] = Math.max(0, Math.min(up, down));
                if (w[k] > 0) {
                    first = first < 0 ? k : first;
                    last = k;
                }
            }
            bandStart[b] = Math.max(first, 0);
            bandWeights[b] = first < 0 ? new double[0] : Arrays.copyOfRange(w, first, last + 1);
        }
    }

    private static double mel(double hz) {
        return 1127 * Math.log(1 + hz / 700);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing only frees native memory.
        }
    }
}
