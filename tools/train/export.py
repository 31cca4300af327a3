"""Exports the trained voice as a voxmorph-stream package (models/FORMAT.md) and checks that the
exported step, run hop by hop, equals the offline networks on a held-out utterance."""
import hashlib
import json
import os

import numpy as np
import onnx
import torch

from common import HOP, RATE
from model import LOOKAHEAD, LogMel

MODEL_ID = "voxmorph-voices"
LICENSE = "GPL-3.0-or-later"


def speaker_f0(voices, voiced):
    """[mean, std] of ln F0 over the voiced hops of each voice's natural renderings (not its pitch variants)."""
    stats = []
    for name, corpus_speakers in voices:
        lf0 = np.concatenate([np.log(d["f0"][d["f0"] > 0]) for d in voiced if d["speaker"] == corpus_speakers[0]])
        stats.append([round(float(lf0.mean()), 4), round(float(lf0.std()), 4)])
    return stats


def streaming_matches_offline(step, audio, f0, speaker):
    """Largest difference between hop-by-hop mcep and the offline networks' (the export contract)."""
    n = len(audio) // HOP
    states = [torch.zeros(s) for s in step.state_shapes()]
    spk = torch.tensor([speaker])
    out = []
    with torch.no_grad():
        for i in range(n):
            res = step(torch.tensor(audio[i * HOP:(i + 1) * HOP]).unsqueeze(0), torch.tensor([[f0[i]]]), spk, *states)
            out.append(res[0][0].numpy())
            states = list(res[2:])
        x = torch.tensor(audio[:n * HOP]).unsqueeze(0)
        post = torch.softmax(step.enc(step.enc.mel(LogMel.frames(x))), -1)
        offline = step.dec(post, torch.tensor(f0[:n]).unsqueeze(0), spk) * step.dec.std + step.dec.mean
    return float(np.max(np.abs(np.stack(out) - offline[0].numpy())))


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def write_package(step, voices, voiced, args):
    out = args.out
    os.makedirs(out, exist_ok=True)
    probe = next(d for d in voiced if d["split"] == "train")
    diff = streaming_matches_offline(step, probe["audio"][:RATE * 2], probe["f0"][:200], 1)
    print("streaming step vs offline networks: max |difference| = %.2e" % diff)
    if diff > 1e-4:
        raise SystemExit("export: the streaming step does not reproduce the offline networks (%.2e)" % diff)
    shapes = step.state_shapes()
    names_in = ["audio_in", "f0_in", "speaker"] + ["state_in_%d" % i for i in range(len(shapes))]
    names_out = ["mcep", "f0_out"] + ["state_out_%d" % i for i in range(len(shapes))]
    example = (torch.zeros(1, HOP), torch.zeros(1, 1), torch.zeros(1, dtype=torch.long)) + tuple(torch.zeros(s) for s in shapes)
    path = os.path.join(out, "stream.onnx")
    torch.onnx.export(step, example, path + ".part", opset_version=17, input_names=names_in, output_names=names_out)
    latency = LOOKAHEAD * HOP
    # The graph carries everything model.json needs, so `voxmorph models import stream.onnx` rebuilds it.
    meta = {"format": "voxmorph-stream", "sampleRate": RATE, "hopSamples": HOP, "latencySamples": latency,
            "speakers": [name for name, _ in voices], "vocoder": {"type": "mel-cepstrum", "alpha": 0.42},
            "speakerF0": speaker_f0(voices, voiced)}
    m = onnx.load(path + ".part")
    m.metadata_props.add(key="voxmorph", value=json.dumps(meta))
    m.producer_name = "voxmorph tools/train"
    onnx.save(m, path + ".part")
    os.replace(path + ".part", path)
    manifest = dict(meta)
    manifest.update({
        "license": LICENSE,
        "provenance": "Trained from scratch by tools/train/train.py (seed %d) on speech rendered by Debian's flite, "
                      "festival and espeak-ng voices, plus unlabelled LibriSpeech clips (CC BY 4.0); see README.md "
                      "in this folder." % args.seed,
        "files": [{"path": "stream.onnx", "role": "stream", "sha256": sha256(path)}],
    })
    with open(os.path.join(out, "model.json.part"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(os.path.join(out, "model.json.part"), os.path.join(out, "model.json"))
    print("wrote %s (%.1f MB)" % (path, os.path.getsize(path) / 1e6))
