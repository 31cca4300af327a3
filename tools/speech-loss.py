#!/usr/bin/env python3
"""Speech lost in a live recording against a reference (an offline convert of what live mode heard).

  tools/speech-loss.py REFERENCE.wav[,REFERENCE2.wav...] RECORDING.raw LABEL

REFERENCE: 16-bit mono 48 kHz WAV; RECORDING: raw s16le mono 48 kHz. Several references (renders of
the same input, sample-aligned, e.g. a neural model run at different phases of its hop, which it is
not indifferent to): a block counts against the quietest of them, so that what the model itself does
differently at another phase is not counted as lost. A 10 ms block of the
reference's speech (within 35 dB of its loudest) counts as lost when the recording, aligned to it
by the energy envelope (2.5 ms frames: found over -2..+2 s, found again each second within 0.5 s over 4 s, then per block within 100 ms over +-300 ms), is
more than 10 dB below it there. The last 2 s (of the reference or of the recording, whichever ends
first) are not counted: the alignment's 4 s window is cut short there, and a run's last 2 s read as lost blocks with the recording at its
normal level (cutting the reference 3 or 10 s earlier left every loss before unchanged). The
measure of LivePulseAudioTest's SpeechLoss.measureLevel; used by tools/measure-live-loss.sh.
"""
import sys, wave, numpy as np
def load(path):
    w = wave.open(path); return np.frombuffer(w.readframes(w.getnframes()), '<i2').astype(float) / 32768
refs = [load(p) for p in sys.argv[1].split(',')]
x = refs[0]
y = np.frombuffer(open(sys.argv[2], 'rb').read(), '<i2').astype(float) / 32768
F, B = 120, 480                       # 2.5 ms envelope frames, 10 ms blocks
def env(s):
    n = len(s) // F
    return np.maximum(-100, 10 * np.log10((s[:n * F].reshape(n, F) ** 2).mean(1) + 1e-12))
ex, ey = env(x), env(y)
# The recorders start up to 2 s apart, either first: a neural model's start-up alone takes ~1.3 s.
# Normalised correlation of the envelopes' shapes: a plain dot product favours whichever loud
# passage of the looped speech lines up, not the right one.
lead = 800
ey = np.concatenate([np.full(lead, -100.0), ey])
h = ex[:4000] - ex[:4000].mean()
def shape_match(l):
    s = ey[l:l + len(h)]
    if len(s) < len(h): return -1.0
    s = s - s.mean()
    return np.dot(h, s) / (np.sqrt(np.dot(s, s) * np.dot(h, h)) + 1e-12)
lag = int(np.argmax([shape_match(l) for l in range(0, 2 * lead)]))
blocks = len(x) // B
eb = np.array([(x[i * B:(i + 1) * B] ** 2).sum() for i in range(blocks)])
speech = eb >= eb.max() * 10 ** -3.5
for r in refs[1:]:
    r = np.concatenate([r, np.zeros(max(0, blocks * B - len(r)))])
    eb = np.minimum(eb, [(r[i * B:(i + 1) * B] ** 2).sum() for i in range(blocks)])
def anchor_near(f, around, reach):
    """The lag whose envelope shape best matches the 4 s of reference around frame f, within reach of around."""
    lo, hi = max(0, f - 800), min(len(ex), f + 800)
    seg = ex[lo:hi] - ex[lo:hi].mean()
    best, value = around, -2.0
    for l in range(around - reach, around + reach + 1):
        if lo + l < 0 or hi + l > len(ey): continue
        s = ey[lo + l:hi + l] - ey[lo + l:hi + l].mean()
        v = np.dot(seg, s) / (np.sqrt(np.dot(s, s) * np.dot(seg, seg)) + 1e-12)
        if v > value: value, best = v, l
    return best
lost, n, run, longest, gaps = 0, 0, 0, 0, 0
long_gaps = {}                        # start block -> length, for gaps longer than one block
silent, silent_run, longest_silent = 0, 0, 0   # lost blocks more than 30 dB down: dropouts, not dips
# Per block the lag is searched within 100 ms of the anchor: the pulse backend's queue takes up a
# server stall as latency (up to 200 ms) and gives it back in the pauses, and a search of 25 ms read
# the speech after such a step as lost (70-80 ms 'gaps' 15-20 dB down) until the anchor caught up.
W, R, P = 120, 40, B // F
anchor = lag
# The last 2 s of whichever ends first, reference or recording (in reference time), are left out.
last = min(blocks, (len(ey) - lag) // P) - 200
for b in range(blocks):
    f = b * P
    # Every second the alignment is found again within 0.5 s of the last, from the envelopes'
    # shape over 4 s: a block-to-block tracker alone walks away through a pause or a dropout and
    # then counts everything after it as lost.
    if b % 100 == 0:
        anchor = anchor_near(f, anchor, 200)
    if not speech[b] or b >= last: continue
    if f + anchor + R + P + 1 >= len(ey) or f + anchor - R < 0: continue
    lo, hi = max(0, f - W), min(len(ex), f + W)
    best, bc = anchor, None
    for l in range(anchor - R, anchor + R + 1):
        j = np.arange(lo, hi) + l
        yy = np.where((j >= 0) & (j < len(ey)), ey[np.clip(j, 0, len(ey) - 1)], -100)
        cost = np.abs(yy - ex[lo:hi]).sum()
        if bc is None or cost < bc - 1e-9 or (abs(cost - bc) <= 1e-9 and abs(l - anchor) < abs(best - anchor)):
            bc, best = cost, l
    n += 1
    e_rec = (10 ** (ey[f + best:f + best + P] / 10)).sum() * F
    if e_rec < eb[b] * 0.1:
        lost += 1; run += 1; longest = max(longest, run)
        if run == 1: gaps += 1
        if run > 1: long_gaps[b - run + 1] = run
        if e_rec < eb[b] * 0.001:
            silent += 1; silent_run += 1; longest_silent = max(longest_silent, silent_run)
        else:
            silent_run = 0
    else:
        run = 0; silent_run = 0
print("%s: %.1f s of speech, %.2f s lost (%.2f %%), %d gaps, longest %d ms"
      % (sys.argv[3], n / 100, lost / 100, 100 * lost / max(n, 1), gaps, longest * 10))
print("of the lost blocks %d were dropouts (more than 30 dB down), the longest run of them %d ms"
      % (silent, longest_silent * 10))
if long_gaps:
    print("gaps longer than one block, at (seconds into the reference): "
          + ", ".join("%.2f s (%d ms)" % (b / 100, k * 10) for b, k in sorted(long_gaps.items())))
