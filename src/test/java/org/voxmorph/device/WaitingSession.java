package org.voxmorph.device;

/** A session that makes the virtual microphone and then waits to be ended (run as a child JVM by the tests). */
public final class WaitingSession {
    public static void main(String[] args) throws Exception {
        try {
            new PulseVirtualMicrophone().ensure();
        } catch (org.voxmorph.audio.AudioDeviceException e) {
            System.out.println("refused: " + e.getMessage());
            return;
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
