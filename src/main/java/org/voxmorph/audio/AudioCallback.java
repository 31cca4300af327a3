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

    /**
     * Output device thread: how many frames {@link #render} can give now from finished output,
     * without standing in for output that is late. A backend that may be called on to write ahead of
     * its device (input that arrived in a burst) asks first, so as not to outrun the engine while the
     * device still has plenty queued. {@link Integer#MAX_VALUE} where waiting would change nothing.
     */
    default int ready() {
        return Integer.MAX_VALUE;
    }
}
