#!/usr/bin/python3
"""Trains Voxmorph's speaker encoder from scratch and exports it to models/voxmorph-speaker.

    nice -n 10 /usr/bin/python3 tools/train/speaker_encoder.py      # resumable: run it again after a stop

A finished run, started again, only evaluates and exports its last checkpoint.

Data: ../shared/corpus (LibriSpeech 251 speakers, Speech Commands 239 speakers, one selfrec
speaker). Held out of training: the 20 LibriSpeech speakers of ../shared/speech (evaluation
cohort), 20 more LibriSpeech and 20 Speech Commands speakers (held-out EER); ../shared/speech's
VCTK and dev-clean speakers are not in the corpus at all.

Front end (org.voxmorph.voice.SpeakerEncoder computes the same in Java): 16 kHz, 25 ms Hann frames
every 10 ms, 512-point FFT, 40 mel bands 60..7600 Hz, ln(power + 1e-6); frames more than 35 dB
below the clip's loud frames (95th percentile of frame power) are dropped. The graph takes those
[1, T, 40] log-mels; it subtracts their mean, runs a small x-vector net (strided and dilated 1-D
convolutions, mean+std pooling) and returns a unit-length 256-value embedding.
Training: additive-angular-margin softmax over the training speakers on random 1.2-3 s crops,
with noise at 5-30 dB SNR and time/frequency masking. Every random choice derives from --seed and
the step number, so a resumed run equals an unbroken one.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from multiprocessing import Pool

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(ROOT, "..", "shared")
CORPUS = os.path.join(SHARED, "corpus")
RATE, WIN, HOP, NFFT, BANDS = 16000, 400, 160, 512, 40
LOW_HZ, HIGH_HZ, FLOOR, VAD_DB = 60.0, 7600.0, 1e-6, 35.0
EMBEDDING = 256
CHANNELS = 128
MODEL_ID = "voxmorph-speaker"


# ---------------------------------------------------------------- front end (mirrored in Java)
def mel_weights():
    def mel(hz):
        return 1127 * np.log(1 + hz / 700)
    m = mel(LOW_HZ) + (mel(HIGH_HZ) - mel(LOW_HZ)) * np.arange(BANDS + 2) / (BANDS + 1)
    edges = 700 * (np.exp(m / 1127) - 1)
    hz = np.arange(NFFT // 2 + 1) * RATE / NFFT
    up = (hz[None, :] - edges[:-2, None]) / (edges[1:-1] - edges[:-2])[:, None]
    down = (edges[2:, None] - hz[None, :]) / (edges[2:] - edges[1:-1])[:, None]
    return np.maximum(0, np.minimum(up, down))


WEIGHTS = mel_weights()
WINDOW = 0.5 - 0.5 * np.cos(2 * np.pi * (np.arange(WIN) + 0.5) / WIN)


def mel_power(x):
    """[frames, BANDS] mel-band power of 16 kHz audio."""
    n = max(0, (len(x) - WIN) // HOP + 1)
    if n == 0:
        return np.zeros((0, BANDS))
    frames = x[np.arange(n)[:, None] * HOP + np.arange(WIN)[None, :]] * WINDOW
    return (np.abs(np.fft.rfft(frames, NFFT)) ** 2) @ WEIGHTS.T


def speech_frames(power):
    """Drops frames more than VAD_DB below the loud frames; keeps all when fewer than 50 would remain."""
    if len(power) == 0:
        return power
    level = np.log(power.sum(axis=1) + FLOOR)
    loud = np.sort(level)[int(0.95 * (len(level) - 1))]
    keep = level > loud - VAD_DB / 10 * np.log(10)
    return power[keep] if keep.sum() >= 50 else power


def log_mel(x):
    return np.log(speech_frames(mel_power(x)) + FLOOR).astype(np.float32)


# ---------------------------------------------------------------- network
class SpeakerNet(nn.Module):
    def __init__(self, channels=CHANNELS, dim=EMBEDDING):
        super().__init__()
        c = channels
        self.conv1 = nn.Conv1d(BANDS, c, 5, stride=2, padding=2)
        self.conv2 = nn.Conv1d(c, c, 3, stride=2, padding=1)
        self.conv3 = nn.Conv1d(c, c, 3, dilation=2, padding=2)
        self.conv4 = nn.Conv1d(c, c, 3, dilation=3, padding=3)
        self.conv5 = nn.Conv1d(c, 2 * c, 1)
        self.bns = nn.ModuleList([nn.BatchNorm1d(c) for _ in range(4)] + [nn.BatchNorm1d(2 * c)])
        self.fc = nn.Linear(4 * c, dim)
        self.bn_out = nn.BatchNorm1d(dim)

    def forward(self, logmel):
        """[B, T, 40] log-mel -> [B, dim] unit-length embedding."""
        x = logmel.transpose(1, 2)
        x = x - x.mean(dim=2, keepdim=True)
        x = self.bns[0](F.relu(self.conv1(x)))
        x = self.bns[1](F.relu(self.conv2(x)))
        x = x + self.bns[2](F.relu(self.conv3(x)))
        x = x + self.bns[3](F.relu(self.conv4(x)))
        x = self.bns[4](F.relu(self.conv5(x)))
        mean = x.mean(dim=2)
        std = torch.sqrt(((x - mean.unsqueeze(2)) ** 2).mean(dim=2) + 1e-5)
        e = self.bn_out(self.fc(torch.cat([mean, std], dim=1)))
        return F.normalize(e, dim=1)


class AamSoftmax(nn.Module):
    def __init__(self, dim, classes, scale=30.0):
        super().__init__()
        self.w = nn.Parameter(torch.randn(classes, dim) * 0.01)
        self.scale = scale

    def forward(self, e, labels, margin):
        cos = e @ F.normalize(self.w, dim=1).T
        theta = torch.acos(cos.clamp(-1 + 1e-6, 1 - 1e-6))
        target = torch.cos(theta + margin)
        onehot = F.one_hot(labels, cos.shape[1]).bool()
        logits = self.scale * torch.where(onehot, target, cos)
        return F.cross_entropy(logits, labels), (cos.argmax(1) == labels).float().mean()


# ---------------------------------------------------------------- data
def read_flac(path):
    raw = subprocess.run(["sox", path, "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", "-r", str(RATE), "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float64) / 32768


def _features_of(path):
    return log_mel(read_flac(path))


def corpus_rows():
    rows = []
    for sub in ("librispeech_resemblyzer", "speech_commands_test", "selfrec_ljtext"):
        lines = open(os.path.join(CORPUS, sub, "MANIFEST.tsv"), encoding="utf-8").read().splitlines()[1:]
        for line in lines:
            r = line.split("\t")
            rows.append((sub, sub[:5] + ":" + r[1], os.path.join(CORPUS, sub, r[0])))
    return sorted(rows)


def load_features(cache, progress):
    """Log-mel speech frames of every corpus file, cached: {speaker: [array per file]}."""
    rows = corpus_rows()
    if not os.path.exists(cache):
        feats = {}
        with Pool(2) as pool:
            for i, lm in enumerate(pool.imap(_features_of, [r[2] for r in rows], chunksize=16)):
                feats["%d" % i] = lm
                progress("features", i + 1, len(rows))
        np.savez(cache + ".part.npz", **feats)
        os.replace(cache + ".part.npz", cache)
    saved = np.load(cache)
    out = {}
    for i, (sub, spk, path) in enumerate(rows):
        out.setdefault(spk, []).append(saved["%d" % i])
    return out


def split_speakers(speakers, seed):
    cohort = {"libri:" + f.split("-")[0] for f in os.listdir(os.path.join(SHARED, "speech", "libri_trainclean100_cohort"))}
    rng = np.random.RandomState(seed)
    libri = sorted(s for s in speakers if s.startswith("libri:") and s not in cohort)
    sc = sorted(s for s in speakers if s.startswith("speec:") and len(speakers[s]) >= 6)
    held = set(rng.choice(libri, 20, replace=False)) | set(rng.choice(sc, 20, replace=False))
    train = sorted(s for s in speakers if s not in held and s not in cohort)
    return train, sorted(held), sorted(cohort & set(speakers))


def noise_profiles():
    """Mel power of unit-variance white and pink noise (per frame), for adding noise to mel power."""
    hz = np.maximum(np.arange(NFFT // 2 + 1) * RATE / NFFT, 60)
    white = WEIGHTS.sum(axis=1) * (WINDOW ** 2).sum() * NFFT / NFFT
    pink = (WEIGHTS / hz[None, :]).sum(axis=1) * (WINDOW ** 2).sum() * 1000
    return np.stack([white, pink]).astype(np.float32)


def batch(train_feats, n, length, rng, noise):
    """n crops of `length` frames (speaker uniformly at random, their files concatenated), augmented."""
    labels = rng.randint(0, len(train_feats), n)
    out = np.empty((n, length, BANDS), dtype=np.float32)
    for b, k in enumerate(labels):
        seq = train_feats[k]
        if len(seq) <= length:
            seq = np.tile(seq, (length // len(seq) + 2, 1))
        start = rng.randint(0, len(seq) - length)
        lm = seq[start:start + length]
        if rng.rand() < 0.6:                       # additive noise at 5..30 dB SNR (mel power domain)
            p = np.exp(lm)
            prof = noise[rng.randint(2)]
            snr = rng.uniform(5, 30)
            scale = p.sum(axis=1).mean() / prof.sum() / 10 ** (snr / 10)
            lm = np.log(p + scale * prof * rng.gamma(4, 0.25, size=p.shape) + FLOOR)
        lm = lm.copy()
        if rng.rand() < 0.5:                       # frequency mask
            w = rng.randint(1, 6)
            f0 = rng.randint(0, BANDS - w)
            lm[:, f0:f0 + w] = lm.mean()
        if rng.rand() < 0.5:                       # time mask
            w = rng.randint(5, 25)
            t0 = rng.randint(0, length - w)
            lm[t0:t0 + w] = lm.mean(axis=0)
        out[b] = lm
    return torch.from_numpy(out), torch.from_numpy(labels)


# ---------------------------------------------------------------- evaluation
def eer(target, nontarget):
    target, nontarget = np.sort(target), np.sort(nontarget)
    th = np.sort(np.concatenate([target, nontarget]))
    frr = np.searchsorted(target, th, side="left") / len(target)
    far = 1 - np.searchsorted(nontarget, th, side="left") / len(nontarget)
    i = np.argmin(np.abs(frr - far))
    return float((frr[i] + far[i]) / 2)


def embed(net, lm):
    with torch.no_grad():
        return net(torch.from_numpy(lm).unsqueeze(0))[0].numpy()


def pair_eer(net, halves):
    """EER over enrolment half vs test half of each speaker ({speaker: (logmel_a, logmel_b)})."""
    names = sorted(halves)
    a = np.stack([embed(net, halves[s][0]) for s in names])
    b = np.stack([embed(net, halves[s][1]) for s in names])
    sim = b @ a.T
    tgt = np.diag(sim)
    non = sim[~np.eye(len(names), dtype=bool)]
    return eer(tgt, non), len(tgt), len(non)


def heldout_halves(feats, speakers):
    out = {}
    for s in speakers:
        seq = np.concatenate(feats[s])
        h = len(seq) // 2
        out[s] = (seq[:h], seq[h:])
    return out


def shared_sets():
    """VCTK p225-p228, 10 utterances each: {speaker: [logmel per wav]}."""
    import wave
    out = {}
    for d in sorted(os.listdir(os.path.join(SHARED, "speech"))):
        if not d.startswith("vctk_"):
            continue
        for f in sorted(os.listdir(os.path.join(SHARED, "speech", d))):
            if f.endswith(".wav"):
                with wave.open(os.path.join(SHARED, "speech", d, f)) as w:
                    x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16) / 32768.0
                out.setdefault(d, []).append(log_mel(x))
    return out


def utterance_eer(net, sets):
    """All utterance pairs: same speaker = target, different speaker = non-target."""
    embs, who = [], []
    for s, lms in sets.items():
        for lm in lms:
            embs.append(embed(net, lm))
            who.append(s)
    e = np.stack(embs)
    who = np.array(who)
    sim = e @ e.T
    iu = np.triu_indices(len(who), 1)
    same = who[iu[0]] == who[iu[1]]
    return eer(sim[iu][same], sim[iu][~same]), int(same.sum()), int((~same).sum())


def evaluate(net, feats, held, cohort):
    net.eval()
    vctk = shared_sets()
    res = {
        "heldout_corpus": pair_eer(net, heldout_halves(feats, held)),
        "heldout_libri": pair_eer(net, heldout_halves(feats, [s for s in held if s.startswith("libri")])),
        "heldout_speech_commands": pair_eer(net, heldout_halves(feats, [s for s in held if s.startswith("speec")])),
        "shared_libri_cohort_halves": pair_eer(net, heldout_halves(feats, cohort)),
        "shared_vctk_utterances": utterance_eer(net, vctk),
    }
    return {k: {"eer": round(v[0], 4), "target_trials": v[1], "nontarget_trials": v[2]} for k, v in res.items()}


# ---------------------------------------------------------------- export
def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def self_check(net):
    """The embedding training computes for one held-out clip; SpeakerEncoderTest expects the same from Java."""
    import wave
    clip = "vctk_p225/p225_003.wav"
    with wave.open(os.path.join(SHARED, "speech", clip)) as w:
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16) / 32768.0
    return {"clip": clip, "embedding": [round(float(v), 6) for v in embed(net, log_mel(x))]}


def export(net, out, args, figures, n_train):
    os.makedirs(out, exist_ok=True)
    net.eval()
    path = os.path.join(out, "encoder.onnx")
    example = torch.from_numpy(np.random.RandomState(0).randn(1, 300, BANDS).astype(np.float32))
    torch.onnx.export(net, example, path + ".part", opset_version=17, input_names=["logmel"],
                      output_names=["embedding"], dynamic_axes={"logmel": {1: "frames"}})
    os.replace(path + ".part", path)
    manifest = {
        "format": "voxmorph-speaker",
        "sampleRate": RATE,
        "hopSamples": HOP,
        "embeddingSize": EMBEDDING,
        "frontEnd": {"window": WIN, "fft": NFFT, "melBands": BANDS, "lowHz": LOW_HZ, "highHz": HIGH_HZ,
                     "floor": FLOOR, "vadDb": VAD_DB},
        "license": "GPL-3.0-or-later",
        "provenance": "Trained from scratch by tools/train/speaker_encoder.py (seed %d, %d steps) on %d speakers of "
                      "LibriSpeech train-clean-100 and Google Speech Commands v0.02 (both CC BY 4.0) and one "
                      "selfrec speaker (Apache-2.0); see README.md in this folder." % (args.seed, args.steps, n_train),
        "figures": figures,
        "selfCheck": self_check(net),
        "files": [{"path": "encoder.onnx", "role": "speaker-encoder", "sha256": sha256(path)}],
    }
    with open(os.path.join(out, "model.json.part"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    os.replace(os.path.join(out, "model.json.part"), os.path.join(out, "model.json"))
    print("exported %s (%d bytes)" % (path, os.path.getsize(path)))


# ---------------------------------------------------------------- main
class Progress:
    def __init__(self):
        self.start = {}

    def __call__(self, stage, done, total, extra=""):
        now = time.time()
        t0, first = self.start.setdefault(stage, (now, done))
        frac = done / max(total, 1)
        eta = (now - t0) / (done - first) * (total - done) if done > first else 0
        bar = "#" * int(30 * frac) + "." * (30 - int(30 * frac))
        sys.stderr.write("\r%-8s [%s] %5.1f%% %5d/%d eta %4.1f min %s   " % (stage, bar, 100 * frac, done, total, eta / 60, extra))
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch", type=int, default=48)
    p.add_argument("--work", default=None, help="checkpoint folder (default build/speaker-encoder-seed<S>-<N>steps)")
    p.add_argument("--out", default=os.path.join(ROOT, "models", MODEL_ID))
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    # One folder per (seed, steps): the learning-rate schedule depends on both, so a resume must match them.
    args.work = args.work or os.path.join(ROOT, "build", "speaker-encoder-seed%d-%dsteps" % (args.seed, args.steps))
    os.makedirs(args.work, exist_ok=True)
    progress = Progress()
    feats = load_features(os.path.join(args.work, "features.npz"), progress)
    train, held, cohort = split_speakers(feats, args.seed)
    train_feats = [np.concatenate(feats[s]) for s in train]
    print("speakers: %d train, %d held out, %d evaluation cohort" % (len(train), len(held), len(cohort)), file=sys.stderr)

    torch.manual_seed(args.seed)
    net = SpeakerNet()
    head = AamSoftmax(EMBEDDING, len(train))
    params = list(net.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=2e-3, weight_decay=2e-5)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=args.steps, pct_start=0.1)
    ckpt = os.path.join(args.work, "checkpoint.pt")
    step = 0
    if os.path.exists(ckpt):
        state = torch.load(ckpt)
        net.load_state_dict(state["net"])
        head.load_state_dict(state["head"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step = state["step"]
        print("resumed at step %d" % step, file=sys.stderr)
    noise = noise_profiles()
    net.train()
    loss_avg, acc_avg = None, None
    while step < args.steps:
        rng = np.random.RandomState((args.seed * 1000003 + step) % 2 ** 31)
        torch.manual_seed(args.seed * 1000003 + step)
        length = rng.randint(120, 301)
        x, y = batch(train_feats, args.batch, length, rng, noise)
        margin = 0.2 * min(1.0, step / (0.3 * args.steps))       # margin warm-up
        loss, acc = head(net(x), y, margin)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
        sched.step()
        step += 1
        loss_avg = loss.item() if loss_avg is None else 0.95 * loss_avg + 0.05 * loss.item()
        acc_avg = acc.item() if acc_avg is None else 0.95 * acc_avg + 0.05 * acc.item()
        progress("train", step, args.steps, "loss %.2f acc %.2f" % (loss_avg, acc_avg))
        if step % 100 == 0 or step == args.steps:
            torch.save({"net": net.state_dict(), "head": head.state_dict(), "opt": opt.state_dict(),
                        "sched": sched.state_dict(), "step": step}, ckpt + ".part")
            os.replace(ckpt + ".part", ckpt)
        if step % 500 == 0 and step < args.steps:
            print("\nstep %d: %s" % (step, json.dumps(evaluate(net, feats, held, cohort)["heldout_corpus"])), file=sys.stderr)
            net.train()
    figures = evaluate(net, feats, held, cohort)
    print(json.dumps(figures, indent=1))
    export(net, args.out, args, figures, len(train))


if __name__ == "__main__":
    main()
