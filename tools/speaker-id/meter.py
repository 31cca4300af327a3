#!/usr/bin/python3
"""Speaker-identification meter: a GMM-UBM over MFCCs and deltas, independent of Voxmorph's code.

The universal background model (UBM) is a diagonal Gaussian mixture trained once on corpus speech
(../shared/corpus: LibriSpeech and Speech Commands speakers; never the ../shared/speech speakers)
and cached. Each enrolled speaker is the UBM with its means MAP-adapted to that speaker's clips;
a test clip's score for a speaker is the mean per-frame log-likelihood ratio
log p(x | speaker) - log p(x | UBM) over its speech frames.

  meter.py identify --enroll ENROLL.tsv --json TEST.wav [TEST.wav ...]
      ENROLL.tsv: "speaker<TAB>/path/to/clip.wav" per line. Prints
      [{"file": ..., "ranking": [[speaker, score], ...]}] with the best speaker first.
  meter.py verify-eer --enroll ENROLL.tsv --trials TRIALS.tsv [--json]
      TRIALS.tsv: "true_speaker<TAB>/path/to/test.wav" per line. Every test clip is scored against
      every enrolled speaker (target trial when the names match, non-target otherwise); prints the
      equal-error rate.

Any WAV rate and channel count is read (mixed to mono, resampled to 16 kHz). The UBM and the
features of every file read are cached in $VOXMORPH_METER_CACHE (default ~/.cache/voxmorph-meter).
"""
import argparse
import fcntl
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from math import gcd

import numpy as np
from scipy.fft import dct
from scipy.io import wavfile
from scipy.signal import resample_poly
from scipy.special import logsumexp

RATE = 16000
WIN, HOP, NFFT = 400, 160, 512
N_MELS, N_CEPS = 40, 20               # cepstra c1..c20; c0 (level) is left out
COMPONENTS = 256
RELEVANCE = 8.0                       # MAP relevance factor for the means
UBM_FRAMES = 250000
SEED = 1234
VERSION = "gmm-ubm-1"                 # bump when anything above changes: it keys the caches

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
# ../shared/speech's LibriSpeech cohort also appears in the corpus: kept out of the UBM.
EVAL_COHORT = os.path.normpath(os.path.join(ROOT, "..", "shared", "speech", "libri_trainclean100_cohort"))


class MeterError(Exception):
    pass


def cache_dir():
    d = os.environ.get("VOXMORPH_METER_CACHE") or os.path.expanduser("~/.cache/voxmorph-meter")
    os.makedirs(d, exist_ok=True)
    return d


# ---------------------------------------------------------------- audio
def read_audio(path):
    """Mono float64 at 16 kHz. WAV in any rate/width; FLAC through sox (corpus only)."""
    if path.lower().endswith(".flac"):
        raw = subprocess.run(["sox", path, "-t", "raw", "-e", "signed", "-b", "16", "-c", "1",
                              "-r", str(RATE), "-"], check=True, capture_output=True).stdout
        return np.frombuffer(raw, dtype=np.int16).astype(np.float64) / 32768
    try:
        rate, x = wavfile.read(path)
    except (ValueError, OSError) as e:
        raise MeterError("%s: cannot read as WAV (%s)" % (path, e))
    if x.dtype == np.uint8:
        x = (x.astype(np.float64) - 128) / 128
    elif np.issubdtype(x.dtype, np.integer):
        x = x.astype(np.float64) / float(np.iinfo(x.dtype).max + 1)
    else:
        x = x.astype(np.float64)
    if x.ndim > 1:
        x = x.mean(axis=1)
    if rate != RATE:
        g = gcd(int(rate), RATE)
        x = resample_poly(x, RATE // g, int(rate) // g)
    return x


# ---------------------------------------------------------------- features
def _mel_filterbank():
    def mel(f):
        return 2595 * np.log10(1 + f / 700)

    def hz(m):
        return 700 * (10 ** (m / 2595) - 1)
    edges = hz(np.linspace(mel(20), mel(7600), N_MELS + 2))
    bins = np.arange(NFFT // 2 + 1) * RATE / NFFT
    fb = np.zeros((N_MELS, len(bins)))
    for i in range(N_MELS):
        lo, mid, hi = edges[i], edges[i + 1], edges[i + 2]
        fb[i] = np.clip(np.minimum((bins - lo) / (mid - lo), (hi - bins) / (hi - mid)), 0, None)
    return fb


MEL_FB = _mel_filterbank()


def _deltas(c, k=2):
    pad = np.pad(c, ((k, k), (0, 0)), mode="edge")
    n = len(c)
    num = sum(i * (pad[k + i:k + i + n] - pad[k - i:k - i + n]) for i in range(1, k + 1))
    return num / (2 * sum(i * i for i in range(1, k + 1)))


def features(x):
    """[frames, 2*N_CEPS]: MFCC c1..c20 and deltas, speech frames only, mean/variance normalised."""
    if len(x) < WIN:
        return np.zeros((0, 2 * N_CEPS))
    x = np.append(x[0], x[1:] - 0.97 * x[:-1])
    n = 1 + (len(x) - WIN) // HOP
    frames = x[np.arange(n)[:, None] * HOP + np.arange(WIN)[None, :]] * np.hamming(WIN)
    power = np.abs(np.fft.rfft(frames, NFFT)) ** 2
    logmel = np.log(power @ MEL_FB.T + 1e-10)
    ceps = dct(logmel, type=2, norm="ortho", axis=1)[:, 1:N_CEPS + 1]
    feats = np.hstack([ceps, _deltas(ceps)])
    # Energy VAD: within 30 dB of the loudest frame and 6 dB above the quiet floor.
    energy = 10 * np.log10(power.sum(axis=1) + 1e-10)
    keep = (energy > energy.max() - 30) & (energy > np.percentile(energy, 10) + 6)
    if keep.sum() < 10:
        keep = energy >= np.median(energy)
    feats = feats[keep]
    return (feats - feats.mean(axis=0)) / (feats.std(axis=0) + 1e-8)


def file_features(path):
    """Features of one file, cached by path, size and modification time."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise MeterError("%s: %s" % (path, e.strerror))
    key = hashlib.sha1(("%s|%s|%d|%d" % (VERSION, os.path.abspath(path), st.st_size, st.st_mtime_ns))
                       .encode()).hexdigest()
    d = os.path.join(cache_dir(), "features")
    os.makedirs(d, exist_ok=True)
    f = os.path.join(d, key + ".npy")
    if os.path.exists(f):
        return np.load(f)
    feats = features(read_audio(path)).astype(np.float32)
    if len(feats) < 10:
        raise MeterError("%s: too little speech to measure (%d frames)" % (path, len(feats)))
    _atomic_save(f, lambda tmp: np.save(tmp, feats))
    return feats


def _atomic_save(final, write):
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(final), suffix=".npy")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, final)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


# ---------------------------------------------------------------- UBM
def ubm_files():
    """Corpus files for the UBM: LibriSpeech (minus the evaluation cohort), Speech Commands, selfrec."""
    held = {f.split("-")[0] for f in os.listdir(EVAL_COHORT)} if os.path.isdir(EVAL_COHORT) else set()
    files = []
    rng = np.random.RandomState(SEED)
    per_speaker = {}
    for sub in ("librispeech_resemblyzer", "speech_commands_test", "selfrec_ljtext"):
        manifest = os.path.join(CORPUS, sub, "MANIFEST.tsv")
        if not os.path.exists(manifest):
            raise MeterError("%s: missing (the UBM is trained on ../shared/corpus)" % manifest)
        rows = [line.rstrip("\n").split("\t") for line in open(manifest, encoding="utf-8")][1:]
        for r in rows:
            if sub == "librispeech_resemblyzer" and r[1] in held:
                continue
            per_speaker.setdefault((sub, r[1]), []).append(os.path.join(CORPUS, sub, r[0]))
    for (sub, spk), fs in sorted(per_speaker.items()):
        fs = sorted(fs)
        take = {"librispeech_resemblyzer": 1, "speech_commands_test": 3, "selfrec_ljtext": 25}[sub]
        for i in rng.permutation(len(fs))[:take]:
            files.append(fs[i])
    return files


def _ubm_from_corpus(log):
    from sklearn.mixture import GaussianMixture
    files = ubm_files()
    feats = []
    for i, f in enumerate(files):
        feats.append(features(read_audio(f)).astype(np.float32))
        if log and i % 50 == 0:
            log("meter: UBM features %d/%d" % (i, len(files)))
    x = np.concatenate(feats)
    rng = np.random.RandomState(SEED)
    if len(x) > UBM_FRAMES:
        x = x[rng.choice(len(x), UBM_FRAMES, replace=False)]
    if log:
        log("meter: training a %d-component UBM on %d frames from %d corpus files (once)"
            % (COMPONENTS, len(x), len(files)))
    gmm = GaussianMixture(COMPONENTS, covariance_type="diag", max_iter=60, tol=1e-3, reg_covar=1e-3,
                          init_params="k-means++", random_state=SEED, verbose=0)
    gmm.fit(x)
    return gmm.weights_, gmm.means_, gmm.covariances_


def load_ubm(log=lambda m: print(m, file=sys.stderr)):
    path = os.path.join(cache_dir(), "ubm-%s.npz" % hashlib.sha1(VERSION.encode()).hexdigest()[:12])
    with open(path + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)      # one process trains; the others wait and load
        if not os.path.exists(path):
            w, m, v = _ubm_from_corpus(log)
            _atomic_save(path, lambda tmp: np.savez(open(tmp, "wb"), w=w, m=m, v=v))
    z = np.load(path)
    return Gmm(z["w"], z["m"], z["v"])


class Gmm:
    def __init__(self, weights, means, variances):
        self.w, self.m, self.v = weights, means, variances
        self.prec = 1 / variances
        self.const = np.log(weights) - 0.5 * (np.log(2 * np.pi * variances).sum(axis=1))

    def component_loglik(self, x):
        """[frames, components] log(w_c N(x | c))."""
        x = x.astype(np.float64)
        quad = (x ** 2) @ self.prec.T - 2 * x @ (self.m * self.prec).T + ((self.m ** 2) * self.prec).sum(axis=1)
        return self.const - 0.5 * quad

    def adapt(self, x):
        """MAP adaptation of the means to the frames x (Reynolds et al. 2000)."""
        ll = self.component_loglik(x)
        post = np.exp(ll - logsumexp(ll, axis=1, keepdims=True))
        n = post.sum(axis=0)
        ex = (post.T @ x) / np.maximum(n, 1e-10)[:, None]
        a = (n / (n + RELEVANCE))[:, None]
        return Gmm(self.w, a * ex + (1 - a) * self.m, self.v)


def enrol(ubm, enroll_tsv):
    clips = {}
    try:
        lines = open(enroll_tsv, encoding="utf-8").read().splitlines()
    except OSError as e:
        raise MeterError("%s: %s" % (enroll_tsv, e.strerror))
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise MeterError("%s:%d: expected 'speaker<TAB>clip.wav'" % (enroll_tsv, n))
        clips.setdefault(parts[0].strip(), []).append(parts[1].strip())
    if not clips:
        raise MeterError("%s: no speakers" % enroll_tsv)
    return {s: ubm.adapt(np.concatenate([file_features(c) for c in cs])) for s, cs in clips.items()}


def scores(ubm, models, test):
    x = file_features(test)
    base = logsumexp(ubm.component_loglik(x), axis=1)
    return {s: float(np.mean(logsumexp(m.component_loglik(x), axis=1) - base)) for s, m in models.items()}


def identify(enroll_tsv, tests):
    ubm = load_ubm()
    models = enrol(ubm, enroll_tsv)
    out = []
    for t in tests:
        sc = scores(ubm, models, t)
        out.append({"file": t, "ranking": [[s, round(v, 4)] for s, v in
                                           sorted(sc.items(), key=lambda kv: -kv[1])]})
    return out


def eer(target, nontarget):
    """Equal-error rate: the threshold where false rejections equal false acceptances."""
    target, nontarget = np.asarray(target, float), np.asarray(nontarget, float)
    th = np.sort(np.concatenate([target, nontarget]))
    frr = np.searchsorted(np.sort(target), th, side="left") / len(target)
    far = 1 - np.searchsorted(np.sort(nontarget), th, side="left") / len(nontarget)
    i = np.argmin(np.abs(frr - far))
    return float((frr[i] + far[i]) / 2)


def read_trials(path):
    rows = []
    for n, line in enumerate(open(path, encoding="utf-8").read().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise MeterError("%s:%d: expected 'true_speaker<TAB>test.wav'" % (path, n))
        rows.append((parts[0].strip(), parts[1].strip()))
    return rows


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("identify", help="rank enrolled speakers for each test clip")
    a.add_argument("--enroll", required=True)
    a.add_argument("--json", action="store_true", help="JSON on stdout (the default output)")
    a.add_argument("tests", nargs="+")
    b = sub.add_parser("verify-eer", help="equal-error rate over all test x enrolled pairs")
    b.add_argument("--enroll", required=True)
    b.add_argument("--trials", required=True)
    b.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    try:
        if args.cmd == "identify":
            json.dump(identify(args.enroll, args.tests), sys.stdout)
            print()
        else:
            ubm = load_ubm()
            models = enrol(ubm, args.enroll)
            tgt, non = [], []
            for spk, wav in read_trials(args.trials):
                for s, v in scores(ubm, models, wav).items():
                    (tgt if s == spk else non).append(v)
            if not tgt or not non:
                raise MeterError("%s: needs test clips of enrolled speakers and of others" % args.trials)
            r = {"eer": round(eer(tgt, non), 4), "target_trials": len(tgt), "nontarget_trials": len(non)}
            print(json.dumps(r) if args.json else "EER %.1f %% (%d target, %d non-target trials)"
                  % (100 * r["eer"], len(tgt), len(non)))
    except MeterError as e:
        print("meter: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
