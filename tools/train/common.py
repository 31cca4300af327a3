"""Shared definitions for training Voxmorph's own voice: rates, phones, analysis, alignment.

The mel-cepstrum defined here is the one org.voxmorph.dsp.MelCepstrumVocoder synthesises
(see models/FORMAT.md): ln|H(w)| = sum_m c_m cos(m beta(w)), beta the all-pass warp, alpha 0.42.
"""
import os
import wave

import numpy as np

RATE = 16000
HOP = 160
ALPHA = 0.42
ORDER = 24            # mel-cepstrum c0..c24
FFT = 1024

# CMU phones as flite and festival's US voices print them, plus schwa and silence.
PHONES = ("pau aa ae ah ao aw ax ay b ch d dh eh er ey f g hh ih iy jh k l m n ng ow oy p r s sh t "
          "th uh uw v w y z zh").split()
PHONE_ID = {p: i for i, p in enumerate(PHONES)}
# Rarer symbols some voices use, folded into the set above.
FOLD = {"axr": "er", "dx": "d", "el": "l", "em": "m", "en": "n", "ix": "ih", "nx": "n",
        "h#": "pau", "brth": "pau", "#": "pau", "sil": "pau", "ssil": "pau"}


def phone_id(symbol):
    s = symbol.strip().lower().rstrip("012")
    s = FOLD.get(s, s)
    if s not in PHONE_ID:
        raise ValueError("unknown phone '%s'" % symbol)
    return PHONE_ID[s]


def read_wav(path):
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise ValueError("%s: only 16-bit WAV is read here" % path)
        x = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(np.float32) / 32768
        if w.getnchannels() > 1:
            x = x.reshape(-1, w.getnchannels()).mean(axis=1)
        return x, w.getframerate()


def write_wav(path, x, rate=RATE):
    tmp = str(path) + ".part"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype(np.int16).tobytes())
    os.replace(tmp, path)


def frames_of(labels_end_times, n_frames):
    """Phone id per 10 ms hop from (end_time_seconds, phone) pairs: the phone at each hop's centre."""
    ids = np.zeros(n_frames, dtype=np.int64)
    centres = (np.arange(n_frames) * HOP + HOP / 2) / RATE
    ends = np.array([t for t, _ in labels_end_times])
    which = np.searchsorted(ends, centres, side="right")
    which = np.minimum(which, len(labels_end_times) - 1)
    for i, k in enumerate(which):
        ids[i] = phone_id(labels_end_times[k][1])
    return ids


# ---- pitch: YIN on 40 ms windows centred on each hop ----
def yin(x, threshold=0.2, fmin=50.0, fmax=1000.0, window=640):
    """F0 in Hz per hop (0 = unvoiced): YIN on 40 ms windows centred on each hop."""
    n = len(x) // HOP
    lag_max = int(RATE / fmin)
    w = window - lag_max
    pad = np.concatenate([np.zeros(window), x, np.zeros(window)]).astype(np.float64)
    starts = window + np.arange(n) * HOP + HOP // 2 - window // 2
    seg = pad[starts[:, None] + np.arange(window)[None, :]]                    # [n, window]
    a = seg[:, :w]
    size = 2048
    xc = np.fft.irfft(np.conj(np.fft.rfft(a, size)) * np.fft.rfft(seg, size), size)[:, :lag_max]
    sq = np.concatenate([np.zeros((n, 1)), np.cumsum(seg ** 2, axis=1)], axis=1)
    energy_b = sq[:, w:w + lag_max] - sq[:, :lag_max]                          # sum seg[tau:tau+w]^2
    d = np.maximum(energy_b + sq[:, w:w + 1] - 2 * xc, 0)
    cum = np.cumsum(d[:, 1:], axis=1)
    dn = np.ones_like(d)
    dn[:, 1:] = d[:, 1:] * np.arange(1, lag_max) / np.maximum(cum, 1e-12)
    lo = int(RATE / fmax)
    f0 = np.zeros(n, dtype=np.float32)
    silent = sq[:, -1] < 1e-7 * window
    for i in np.nonzero(~silent)[0]:
        below = np.nonzero(dn[i, lo:] < threshold)[0]
        if len(below) == 0:
            continue
        tau = lo + below[0]
        while tau + 1 < lag_max and dn[i, tau + 1] < dn[i, tau]:
            tau += 1
        t = float(tau)
        if 1 <= tau < lag_max - 1:
            s0, s1, s2 = dn[i, tau - 1], dn[i, tau], dn[i, tau + 1]
            den = s0 - 2 * s1 + s2
            t += 0.5 * (s0 - s2) / den if abs(den) > 1e-12 else 0
        f0[i] = RATE / t
    return f0


# ---- mel-cepstrum analysis ----
def _warp(w):
    return w + 2 * np.arctan(ALPHA * np.sin(w) / (1 - ALPHA * np.cos(w)))


_W = np.pi * np.arange(FFT // 2 + 1) / (FFT // 2)
_BASIS = np.cos(np.outer(_warp(_W), np.arange(ORDER + 1)))          # [513, M+1]
_WEIGHT = np.gradient(_warp(_W))                                     # uniform in warped frequency
_FIT = np.linalg.solve(_BASIS.T @ (_WEIGHT[:, None] * _BASIS), _BASIS.T * _WEIGHT)   # [M+1, 513]


def mcep_to_log_amplitude(c):
    return c @ _BASIS.T


def mcep(x, f0):
    """Mel-cepstrum per hop (window of 512 centred on the hop), power smoothed over one F0 width."""
    n = len(x) // HOP
    win = np.hanning(512).astype(np.float64)
    pad = np.concatenate([np.zeros(256), x, np.zeros(512)])
    out = np.zeros((n, ORDER + 1), dtype=np.float32)
    norm = np.sum(win ** 2)
    for i in range(n):
        seg = pad[i * HOP + HOP // 2:i * HOP + HOP // 2 + 512] * win
        p = np.abs(np.fft.rfft(seg, FFT)) ** 2 / norm
        width = f0[i] if f0[i] > 0 else 100.0
        k = max(1, int(round(width * FFT / RATE)))
        kernel = np.ones(k) / k
        p = np.convolve(np.concatenate([p[k:0:-1], p, p[-2:-k - 2:-1]]), kernel, mode="same")[k:k + len(_W)]
        out[i] = _FIT @ (0.5 * np.log(p + 1e-10))
    return out


def mcd(c1, c2):
    """Mel-cepstral distortion in dB between frame-aligned cepstra, c0 excluded.

    Ours are cosine-series coefficients; SPTK's (the convention of the usual MCD formula) are half
    of them for m >= 1, since ln|H| = c0 + 2 sum c_m cos(m beta) there.
    """
    d = (c1[:, 1:] - c2[:, 1:]) / 2.0
    return float(np.mean(10 / np.log(10) * np.sqrt(2 * np.sum(d ** 2, axis=1))))


# ---- MFCC + DTW, for transferring labels between two renderings of the same text ----
def mfcc(x, n=13):
    frames = len(x) // HOP
    pad = np.concatenate([np.zeros(200), x, np.zeros(400)])
    win = np.hanning(400)
    fb = mel_filterbank(40, 512)
    spec = np.stack([np.abs(np.fft.rfft(pad[i * HOP:i * HOP + 400] * win, 512)) ** 2 for i in range(frames)])
    lm = np.log(spec @ fb.T + 1e-8)
    k = np.arange(40)
    dct = np.cos(np.pi / 40 * (k[None, :] + 0.5) * np.arange(n)[:, None])
    c = lm @ dct.T
    c -= c.mean(axis=0)
    c /= c.std(axis=0) + 1e-6
    return c[:, 1:]


def mel_filterbank(bands, nfft, fmin=0.0, fmax=RATE / 2):
    mel = lambda f: 2595 * np.log10(1 + f / 700)
    imel = lambda m: 700 * (10 ** (m / 2595) - 1)
    pts = imel(np.linspace(mel(fmin), mel(fmax), bands + 2))
    bins = np.arange(nfft // 2 + 1) * RATE / nfft
    fb = np.zeros((bands, nfft // 2 + 1))
    for b in range(bands):
        lo, mid, hi = pts[b], pts[b + 1], pts[b + 2]
        fb[b] = np.clip(np.minimum((bins - lo) / (mid - lo), (hi - bins) / (hi - mid)), 0, None)
    return fb


def dtw_path(a, b):
    """Frame pairs of the cheapest monotonic path between feature sequences a [N,D] and b [M,D]."""
    cost = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    n, m = cost.shape
    acc = np.full((n + 1, m + 1), np.inf)
    acc[0, 0] = 0
    for i in range(1, n + 1):
        row = acc[i - 1]
        prev_diag = row[:-1]
        prev_up = row[1:]
        best = np.minimum(prev_diag, prev_up) + cost[i - 1]
        cur = acc[i]
        for j in range(1, m + 1):   # left moves need the running row
            cur[j] = min(best[j - 1], cur[j - 1] + cost[i - 1, j - 1])
    i, j = n, m
    path = []
    while i > 0 and j > 0:
        path.append((i - 1, j - 1))
        k = np.argmin([acc[i - 1, j - 1], acc[i - 1, j], acc[i, j - 1]])
        if k == 0:
            i, j = i - 1, j - 1
        elif k == 1:
            i -= 1
        else:
            j -= 1
    return path[::-1]


def transfer_labels(x_unlabelled, x_labelled, labels):
    """Phone id per hop of x_unlabelled, from the labelled rendering of the same text, by DTW."""
    path = dtw_path(mfcc(x_unlabelled), mfcc(x_labelled))
    out = np.zeros(len(x_unlabelled) // HOP, dtype=np.int64)
    for i, j in path:
        out[i] = labels[min(j, len(labels) - 1)]
    return out
