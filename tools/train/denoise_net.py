"""An RNNoise-style trained noise suppressor, built to be measured against the shipped classical
denoiser (dsp.SpectralDenoiser) on the same evaluation mixes and meters (tools/measure-denoise.sh).

The net: 16 kHz, 20 ms Vorbis-windowed frames every 10 ms (161 bins), 32 triangular bands on an
ERB-like scale (1 bin = 50 Hz apart at the bottom, so mains-hum harmonics get their own gains).
Per frame: 32 log band energies -> dense 64 (tanh) -> GRU 96 -> GRU 96 -> dense 32 (sigmoid) on
both GRUs' outputs = one gain per band, interpolated to the bins with the bands' own triangles,
floored at -20 dB (the classical denoiser's reductionDb 20 in the table), overlap-added. Causal:
frame k's gains depend on frames <= k only, so output sample n is ready 2*160-1 samples after it
arrived; the runner writes it 320 samples (20 ms) late. No pitch features.

Training material (never the evaluation's): speech from ../shared/corpus librispeech_resemblyzer
(train-clean-100; 231 speakers train, 20 held out for validation) and selfrec_ljtext; noises made
here like NoisySpeech's (fan, mains hum, keyboard clicks, babble) with their parameters varied,
plus pink/white hiss and mixtures; babble from other corpus talkers (train-clean-100 and
Speech Commands, never ../shared/speech: the evaluation's VCTK p225-p228 speech and its four
libri_devclean babble talkers are not read by this file).

  python3 denoise_net.py data                    # mixes -> features/targets under /tmp/denoise-net
  python3 denoise_net.py train [--minutes 25]    # resumable (checkpoint in /tmp/denoise-net)
  python3 denoise_net.py run DIR                 # DIR/KEY.f32 -> DIR/KEY.net.f32, 320 samples late
  python3 denoise_net.py cost                    # parameters, FLOPs per frame, a timed frame loop
"""
import argparse
import glob
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn

RATE = 16000
HOP = 160
WIN = 2 * HOP
BINS = WIN // 2 + 1
BANDS = 32
LATENCY = 2 * HOP
FLOOR_DB = -20.0
SEGMENT = 400                      # frames per training sequence (4 s)
WORK = os.environ.get("DENOISE_NET_WORK", "/tmp/denoise-net")
CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "corpus")


# ---------------------------------------------------------------- signal
def window():
    n = np.arange(WIN)
    return np.sin(0.5 * np.pi * np.sin(np.pi * (n + 0.5) / WIN) ** 2)   # Vorbis: w^2 overlap-adds to 1 at 50 %


def band_centres():
    erb = lambda f: 21.4 * np.log10(1 + 0.00437 * f)
    inv = lambda e: (10 ** (e / 21.4) - 1) / 0.00437
    c = np.round(inv(np.linspace(0, erb(RATE / 2), BANDS)) / (RATE / WIN)).astype(int)
    for i in range(1, BANDS):
        c[i] = max(c[i], c[i - 1] + 1)
    # Spacing forced to >= 1 bin at the bottom pushes the top past Nyquist: squeeze from the top down.
    c[-1] = BINS - 1
    for i in range(BANDS - 2, -1, -1):
        c[i] = min(c[i], c[i + 1] - 1)
    return c


def band_matrix():
    """[BANDS, BINS] triangular weights; every bin's weights sum to 1."""
    c = band_centres()
    m = np.zeros((BANDS, BINS))
    for i in range(BANDS - 1):
        for k in range(c[i], c[i + 1]):
            t = (k - c[i]) / (c[i + 1] - c[i])
            m[i, k] = 1 - t
            m[i + 1, k] = t
    m[-1, c[-1]] = 1
    return m


W = window()
BAND = band_matrix()


def stft(x):
    """Frames covering x[kH-H, kH+H) for k = 0 .. ceil(len/H): [frames, BINS] complex."""
    xp = np.concatenate([np.zeros(HOP), x, np.zeros(2 * HOP)])
    frames = (len(xp) - WIN) // HOP + 1
    idx = np.arange(WIN)[None, :] + HOP * np.arange(frames)[:, None]
    return np.fft.rfft(xp[idx] * W, axis=1)


def istft(spec, n):
    frames = spec.shape[0]
    y = np.zeros(HOP * (frames - 1) + WIN)
    blocks = np.fft.irfft(spec, n=WIN, axis=1) * W
    for k in range(frames):
        y[k * HOP:k * HOP + WIN] += blocks[k]
    return y[HOP:HOP + n]


def band_energy(spec):
    return (np.abs(spec) ** 2) @ BAND.T


def features(spec):
    return np.log10(band_energy(spec) + 1e-10).astype(np.float32)


# ---------------------------------------------------------------- the net
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.zeros(BANDS))
        self.register_buffer("std", torch.ones(BANDS))
        self.inp = nn.Linear(BANDS, 64)
        self.gru1 = nn.GRU(64, 96, batch_first=True)
        self.gru2 = nn.GRU(96, 96, batch_first=True)
        self.out = nn.Linear(192, BANDS)

    def forward(self, f, state=None):
        h1, h2 = (None, None) if state is None else state
        x = torch.tanh(self.inp((f - self.mean) / self.std))
        a, h1 = self.gru1(x, h1)
        b, h2 = self.gru2(a, h2)
        return torch.sigmoid(self.out(torch.cat([a, b], -1))), (h1, h2)


def denoise(net, x):
    """x (float, any length) -> the net's output aligned with x (the runner delays it by LATENCY)."""
    spec = stft(x.astype(np.float64))
    with torch.no_grad():
        g, _ = net(torch.from_numpy(features(spec))[None])
    g = np.maximum(g[0].numpy().astype(np.float64), 10 ** (FLOOR_DB / 20))
    return istft(spec * (g @ BAND), len(x))


# ---------------------------------------------------------------- data
def read_flac(path):
    raw = subprocess.run(["sox", path, "-t", "raw", "-e", "signed", "-b", "16", "-c", "1", "-r", str(RATE), "-"],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float64) / 32768


def manifest(folder):
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(CORPUS, folder, "MANIFEST.tsv"))][1:]
    return [(os.path.join(CORPUS, folder, r[0]), r[1]) for r in rows]


def active_rms(x):
    """RMS over the 20 ms frames within 40 dB of the loudest (NoisySpeech.activeRms)."""
    f = x[:len(x) // 320 * 320].reshape(-1, 320)
    e = np.sqrt((f ** 2).mean(1))
    a = e > e.max() * 0.01
    return np.sqrt((f[a] ** 2).mean()) if a.any() else 1e-9


def make_noise(kind, n, rng, babble_pool):
    t = np.arange(n) / RATE
    if kind == "fan":
        from scipy.signal import lfilter
        a = np.exp(-2 * np.pi * rng.uniform(100, 800) / RATE)
        w = rng.standard_normal(n)
        low = lfilter([1 - a], [1, -a], w)
        x = 8 * low + rng.uniform(0.03, 0.5) * w
        for _ in range(rng.integers(0, 3)):
            x += rng.uniform(0, 0.6) * np.sin(2 * np.pi * rng.uniform(40, 400) * t + rng.uniform(0, 6.3))
    elif kind == "hum":
        f0 = rng.choice([50.0, 60.0]) * rng.uniform(0.995, 1.005)
        p = rng.uniform(0.5, 1.5)
        x = sum(np.sin(2 * np.pi * f0 * h * t + rng.uniform(0, 6.3)) / h ** p for h in range(1, rng.integers(4, 25)))
    elif kind == "keyboard":
        x = np.zeros(n)
        i = 0
        lo, hi = rng.uniform(0.03, 0.1), rng.uniform(0.15, 0.5)
        while i < n:
            i += int(rng.uniform(lo, hi) * RATE)
            amp = rng.uniform(0.3, 1.7)
            length = int(rng.uniform(0.0015, 0.006) * RATE)
            k = np.arange(min(4 * length, max(0, n - i)))
            w = rng.standard_normal(len(k) + 1)
            sharp = rng.uniform(0.5, 1.0)         # how much of a differentiated (bright) burst
            x[i:i + len(k)] += amp * (w[1:] - sharp * w[:-1]) * np.exp(-k / length)
    elif kind == "babble":
        x = np.zeros(n)
        for _ in range(rng.integers(2, 8)):
            s = babble_pool[rng.integers(len(babble_pool))]
            start = rng.integers(len(s))
            x += np.resize(np.roll(s, -start), n) / (np.sqrt((s ** 2).mean()) + 1e-9)
    elif kind == "pink":
        spec = np.fft.rfft(rng.standard_normal(n))
        spec[1:] /= np.arange(1, len(spec)) ** rng.uniform(0, 1)
        x = np.fft.irfft(spec, n)
    else:
        raise ValueError(kind)
    return x / (np.sqrt((x ** 2).mean()) + 1e-12)


KINDS = ["fan", "hum", "keyboard", "babble", "pink"]


def build(split, talkers, count, seed, babble_pool):
    rng = np.random.default_rng(seed)
    n = SEGMENT * HOP
    feats, gains = [], []
    for j in range(count):
        s = talkers[rng.integers(len(talkers))]
        if len(s) < n:
            s = np.concatenate([s, np.zeros(n - len(s))])
        start = rng.integers(len(s) - n + 1)
        clean = s[start:start + n] * 10 ** (rng.uniform(-35, -3) / 20) / (np.abs(s).max() + 1e-9)
        noise = np.zeros(n)
        r = rng.random()
        if r > 0.07:   # 7 % clean speech alone: the net must learn to leave it be
            kinds = [KINDS[rng.integers(len(KINDS))]] + ([KINDS[rng.integers(len(KINDS))]] if rng.random() < 0.25 else [])
            for k in kinds:
                noise += make_noise(k, n, rng, babble_pool) * rng.uniform(0.3, 1)
            snr = rng.uniform(-5, 30)
            noise *= active_rms(clean) / (np.sqrt((noise ** 2).mean()) + 1e-12) / 10 ** (snr / 20)
            if rng.random() < 0.1:   # noise alone now and then
                clean[:] = 0
        noisy = clean + noise
        peak = np.abs(noisy).max()
        if peak > 0.99:
            clean, noisy = clean * 0.99 / peak, noisy * 0.99 / peak
        sc, sn = stft(clean)[:SEGMENT], stft(noisy)[:SEGMENT]
        ec, en = band_energy(sc), band_energy(sn)
        g = np.sqrt(np.minimum(1, ec / (en + 1e-20)))
        g[(ec < 1e-9) & (en < 1e-9)] = -1           # nothing there either way: no target
        feats.append(features(sn))
        gains.append(g.astype(np.float32))
        if j % 500 == 0:
            print("%s: %d/%d mixes" % (split, j, count), flush=True)
    return np.stack(feats), np.stack(gains)


def cmd_data(args):
    os.makedirs(WORK, exist_ok=True)
    libri = manifest("librispeech_resemblyzer")
    speakers = sorted({s for _, s in libri})
    held = set(speakers[::12][:20])
    train = [read_flac(p) for p, s in libri if s not in held] + [read_flac(p) for p, _ in manifest("selfrec_ljtext")]
    valid = [read_flac(p) for p, s in libri if s in held]
    commands = manifest("speech_commands_test")[::10]
    babble_train = train[:] + [read_flac(p) for p, _ in commands]
    print("speech: %d train clips (%.2f h), %d held-out clips; babble pool %d clips" %
          (len(train), sum(map(len, train)) / RATE / 3600, len(valid), len(babble_train)), flush=True)
    for name, talkers, count, seed, pool in [("train", train, args.mixes, 1, babble_train), ("valid", valid, 300, 2, valid)]:
        f, g = build(name, talkers, count, seed, pool)
        np.save(os.path.join(WORK, name + "_feat.npy"), f)
        np.save(os.path.join(WORK, name + "_gain.npy"), g)


# ---------------------------------------------------------------- training
def loss_of(pred, target):
    mask = (target >= 0).float()
    t = target.clamp(min=0)
    return (mask * (pred.sqrt() - t.sqrt()) ** 2).sum() / mask.sum() * 10 + \
        (mask * nn.functional.binary_cross_entropy(pred, t, reduction="none")).sum() / mask.sum()


def cmd_train(args):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    tf = torch.from_numpy(np.load(os.path.join(WORK, "train_feat.npy")))
    tg = torch.from_numpy(np.load(os.path.join(WORK, "train_gain.npy")))
    vf = torch.from_numpy(np.load(os.path.join(WORK, "valid_feat.npy")))
    vg = torch.from_numpy(np.load(os.path.join(WORK, "valid_gain.npy")))
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    ckpt = os.path.join(WORK, "checkpoint.pt")
    step, spent, best = 0, 0.0, float("inf")
    if os.path.exists(ckpt):
        state = torch.load(ckpt)
        net.load_state_dict(state["net"])
        opt.load_state_dict(state["opt"])
        step, spent, best = state["step"], state["spent"], state["best"]
        print("resumed at step %d, %.1f min spent" % (step, spent / 60), flush=True)
    else:
        flat = tf.reshape(-1, BANDS)
        net.mean.copy_(flat.mean(0))
        net.std.copy_(flat.std(0) + 1e-3)
    g = torch.Generator().manual_seed(step)
    started = time.time() - spent
    while time.time() - started < args.minutes * 60:
        net.train()
        idx = torch.randint(len(tf), (args.batch,), generator=g)
        at = int(torch.randint(SEGMENT - args.crop + 1, (1,), generator=g))   # a random 2 s of each 4 s mix
        pred, _ = net(tf[idx, at:at + args.crop])
        loss = loss_of(pred, tg[idx, at:at + args.crop])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        opt.step()
        step += 1
        if step % 100 == 0:
            net.eval()
            with torch.no_grad():
                v = loss_of(net(vf)[0], vg).item()
            spent = time.time() - started
            for group in opt.param_groups:      # decay over the run
                group["lr"] = 2e-3 * max(0.05, 1 - spent / (args.minutes * 60))
            if v < best:
                best = v
                torch.save(net.state_dict(), os.path.join(WORK, "best.pt"))
            torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "step": step, "spent": spent, "best": best}, ckpt)
            print("step %d  %.1f min  train %.4f  valid %.4f  best %.4f" % (step, spent / 60, loss.item(), v, best), flush=True)


# ---------------------------------------------------------------- evaluation and cost
def load_net():
    net = Net()
    net.load_state_dict(torch.load(os.path.join(WORK, "best.pt")))
    return net.eval()


def cmd_run(args):
    torch.set_num_threads(1)
    net = load_net()
    inputs = [p for p in sorted(glob.glob(os.path.join(args.dir, "*.f32"))) if p.count(".") == 1]
    for p in inputs:
        x = np.fromfile(p, dtype="<f4").astype(np.float64)
        y = np.concatenate([np.zeros(LATENCY), denoise(net, x)])
        y.astype("<f4").tofile(p[:-4] + ".net.f32")
    print("%d files -> *.net.f32 (%d samples late)" % (len(inputs), LATENCY))


def cmd_cost(args):
    net = load_net()
    params = sum(p.numel() for p in net.parameters())
    # Multiply-adds per 10 ms frame: dense layers, two GRUs (3 gates, input and recurrent), the band sums and interpolation.
    macs = BANDS * 64 + 3 * (64 * 96 + 96 * 96) + 3 * (96 * 96 * 2) + 192 * BANDS + 2 * BANDS * BINS
    fft = 2 * 5 * WIN * np.log2(WIN) / 2       # one real FFT forward, one back, ~2.5 N log2 N flops each
    print("parameters %d (%.0f kB as float32)" % (params, params * 4 / 1024))
    print("per 10 ms frame: %d multiply-adds in the net and bands + ~%.0f flops of FFT" % (macs, fft))
    print("=> %.1f Mflop/s; at a plain-Java 1 Gflop/s that is realtimeFactor %.3f" % ((2 * macs + fft) * 100 / 1e6, (2 * macs + fft) * 100 / 1e9))
    # A timed frame-by-frame loop in numpy (one frame at a time, as a device thread would run it).
    sd = {k: v.numpy().astype(np.float32) for k, v in net.state_dict().items()}
    h1, h2 = np.zeros(96, np.float32), np.zeros(96, np.float32)
    frame = np.random.default_rng(0).standard_normal(WIN).astype(np.float32) * 0.01
    sig = lambda v: 1 / (1 + np.exp(-v))

    def gru(x, h, pre):
        gi = sd[pre + "weight_ih_l0"] @ x + sd[pre + "bias_ih_l0"]
        gh = sd[pre + "weight_hh_l0"] @ h + sd[pre + "bias_hh_l0"]
        r = sig(gi[:96] + gh[:96])
        z = sig(gi[96:192] + gh[96:192])
        n = np.tanh(gi[192:] + r * gh[192:])
        return (1 - z) * n + z * h

    band = BAND.astype(np.float32)
    reps = 2000
    t0 = time.process_time()
    for _ in range(reps):
        spec = np.fft.rfft(frame * W)
        f = np.log10(band @ (spec.real ** 2 + spec.imag ** 2) + 1e-10)
        x = np.tanh(sd["inp.weight"] @ ((f - sd["mean"]) / sd["std"]) + sd["inp.bias"])
        h1 = gru(x, h1, "gru1.")
        h2 = gru(h1, h2, "gru2.")
        g = sig(sd["out.weight"] @ np.concatenate([h1, h2]) + sd["out.bias"])
        np.fft.irfft(spec * (g @ band), WIN)
    per = (time.process_time() - t0) / reps
    print("numpy frame loop: %.0f us CPU per 10 ms frame = realtimeFactor %.3f (numpy call overhead included)" % (per * 1e6, per / 0.01))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("data")
    d.add_argument("--mixes", type=int, default=10000)
    t = sub.add_parser("train")
    t.add_argument("--minutes", type=float, default=25)
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--crop", type=int, default=200)
    r = sub.add_parser("run")
    r.add_argument("dir")
    sub.add_parser("cost")
    args = ap.parse_args()
    {"data": cmd_data, "train": cmd_train, "run": cmd_run, "cost": cmd_cost}[args.cmd](args)


if __name__ == "__main__":
    main()
