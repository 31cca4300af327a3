package org.voxmorph.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens ONNX Runtime sessions with deliberate settings.
 *
 * <p>Threads: one intra-op thread and sequential execution. A streaming step is a few milliseconds
 * of small matrix products; splitting that across threads costs more in wake-ups than it saves,
 * and the device thread and the engine worker need the remaining cores to stay on time. Windowed
 * (RVC) models do much more work per call, so they get {@link #WINDOW_THREADS} threads: enough to
 * finish a window well inside its block on a 4-core laptop while leaving a core free.
 *
 * <p>Execution provider: CPU unless the GPU is asked for. Then CUDA (DirectML on Windows, CoreML on
 * macOS) is tried; when it cannot load (the default build ships the CPU-only runtime; {@code mvn
 * -Pgpu} swaps in {@code onnxruntime_gpu}) the session runs on CPU and {@link Opened#note} says why
 * in one line.
 */
public final class OnnxSessions {
    public static final int STREAM_THREADS = 1;
    public static final int WINDOW_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));

    /** A session and, when the GPU was asked for but not used, the one-line reason (else null). */
    public record Opened(OrtSession session, String provider, String note) {
    }

    private OnnxSessions() {
    }

    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /** Opens the checked bytes of {@code file}; errors name the file. */
    public static Opened open(Path file, byte[] bytes, int threads, boolean gpu) {
        String note = null;
        if (gpu) {
            String provider = gpuProviderName();
            try (OrtSession.SessionOptions options = options(threads)) {
                addGpu(options);
                return new Opened(environment().createSession(bytes, options), provider, null);
            } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                note = "GPU requested but " + provider + " could not be used (" + firstLine(e)
                        + "); running " + file.getFileName() + " on CPU";
            }
        }
        try (OrtSession.SessionOptions options = options(threads)) {
            return new Opened(environment().createSession(bytes, options), "CPU", note);
        } catch (OrtException e) {
            throw new ModelException(file + ": not a usable ONNX model (" + firstLine(e) + ")");
        }
    }

    private static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // Our callers block on the result; spinning threads would only burn the cores the audio needs.
        o.addConfigEntry("session.intra_op.allow_spinning", "0");
        return o;
    }

    private static String gpuProviderName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.contains("win") ? "CUDA/DirectML" : os.contains("mac") ? "CoreML" : "CUDA";
    }

    private static void addGpu(OrtSession.SessionOptions options) throws OrtException {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac")) {
            options.addCoreML();
        } else if (os.contains("win")) {
            try {
                options.addCUDA(0);
            } catch (OrtException e) {
                options.addDirectML(0);
            }
        } else {
            options.addCUDA(0);
        }
    }

    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
