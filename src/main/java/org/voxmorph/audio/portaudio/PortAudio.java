package org.voxmorph.audio.portaudio;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few PortAudio v19 calls we use, bound directly (JNA direct mapping), so that the blocking
 * read and write calls our device threads make pass only preallocated arguments.
 */
final class PortAudio {
    static final int PA_NO_ERROR = 0;
    static final int PA_INPUT_OVERFLOWED = -9981;
    static final int PA_OUTPUT_UNDERFLOWED = -9980;
    static final int PA_FORMAT_IS_SUPPORTED = 0;
    static final int PA_NO_DEVICE = -1;
    static final long PA_INT16 = 0x8;
    static final long PA_CLIP_OFF = 0x1;

    /** Why the library could not be loaded, or null once it is bound. */
    static final String LOAD_ERROR = load();

    private PortAudio() {}

    private static String load() {
        for (String name : new String[] {"portaudio", "libportaudio.so.2", "portaudio_x64"}) {
            try {
                Native.register(PortAudio.class, NativeLibrary.getInstance(name));
                return null;
            } catch (UnsatisfiedLinkError e) {
                // try the next name
            }
        }
        return "the PortAudio library is not installed (Debian: apt-get install libportaudio2; see native/README.md)";
    }

    @Structure.FieldOrder({"structVersion", "name", "hostApi", "maxInputChannels", "maxOutputChannels",
        "defaultLowInputLatency", "defaultLowOutputLatency", "defaultHighInputLatency", "defaultHighOutputLatency",
        "defaultSampleRate"})
    public static final class DeviceInfo extends Structure {
        public int structVersion;
        public String name;
        public int hostApi;
        public int maxInputChannels;
        public int maxOutputChannels;
        public double defaultLowInputLatency;
        public double defaultLowOutputLatency;
        public double defaultHighInputLatency;
        public double defaultHighOutputLatency;
        public double defaultSampleRate;

        public DeviceInfo(Pointer p) {
            super(p);
            read();
        }
    }

    @Structure.FieldOrder({"structVersion", "type", "name", "deviceCount", "defaultInputDevice", "defaultOutputDevice"})
    public static final class HostApiInfo extends Structure {
        public int structVersion;
        public int type;
        public String name;
        public int deviceCount;
        public int defaultInputDevice;
        public int defaultOutputDevice;

        public HostApiInfo(Pointer p) {
            super(p);
            read();
        }
    }

    @Structure.FieldOrder({"device", "channelCount", "sampleFormat", "suggestedLatency", "hostApiSpecificStreamInfo"})
    public static final class StreamParameters extends Structure {
        public int device;
        public int channelCount;
        public NativeLong sampleFormat = new NativeLong(PA_INT16);
        public double suggestedLatency;
        public Pointer hostApiSpecificStreamInfo;

        StreamParameters(int device, int channels, double latency) {
            this.device = device;
            this.channelCount = channels;
            this.suggestedLatency = latency;
            write();
        }
    }

    @Structure.FieldOrder({"structVersion", "inputLatency", "outputLatency", "sampleRate"})
    public static final class StreamInfo extends Structure {
        public int structVersion;
        public double inputLatency;
        public double outputLatency;
        public double sampleRate;

        public StreamInfo(Pointer p) {
            super(p);
            read();
        }
    }

    static native int Pa_Initialize();

    static native int Pa_Terminate();

    static native String Pa_GetErrorText(int error);

    static native int Pa_GetDeviceCount();

    static native int Pa_GetDefaultInputDevice();

    static native int Pa_GetDefaultOutputDevice();

    static native Pointer Pa_GetDeviceInfo(int device);

    static native Pointer Pa_GetHostApiInfo(int hostApi);

    static native int Pa_IsFormatSupported(StreamParameters in, StreamParameters out, double sampleRate);

    static native int Pa_OpenStream(PointerByReference stream, StreamParameters in, StreamParameters out,
            double sampleRate, NativeLong framesPerBuffer, NativeLong flags, Pointer callback, Pointer userData);

    static native int Pa_StartStream(Pointer stream);

    static native int Pa_StopStream(Pointer stream);

    static native int Pa_AbortStream(Pointer stream);

    static native int Pa_CloseStream(Pointer stream);

    static native Pointer Pa_GetStreamInfo(Pointer stream);

    /** Frames readable without waiting; declared int (the C type is long) so that the call allocates nothing. */
    static native int Pa_GetStreamReadAvailable(Pointer stream);

    /*
     * frames is an unsigned long in C, declared long here: a NativeLong would be boxed on every
     * call. Both 64-bit conventions pass it in a register, so a 32-bit unsigned long (Windows)
     * reads the same small value.
     */
    static native int Pa_ReadStream(Pointer stream, Pointer buffer, long frames);

    static native int Pa_WriteStream(Pointer stream, Pointer buffer, long frames);
}
