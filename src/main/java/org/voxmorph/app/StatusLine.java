package org.voxmorph.app;

import org.voxmorph.engine.LiveRunner;

/** The once-a-second live status: levels, latency, late and failed blocks, CPU load. */
final class StatusLine {
    private StatusLine() {}

    /** @param withXruns whether there are real devices whose under- and overruns mean something */
    static String format(LiveRunner.Status s, boolean withXruns) {
        return String.format("in %6.1f dBFS  out %6.1f dBFS  latency %.1f ms algorithmic + %.1f ms device  "
                        + "%slate %d  failed %d  overruns %d  cpu %4.1f%%",
                s.inputPeakDb(), s.outputPeakDb(), s.algorithmicLatencyMs(), s.deviceLatencyMs(),
                withXruns ? "xruns " + s.xruns() + "  " : "", s.lateBlocks(), s.failedBlocks(), s.inputOverflows(),
                s.cpuPercent());
    }
}
