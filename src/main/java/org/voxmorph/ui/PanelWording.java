package org.voxmorph.ui;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Messages come from code the command line shares, so some name its options ("use --output DEV").
 * In the panel they are said in terms of its own controls instead.
 */
final class PanelWording {
    private static final Map<String, String> CLI_TO_PANEL = new LinkedHashMap<>();

    static {
        CLI_TO_PANEL.put(" (see: voxmorph devices)", "");
        CLI_TO_PANEL.put(" (see: voxmorph voice list)", "");
        CLI_TO_PANEL.put(" (see: voxmorph models)", "");
        CLI_TO_PANEL.put("create it with: voxmorph virtual-mic create (or run: voxmorph live --virtual-mic)",
                "press Create, or choose it as the Output and press Start");
        CLI_TO_PANEL.put("use --output DEV", "choose another Output");
        CLI_TO_PANEL.put("or connect JACK ports to it yourself with --output", "or choose a JACK port as the Output");
        CLI_TO_PANEL.put("use --backend javasound", "choose the javasound Backend");
        CLI_TO_PANEL.put("use the pulse, portaudio or javasound backend", "choose the pulse, portaudio or javasound Backend");
        CLI_TO_PANEL.put("set the processor's 'model' parameter or pass --model ID", "choose one in the Model box");
        CLI_TO_PANEL.put("add --voice NAME", "choose a Target voice");
        CLI_TO_PANEL.put("--speaker", "the speaker number");
        CLI_TO_PANEL.put("--block-ms", "the block size");
    }

    private PanelWording() {}

    static String of(String message) {
        if (message == null) {
            return null;
        }
        String s = message;
        for (Map.Entry<String, String> e : CLI_TO_PANEL.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        return s;
    }
}
