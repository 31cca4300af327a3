package org.voxmorph.audio;

/**
 * What a backend's device threads call, and all they call: {@link #capture} from the input side and
 * {@link #render} from the output side (the same or different threads). Implementations only copy
 * samples: they never allocate, lock, log or wait. The engine implements it; devices and
 * processing know nothing else of each other.
 */
public interface AudioCallback {

    /** Input device thread: hands over n captured mono frames. */
    void capture(float[] buf, int offset, int n);

    /** Output device thread: fills n mono frames of output. */
    void render(float[] out, int offset, int n);
}
