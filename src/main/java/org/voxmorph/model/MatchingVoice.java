package org.voxmorph.model;

import java.util.ArrayList;
import java.util.List;
import org.voxmorph.chain.Parameter;
import org.voxmorph.dsp.ContentNet;
import org.voxmorph.dsp.IdentityConverter;
import org.voxmorph.dsp.MatchingSet;

/**
 * A {@code voxmorph-frames} package: built-in voices as matching sets, one per speaker, converted
 * into by an {@link IdentityConverter} at the engine rate. No graph runs; the {@code speaker}
 * parameter switches voice at the next hop and {@code pitch} transposes on top of the voice's range.
 */
final class MatchingVoice implements ModelVoice {
    private final List<MatchingSet> sets = new ArrayList<>();
    private final IdentityConverter converter;
    private final Parameter speaker;
    private final Parameter pitch;
    private int current;

    MatchingVoice(ModelPackage pkg, int engineRate, Parameter speaker, Parameter pitch) {
        ContentNet content = ContentModel.shared();
        for (ModelPackage.FileEntry e : pkg.files()) {
            if (e.role().equals("frames")) {
                sets.add(ContentModel.readFrames(pkg, e, content));
            }
        }
        this.speaker = speaker;
        this.pitch = pitch;
        current = who();
        converter = new IdentityConverter(engineRate, sets.get(current), content);
        converter.setSemitones(pitch.current());
    }

    private int who() {
        return Math.max(0, Math.min(sets.size() - 1, (int) speaker.target()));
    }

    @Override
    public void process(float[] x, int n) {
        int done = 0;
        while (done < n) {
            if (converter.samplesToNextHop() == converter.hopSamples()) {
                converter.setSemitones(pitch.advance(converter.hopSamples()));
                int next = who();
                if (next != current) {
                    current = next;
                    converter.setTarget(sets.get(current));
                }
            }
            int chunk = Math.min(n - done, converter.samplesToNextHop());
            converter.process(x, done, chunk);
            done += chunk;
        }
    }

    @Override
    public int latencySamples() {
        return converter.latencySamples();
    }

    @Override
    public void reset() {
        converter.reset();
    }

    @Override
    public String providerSummary() {
        return "frame matching on CPU (no graph)";
    }

    @Override
    public String gpuFallback() {
        return null;
    }

    @Override
    public void close() {
        // nothing held outside the heap
    }
}
