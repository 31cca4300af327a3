#!/usr/bin/python3
"""Trains Voxmorph's content encoder: which speech sound a 20 ms frame is, whoever says it.

    nice -n 5 /usr/bin/python3 tools/train/content_encoder.py [--work /tmp/voxmorph-content] [--steps 3000]
    /usr/bin/python3 tools/train/content_encoder.py --evaluate-only      # accuracy of the saved checkpoint
    /usr/bin/python3 tools/train/content_encoder.py --export models/voxmorph-content

Labels come from tools/train/content_align.py (PocketSphinx forced alignment of ../shared/corpus).
The input is exactly what org.voxmorph.dsp.FrameAnalysis computes for every frame: 20 ms under a
periodic square-root Hann window, zero-padded FFT, 40 triangular mel bands 60..7600 Hz,
ln(energy + 1e-9); here at 16 kHz, every 10 ms. The graph first removes each frame's mean over the
bands (loudness, and the constant offset the FFT size puts in at other sample rates), so it sees
only the spectral shape.

The net is causal: valid (unpadded) convolutions over the newest 17 frames (170 ms of the past and
the frame itself, no look-ahead, so it adds no delay to the converter), 128 channels, a 24-value
linear bottleneck (the content vector the converter matches in) and a linear read-out to 40 phone
classes (39 CMU phones and silence). Speaker invariance comes from augmentation applied to the
power spectrum before the mel bands: vocal-tract length perturbation (the frequency axis scaled by
0.80..1.20 per crop, which also moves the harmonics, so pitch varies with it), a random spectral
tilt (+-6 dB across the band: microphones) and white noise at 10..50 dB SNR on half the crops.

Fixed seed, resumable (checkpoint every 100 steps in --work), a progress line every 20 steps.
"""
import argparse
import json
import math
import os
import sys
import time
import wave

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

RATE = 16000
HOP = 160
FRAME = 320            # 4 * round(0.020 * RATE / 4)
SIZE = 512
BANDS = 40
LOW_HZ, HIGH_HZ = 60.0, 7600.0
FLOOR = 1e-9
CONTEXT = 17           # frames the newest output sees (receptive field)
CHANNELS = 128
CONTENT = 24
SEED = 5
CROP = 120             # output frames per training crop
BATCH = 32


def read_wav(path):
    with wave.open(path, "rb") as w:
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768
    return x


def log_power(x):
    """ln |X|^2 of every 10 ms frame (FrameAnalysis's window and FFT size), [frames, SIZE/2+1]."""
    n = max(0, (len(x) - FRAME) // HOP + 1)
    if n == 0:
        return np.zeros((0, SIZE // 2 + 1), np.float32)
    window = np.sqrt(0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME) / FRAME))
    frames = np.lib.stride_tricks.sliding_window_view(x, FRAME)[::HOP][:n] * window
    spec = np.fft.rfft(frames, SIZE)
    return np.log(spec.real ** 2 + spec.imag ** 2 + FLOOR).astype(np.float32)


def mel(hz):
    return 1127 * np.log(1 + hz / 700)


def mel_weights(warp=1.0):
    """[SIZE/2+1, BANDS]: FrameAnalysis's triangles; with warp, read at frequency * warp (a tract 1/warp as long)."""
    edges_mel = mel(LOW_HZ) + (mel(HIGH_HZ) - mel(LOW_HZ)) * np.arange(BANDS + 2) / (BANDS + 1)
    edges = 700 * (np.exp(edges_mel / 1127) - 1)
    hz = np.arange(SIZE // 2 + 1) * RATE / SIZE * warp
    w = np.zeros((SIZE // 2 + 1, BANDS), np.float32)
    for b in range(BANDS):
        up = (hz - edges[b]) / (edges[b + 1] - edges[b])
        down = (edges[b + 2] - hz) / (edges[b + 2] - edges[b + 1])
        w[:, b] = np.maximum(0, np.minimum(up, down))
    return w


class ContentEncoder(nn.Module):
    """Raw log-mel [B, T, 40] -> content [B, T-16, 24] and phone logits [B, T-16, 40]."""

    def __init__(self, classes, mean=None, sd=None):
        super().__init__()
        self.register_buffer("mean", torch.zeros(BANDS) if mean is None else torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("sd", torch.ones(BANDS) if sd is None else torch.tensor(sd, dtype=torch.float32))
        self.conv1 = nn.Conv1d(BANDS, CHANNELS, 5)
        self.conv2 = nn.Conv1d(CHANNELS, CHANNELS, 3, dilation=2)
        self.conv3 = nn.Conv1d(CHANNELS, CHANNELS, 3, dilation=4)
        self.conv4 = nn.Conv1d(CHANNELS, CHANNELS, 1)
        self.bottleneck = nn.Conv1d(CHANNELS, CONTENT, 1)
        self.readout = nn.Conv1d(CONTENT, classes, 1)

    def forward(self, logmel):
        x = logmel - logmel.mean(dim=2, keepdim=True)
        x = ((x - self.mean) / self.sd).transpose(1, 2)
        h = F.relu(self.conv1(x))
        h = F.relu(self.conv2(h)) + h[:, :, 4:]
        h = F.relu(self.conv3(h)) + h[:, :, 8:]
        h = F.relu(self.conv4(h)) + h
        content = self.bottleneck(h)
        return content.transpose(1, 2), self.readout(content).transpose(1, 2)


class Export(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, logmel):
        return self.net(logmel)[0]


def load(work, phones):
    """Every clip's log power spectra and frame labels, by split."""
    cache = os.path.join(work, "features.npz")
    meta = json.load(open(os.path.join(work, "labels.json")))
    index = {p: i for i, p in enumerate(phones)}
    if os.path.exists(cache):
        z = np.load(cache, allow_pickle=False)
        return {k: z[k] for k in z.files}, meta
    specs, labels, starts, lengths, splits, names = [], [], [], [], [], []
    at = 0
    clips = sorted(meta["clips"].items())
    t0 = time.time()
    for i, (cid, c) in enumerate(clips):
        x = read_wav(os.path.join(work, c["wav"]))
        lp = log_power(x)
        n = len(lp)
        lab = np.zeros(n, np.int8)
        bounds = c["starts"] + [10 ** 9]
        for k, ph in enumerate(c["phones"]):
            lab[min(n, bounds[k]):min(n, bounds[k + 1])] = index[ph]
        if c["speaker"].startswith("speech_commands"):
            # One-second clips padded with silence: keep the word and 200 ms either side.
            voiced = np.nonzero(lab)[0]
            if len(voiced) == 0:
                continue
            lo, hi = max(0, voiced[0] - 20), min(n, voiced[-1] + 21)
            lp, lab, n = lp[lo:hi], lab[lo:hi], hi - lo
        if n < 20:
            continue
        specs.append(lp.astype(np.float16))
        labels.append(lab)
        starts.append(at)
        lengths.append(n)
        splits.append({"train": 0, "heldout": 1, "vctk": 2}[c["split"]])
        names.append(cid)
        at += n
        if i % 500 == 0:
            print("features %d/%d (%.0f s)" % (i, len(clips), time.time() - t0), flush=True)
    data = {"spec": np.concatenate(specs), "label": np.concatenate(labels), "start": np.array(starts),
            "length": np.array(lengths), "split": np.array(splits), "name": np.array(names)}
    np.savez(cache, **data)
    return data, meta


def crop_batch(data, train_ids, rng, weights_by_warp, warps):
    """A batch of augmented log-mel crops [B, CROP+16, 40] and labels [B, CROP] (-100 = none)."""
    spec, label = data["spec"], data["label"]
    lengths = data["length"][train_ids]
    chosen = rng.choice(train_ids, BATCH, p=lengths / lengths.sum())
    x = np.zeros((BATCH, CROP + CONTEXT - 1, SIZE // 2 + 1), np.float32)
    x[:] = math.log(FLOOR)
    y = np.full((BATCH, CROP), -100, np.int64)
    for b, u in enumerate(chosen):
        s, n = data["start"][u], data["length"][u]
        first = rng.integers(-(CONTEXT - 1), max(1, n - CROP) + 1)  # may start before the clip: digital silence
        lo, hi = max(0, first), min(n, first + CROP + CONTEXT - 1)
        x[b, lo - first:hi - first] = spec[s + lo:s + hi]
        out_lo = max(0, first + CONTEXT - 1)
        out_hi = min(n, first + CONTEXT - 1 + CROP)
        if out_hi > out_lo:
            y[b, out_lo - (first + CONTEXT - 1):out_hi - (first + CONTEXT - 1)] = label[s + out_lo:s + out_hi]
    power = np.exp(x)
    # White noise on half the crops, 10..50 dB below the crop's mean power.
    for b in range(BATCH):
        if rng.random() < 0.5:
            power[b] += power[b].mean() * 10 ** (-rng.uniform(10, 50) / 10)
    which = rng.integers(0, len(warps), BATCH)
    mels = np.stack([power[b] @ weights_by_warp[which[b]] for b in range(BATCH)])
    logmel = np.log(mels + FLOOR)
    tilt = rng.uniform(-1, 1, BATCH)[:, None, None] * (6 * math.log(10) / 10) * (np.arange(BANDS) / (BANDS - 1) - 0.5)
    return torch.from_numpy((logmel + tilt).astype(np.float32)), torch.from_numpy(y)


def encode(net, spec_rows, weights):
    """Content and logits for a whole clip, as the converter sees it (16 frames of digital silence first)."""
    logmel = np.log(np.exp(spec_rows.astype(np.float32)) @ weights + FLOOR)
    pad = np.full((CONTEXT - 1, BANDS), math.log(FLOOR), np.float32)
    with torch.no_grad():
        c, logits = net(torch.from_numpy(np.concatenate([pad, logmel]))[None])
    return c[0].numpy(), logits[0].numpy()


def accuracy(net, data, split, weights, phones):
    correct = total = correct_speech = total_speech = 0
    per_speaker = {}
    for u in np.nonzero(data["split"] == split)[0]:
        s, n = data["start"][u], data["length"][u]
        _, logits = encode(net, data["spec"][s:s + n], weights)
        y = data["label"][s:s + n]
        hit = logits.argmax(1) == y
        correct += hit.sum()
        total += n
        correct_speech += hit[y != 0].sum()
        total_speech += (y != 0).sum()
    return correct / max(1, total), correct_speech / max(1, total_speech), int(total)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/voxmorph-content")
    ap.add_argument("--steps", type=int, default=3000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--evaluate-only", action="store_true")
    ap.add_argument("--export", default=None)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    meta_phones = json.load(open(os.path.join(args.work, "labels.json")))["phones"]
    data, meta = load(args.work, meta_phones)
    train_ids = np.nonzero(data["split"] == 0)[0]
    base = mel_weights()
    ckpt = os.path.join(args.work, "content-encoder.pt")
    if os.path.exists(ckpt):
        state = torch.load(ckpt)
        net = ContentEncoder(len(meta_phones))
        net.load_state_dict(state["net"])
        step = state["step"]
    else:
        # Input standardisation from the training frames (frame mean removed, as in the graph).
        sample = data["spec"][rng.choice(np.concatenate([np.arange(data["start"][u], data["start"][u] + data["length"][u])
                                                         for u in train_ids[:400]]), 20000)]
        lm = np.log(np.exp(sample.astype(np.float32)) @ base + FLOOR)
        lm -= lm.mean(axis=1, keepdims=True)
        net = ContentEncoder(len(meta_phones), lm.mean(axis=0), lm.std(axis=0) + 1e-3)
        step = 0
        state = None
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    if state is not None:
        opt.load_state_dict(state["opt"])
        rng = np.random.default_rng(SEED + step)
    if args.export:
        export(net, args.export, args.work)
        return
    if not args.evaluate_only:
        warps = np.linspace(0.80, 1.20, 17)
        weights_by_warp = [mel_weights(w) for w in warps]
        t0 = time.time()
        start_step = step
        while step < args.steps:
            for g in opt.param_groups:
                g["lr"] = 2e-3 * 0.5 * (1 + math.cos(math.pi * step / args.steps))
            x, y = crop_batch(data, train_ids, rng, weights_by_warp, warps)
            _, logits = net(x)
            loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 20 == 0:
                rate = (step - start_step) / (time.time() - t0)
                bar = "#" * int(30 * step / args.steps)
                print("[%-30s] step %d/%d loss %.3f  %.2f steps/s, %.0f min left"
                      % (bar, step, args.steps, loss.item(), rate, (args.steps - step) / rate / 60), flush=True)
            if step % 100 == 0 or step == args.steps:
                torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "step": step}, ckpt + ".part")
                os.replace(ckpt + ".part", ckpt)
                rng = np.random.default_rng(SEED + step)
    net.eval()
    report = {"steps": step}
    for name, split in (("held-out corpus speakers", 1), ("VCTK (../shared/speech)", 2)):
        acc, acc_speech, n = accuracy(net, data, split, base, meta_phones)
        report[name] = {"frames": n, "accuracy": round(float(acc), 3), "accuracy_speech_frames": round(float(acc_speech), 3)}
        print("%s: frame accuracy %.1f %% (speech frames only %.1f %%) over %d frames"
              % (name, 100 * acc, 100 * acc_speech, n), flush=True)
    with open(os.path.join(args.work, "content-accuracy.json"), "w") as f:
        json.dump(report, f, indent=1)


def export(net, folder, work):
    """content.onnx, content.weights (org.voxmorph.dsp.ContentNet's layout) and model.json into folder."""
    import hashlib
    import struct
    import onnx
    net.eval()
    os.makedirs(folder, exist_ok=True)
    graph = os.path.join(folder, "content.onnx")
    dummy = torch.zeros(1, CONTEXT, BANDS)
    torch.onnx.export(Export(net), dummy, graph, input_names=["logmel"], output_names=["content"], opset_version=13,
                      dynamic_axes={"logmel": {1: "frames"}, "content": {1: "outputs"}})
    onnx.checker.check_model(onnx.load(graph))
    parts = [net.mean, net.sd, net.conv1.weight, net.conv1.bias, net.conv2.weight, net.conv2.bias, net.conv3.weight,
             net.conv3.bias, net.conv4.weight, net.conv4.bias, net.bottleneck.weight, net.bottleneck.bias]
    blob = struct.pack("<6i", 0x4E434D56, 1, BANDS, CONTEXT, CHANNELS, CONTENT)
    blob += b"".join(p.detach().numpy().astype("<f4").tobytes() for p in parts)
    with open(os.path.join(folder, "content.weights"), "wb") as f:
        f.write(blob)
    figures = json.load(open(os.path.join(work, "content-accuracy.json")))
    sha = lambda p: hashlib.sha256(open(os.path.join(folder, p), "rb").read()).hexdigest()
    manifest = {
        "format": "voxmorph-content",
        "sampleRate": RATE,
        "hopSamples": HOP,
        "contentSize": CONTENT,
        "contextFrames": CONTEXT,
        "frontEnd": {"frameSeconds": 0.020, "window": "periodic sqrt-Hann", "melBands": BANDS, "lowHz": LOW_HZ,
                     "highHz": HIGH_HZ, "floor": FLOOR},
        "license": "GPL-3.0-or-later",
        "provenance": "Trained from scratch by tools/train/content_encoder.py (seed %d, %d steps) on PocketSphinx phone "
                      "alignments (tools/train/content_align.py) of LibriSpeech train-clean-100 and Google Speech Commands "
                      "v0.02 (both CC BY 4.0) and one selfrec speaker (Apache-2.0), minus 40 held-out speakers; see "
                      "README.md in this folder." % (SEED, figures["steps"]),
        "figures": figures,
        "files": [{"path": "content.onnx", "role": "content-encoder", "sha256": sha("content.onnx")},
                  {"path": "content.weights", "role": "weights", "sha256": sha("content.weights")}],
    }
    with open(os.path.join(folder, "model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print("wrote", folder, os.path.getsize(graph), "+", len(blob), "bytes")


if __name__ == "__main__":
    sys.exit(main())
