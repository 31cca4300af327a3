package org.voxmorph.device;

/** A session that makes the virtual microphone and then waits to be ended (run as a child JVM by the tests). */
public final class WaitingSession {
    public static void main(String[] args) throws Exception {
        new PulseVirtualMicrophone().ensure();
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
