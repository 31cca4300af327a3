#!/usr/bin/python3
"""Trains Voxmorph's built-in neural voice from scratch and exports it to models/voxmorph-voices.

    /usr/bin/python3 tools/train/train.py            # the whole recipe, resumable (run it again after a stop)

Stages: corpus (TTS renderings with phone labels) -> analysis (F0, mel-cepstra of the target
voices) -> encoder (phone posteriors, with augmentation and a consistency loss on unlabelled real
speech) -> decoder (posteriors + F0 + speaker -> mel-cepstrum) -> export (ONNX, opset 17) -> card.
Every random choice derives from --seed and the step number, so a resumed run equals an unbroken one.
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus as corpus_mod  # noqa: E402
from common import HOP, ORDER, PHONES, RATE, mcep, read_wav, yin  # noqa: E402
from model import LOOKAHEAD, Decoder, Encoder, LogMel, Step  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Decoder voices, in speaker-id order: (name in model.json, corpus speakers rendered as it).
VOICES = [("awb", ["awb", "awb-variant"]), ("rms", ["rms", "rms-variant"]), ("slt", ["slt", "slt-variant"]),
          ("kal", ["kal16"]), ("slt-hts", ["cmu_us_slt_arctic_hts"]), ("kal-diphone", ["kal_diphone"])]
SEGMENT = 300          # training crops of 3 s


class Progress:
    def __init__(self):
        self.start = {}

    def __call__(self, stage, done, total, extra=""):
        now = time.time()
        t0, first = self.start.setdefault(stage, (now, done))   # a resumed stage starts counting where it resumed
        frac = done / max(total, 1)
        eta = (now - t0) / (done - first) * (total - done) if done > first else 0
        bar = "#" * int(30 * frac) + "." * (30 - int(30 * frac))
        sys.stderr.write("\r%-8s [%s] %5.1f%% %5d/%d eta %4.0f min %s   " % (stage, bar, 100 * frac, done, total, eta / 60, extra))
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def load_corpus(folder, entries):
    data = []
    for e in entries:
        if e["split"] == "reference":
            continue
        x, _ = read_wav(os.path.join(folder, e["name"] + ".wav"))
        ids = np.load(os.path.join(folder, e["name"] + ".npy")).astype(np.int64)
        data.append(dict(e, audio=x, labels=ids[:len(x) // HOP]))
    return data


def analyse(data, cache, progress):
    """F0 and mel-cepstrum of every decoder voice's utterance (cached: the slow numpy part)."""
    if os.path.exists(cache):
        saved = np.load(cache, allow_pickle=False)
        for d in data:
            if d["name"] + ".f0" in saved:
                d["f0"] = saved[d["name"] + ".f0"]
                d["mcep"] = saved[d["name"] + ".mcep"]
        return
    wanted = {s for _, ss in VOICES for s in ss}
    out = {}
    todo = [d for d in data if d["speaker"] in wanted]
    for i, d in enumerate(todo):
        d["f0"] = yin(d["audio"])
        d["mcep"] = mcep(d["audio"], d["f0"])
        out[d["name"] + ".f0"] = d["f0"]
        out[d["name"] + ".mcep"] = d["mcep"]
        progress("analyse", i + 1, len(todo))
    np.savez(cache + ".part.npz", **out)
    os.replace(cache + ".part.npz", cache)


def real_speech(shared):
    """Unlabelled LibriSpeech clips (VCTK stays held out for evaluation)."""
    clips = []
    base = os.path.join(shared, "speech")
    for folder in sorted(os.listdir(base)):
        if folder.startswith("libri"):
            for f in sorted(os.listdir(os.path.join(base, folder))):
                if f.endswith(".wav"):
                    clips.append(read_wav(os.path.join(base, folder, f))[0])
    return clips


def crop(rng, x, labels, frames):
    n = len(x) // HOP
    if n <= frames:
        pad = frames - n
        return np.pad(x[:n * HOP], (0, pad * HOP)), np.pad(labels[:n], (0, pad), constant_values=-100)
    s = rng.integers(0, n - frames)
    return x[s * HOP:(s + frames) * HOP], labels[s:s + frames]


def augment_audio(rng, x):
    """Room, noise and level: what a real microphone adds."""
    x = x * 10 ** (rng.uniform(-20, 6) / 20)
    if rng.random() < 0.35:
        rt60 = rng.uniform(0.15, 0.7)
        t = np.arange(int(0.4 * RATE)) / RATE
        rir = rng.standard_normal(len(t)) * np.exp(-6.9 * t / rt60)
        rir[0] = 1.0 / (1 - rng.uniform(0.0, 0.7))
        rir[:int(rng.uniform(0.001, 0.01) * RATE)] *= 0.1
        rir /= np.sqrt(np.sum(rir ** 2))
        y = np.fft.irfft(np.fft.rfft(x, 2 * len(x) + len(rir)) * np.fft.rfft(rir, 2 * len(x) + len(rir)))[:len(x)]
        x = y * np.sqrt(np.mean(x ** 2) / (np.mean(y ** 2) + 1e-12))
    if rng.random() < 0.5:
        noise = rng.standard_normal(len(x))
        if rng.random() < 0.5:                           # brownish noise: fans, hum-ish rumble
            noise = np.cumsum(noise)
            noise -= np.convolve(noise, np.ones(400) / 400, mode="same")
        snr = rng.uniform(8, 40)
        x = x + noise * np.sqrt(np.mean(x ** 2) / (np.mean(noise ** 2) + 1e-12)) * 10 ** (-snr / 20)
    return x.astype(np.float32)


def augment_spectrum(rng, power):
    """Vocal tract length (frequency warp, 0.8..1.25), spectral tilt and a random EQ, on [B, T, 257] power."""
    b, t, k = power.shape
    bins = torch.arange(k, dtype=torch.float32)
    out = []
    for i in range(b):
        alpha = math.exp(rng.uniform(math.log(0.8), math.log(1.25)))
        src = (bins / alpha).clamp(max=k - 1)
        lo = src.floor().long()
        hi = (lo + 1).clamp(max=k - 1)
        w = src - lo
        p = power[i][:, lo] * (1 - w) + power[i][:, hi] * w
        f = torch.log2(1 + bins / 16)
        tilt = rng.uniform(-3, 3) * f / f[-1]                       # up to +-9 dB across the band, in ln power
        eq = sum(rng.uniform(-1, 1) * torch.exp(-((f - rng.uniform(0, f[-1].item())) ** 2) / 0.5) for _ in range(3))
        out.append(p * torch.exp(tilt + eq))
    return torch.stack(out)


def mel_stats(enc, data):
    mels = []
    for d in data[::10]:
        frames = LogMel.frames(torch.tensor(d["audio"]).unsqueeze(0))
        mels.append(torch.log(enc.mel.power(frames) @ enc.mel.fb + 1e-5)[0])
    m = torch.cat(mels)
    enc.mel.mean.copy_(m.mean(0))
    enc.mel.std.copy_(m.std(0) + 1e-3)


def lr_at(step, total, peak):
    warm = 200
    if step < warm:
        return peak * (step + 1) / warm
    return peak * 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, total - warm)))


def update(opt, module, loss, lr):
    """One optimiser step at this learning rate, gradients clipped to norm 1."""
    for g in opt.param_groups:
        g["lr"] = lr
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(module.parameters(), 1.0)
    opt.step()


def load_checkpoint(path, modules, opt):
    if not os.path.exists(path):
        return 0
    ck = torch.load(path)
    for name, m in modules.items():
        m.load_state_dict(ck[name])
    opt.load_state_dict(ck["opt"])
    return ck["step"]


def save_checkpoint(path, modules, opt, step):
    ck = {name: m.state_dict() for name, m in modules.items()}
    ck["opt"] = opt.state_dict()
    ck["step"] = step
    torch.save(ck, path + ".part")
    os.replace(path + ".part", path)


def train_encoder(enc, train, real, args, out, progress):
    path = os.path.join(out, "encoder.pt")
    opt = torch.optim.AdamW(enc.parameters(), lr=args.lr, weight_decay=0.01)
    step = load_checkpoint(path, {"enc": enc}, opt)
    enc.train()
    while step < args.encoder_steps:
        rng = np.random.default_rng([args.seed, 1, step])
        xs, ys = [], []
        for _ in range(args.batch):
            d = train[rng.integers(len(train))]
            x, y = crop(rng, d["audio"], d["labels"], SEGMENT)
            xs.append(augment_audio(rng, x) if rng.random() < 0.8 else x)
            ys.append(y)
        power = enc.mel.power(LogMel.frames(torch.tensor(np.stack(xs))))
        power = augment_spectrum(rng, power)
        logits = enc(enc.mel(None, power))
        labels = torch.tensor(np.stack(ys))
        # Output k is about hop k - LOOKAHEAD.
        loss = F.cross_entropy(logits[:, LOOKAHEAD:].reshape(-1, len(PHONES)), labels[:, :-LOOKAHEAD].reshape(-1), ignore_index=-100)
        acc = (logits[:, LOOKAHEAD:].argmax(-1) == labels[:, :-LOOKAHEAD]).float()[labels[:, :-LOOKAHEAD] >= 0].mean()
        # Consistency on real microphones: the same clip, augmented, should give the same posteriors.
        rx = [crop(rng, c, np.zeros(len(c) // HOP, dtype=np.int64), SEGMENT)[0] for c in (real[rng.integers(len(real))] for _ in range(3))]
        clean = torch.tensor(np.stack(rx))
        with torch.no_grad():
            target = torch.softmax(enc(enc.mel(LogMel.frames(clean))), -1)
        noisy = augment_spectrum(rng, enc.mel.power(LogMel.frames(torch.tensor(np.stack([augment_audio(rng, x) for x in rx])))))
        consistency = F.kl_div(torch.log_softmax(enc(enc.mel(None, noisy)), -1), target, reduction="batchmean") / SEGMENT
        total = loss + 0.5 * consistency
        update(opt, enc, total, lr_at(step, args.encoder_steps, args.lr))
        step += 1
        progress("encoder", step, args.encoder_steps, "loss %.3f acc %.2f kl %.3f" % (loss.item(), acc.item(), consistency.item()))
        if step % 100 == 0 or step == args.encoder_steps:
            save_checkpoint(path, {"enc": enc}, opt, step)


def shifted(a, k, fill=0):
    """a[t - k] at t (fill before the start): lines per-hop data up with the streaming outputs."""
    return np.concatenate([np.full((k,) + a.shape[1:], fill, dtype=a.dtype), a[:len(a) - k]])


def train_decoder(enc, dec, voiced, args, out, progress):
    path = os.path.join(out, "decoder.pt")
    opt = torch.optim.AdamW(dec.parameters(), lr=args.lr, weight_decay=0.01)
    step = load_checkpoint(path, {"dec": dec}, opt)
    enc.eval()
    dec.train()
    while step < args.decoder_steps:
        rng = np.random.default_rng([args.seed, 2, step])
        xs, f0s, cs, spk, masks = [], [], [], [], []
        for _ in range(args.batch):
            d = voiced[rng.integers(len(voiced))]
            n = len(d["audio"]) // HOP
            s = rng.integers(0, max(1, n - SEGMENT))
            e = min(n, s + SEGMENT)
            pad = SEGMENT - (e - s)
            x = np.pad(d["audio"][s * HOP:e * HOP], (0, pad * HOP))
            # The decoder must cope with the posteriors of imperfect (real, noisy) input, so its
            # content comes from lightly augmented audio of the target itself.
            xs.append(augment_audio(rng, x) if rng.random() < 0.5 else x)
            f0s.append(shifted(np.pad(d["f0"][s:e], (0, pad)), LOOKAHEAD))
            cs.append(shifted(np.pad(d["mcep"][s:e], ((0, pad), (0, 0))), LOOKAHEAD))
            m = np.zeros(SEGMENT, dtype=np.float32)
            m[LOOKAHEAD:LOOKAHEAD + e - s] = 1
            masks.append(m)
            spk.append(d["voice"])
        with torch.no_grad():
            power = augment_spectrum(rng, enc.mel.power(LogMel.frames(torch.tensor(np.stack(xs))))) if rng.random() < 0.5 \
                else enc.mel.power(LogMel.frames(torch.tensor(np.stack(xs))))
            post = torch.softmax(enc(enc.mel(None, power)), -1)
        pred = dec(post, torch.tensor(np.stack(f0s)), torch.tensor(spk))
        target = (torch.tensor(np.stack(cs)) - dec.mean) / dec.std
        mask = torch.tensor(np.stack(masks)).unsqueeze(-1)
        loss = (torch.abs(pred - target) * mask).sum() / (mask.sum() * (ORDER + 1))
        update(opt, dec, loss, lr_at(step, args.decoder_steps, args.lr))
        step += 1
        progress("decoder", step, args.decoder_steps, "L1 %.3f" % loss.item())
        if step % 100 == 0 or step == args.decoder_steps:
            save_checkpoint(path, {"dec": dec}, opt, step)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", default=os.path.join(ROOT, "build", "train"), help="corpus, caches and checkpoints")
    p.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    p.add_argument("--out", default=os.path.join(ROOT, "models", "voxmorph-voices"))
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--sentences", type=int, default=700)
    p.add_argument("--test-sentences", type=int, default=40)
    p.add_argument("--encoder-steps", type=int, default=1600)
    p.add_argument("--decoder-steps", type=int, default=1500)
    p.add_argument("--batch", type=int, default=12)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    started = time.time()
    os.makedirs(args.work, exist_ok=True)
    progress = Progress()
    folder = os.path.join(args.work, "corpus")
    entries = corpus_mod.build(folder, args.shared, args.sentences, args.test_sentences, args.seed, progress)
    data = load_corpus(folder, entries)
    train = [d for d in data if d["split"] == "train"]
    analyse(data, os.path.join(args.work, "analysis.npz"), progress)
    voice_of = {s: i for i, (_, ss) in enumerate(VOICES) for s in ss}
    voiced = []
    for d in train:
        if d["speaker"] in voice_of:
            d["voice"] = voice_of[d["speaker"]]
            voiced.append(d)

    enc = Encoder()
    mel_stats(enc, train)
    train_encoder(enc, train, real_speech(args.shared), args, args.work, progress)

    dec = Decoder(len(VOICES))
    allc = np.concatenate([d["mcep"] for d in voiced])
    dec.mean.copy_(torch.tensor(allc.mean(0)))
    dec.std.copy_(torch.tensor(allc.std(0) + 1e-3))
    train_decoder(enc, dec, voiced, args, args.work, progress)

    import export
    export.write_package(Step(enc, dec).eval(), VOICES, voiced, args)
    run = {"seconds": round(time.time() - started), "threads": args.threads, "device": "CPU",
           "encoderSteps": args.encoder_steps, "decoderSteps": args.decoder_steps, "sentences": args.sentences,
           "batch": args.batch, "seed": args.seed}
    json.dump(run, open(os.path.join(args.work, "run.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
