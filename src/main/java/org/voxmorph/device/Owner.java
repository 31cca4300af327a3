package org.voxmorph.device;

import java.time.Instant;
import java.util.Optional;

/**
 * Who loaded the virtual microphone's modules, written into their arguments as
 * {@code voxmorph.owner=TOKEN} so that any later process can tell whose they are.
 * A session token is {@code PID@START_MILLIS}: the start time keeps a recycled pid from passing for
 * the session that crashed. The user token marks a microphone made by {@code virtual-mic create},
 * which stays until {@code virtual-mic remove}.
 */
record Owner(long pid, long startMillis) {
    private static final String USER_TOKEN = "user";
    private static final Owner USER = new Owner(-1, 0);

    static Owner user() {
        return USER;
    }

    static Owner thisProcess() {
        return of(ProcessHandle.current());
    }

    static Owner of(ProcessHandle process) {
        return new Owner(process.pid(), startMillis(process));
    }

    /** Empty when the token is not ours to understand (someone else's modules with our names). */
    static Optional<Owner> parse(String token) {
        if (token.equals(USER_TOKEN)) {
            return Optional.of(USER);
        }
        int at = token.indexOf('@');
        try {
            return at < 0 ? Optional.empty()
                    : Optional.of(new Owner(Long.parseLong(token.substring(0, at)), Long.parseLong(token.substring(at + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean isUser() {
        return pid < 0;
    }

    String token() {
        return isUser() ? USER_TOKEN : pid + "@" + startMillis;
    }

    /** True for a session whose process has ended: what it loaded is left over and may be unloaded. */
    boolean isGone() {
        if (isUser()) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        return process.isEmpty() || (startMillis != 0 && startMillis(process.get()) != startMillis);
    }

    String describe() {
        return isUser() ? "user (stays until: voxmorph virtual-mic remove)" : "voxmorph session pid " + pid;
    }

    /** 0 where the system does not tell (then only the pid is compared). */
    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
