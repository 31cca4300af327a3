#!/usr/bin/python3
"""Measures identity conversion end to end, as a user would run it, and prints the table for the notes.

    /usr/bin/python3 tools/evaluate-identity.py [--voxmorph ./voxmorph] [--label NAME] [--skip-privacy] [--skip-builtin]
                                                [--privacy-only]

Everything goes through the command line (`voice enroll`, `convert`, `bench`, `latency`) and is
scored by meters Voxmorph does not share:
* identity and privacy: the GMM-UBM speaker meter, tools/speaker-id/meter.py (from the `meter`
  branch; VOXMORPH_METER overrides the path), 24 candidates: VCTK p225-p228 enrolled from
  utterances 022-024 and the 20 LibriSpeech cohort speakers of ../shared/speech (one utterance each);
* words: PocketSphinx (Debian's pocketsphinx + pocketsphinx-en-us) word error rate;
* pitch: median F0 by a plain autocorrelation tracker in this file.
Targets are enrolled from VCTK utterances 005/020, 008, 011, 016, 019; sentences 003 and 021 of
every other VCTK speaker are converted into each (24 conversions, 12 across sex, 12 within).
All of ../shared/speech is evaluation data: nothing here is trained or built on it.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import scipy.io.wavfile as wavfile
import scipy.signal as signal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEECH = os.path.join(os.path.dirname(ROOT), "shared", "speech")
METER = os.environ.get("VOXMORPH_METER", os.path.join(ROOT, "tools", "speaker-id", "meter.py"))
VCTK = {"p225": "F", "p226": "M", "p227": "M", "p228": "F"}
METER_UTTS = ["022", "023", "024"]
TEST_UTTS = ["003", "021"]
SEEDS = [1, 2, 3, 4]
CONSENT = "I, the evaluation speaker, consent to this measurement use of my recorded voice"


def vctk(speaker, utt):
    return os.path.join(SPEECH, "vctk_" + speaker, "%s_%s.wav" % (speaker, utt))


def enroll_utts(speaker):
    present = sorted(f[5:8] for f in os.listdir(os.path.join(SPEECH, "vctk_" + speaker)) if f.endswith(".wav"))
    return [u for u in present if u not in METER_UTTS + TEST_UTTS]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def read16k(path):
    rate, x = wavfile.read(path)
    x = x.astype(np.float64) / (32768.0 if x.dtype == np.int16 else 1.0)
    if x.ndim > 1:
        x = x.mean(axis=1)
    return signal.resample_poly(x, 16000, rate) if rate != 16000 else x


def median_f0(paths):
    """Normalised autocorrelation over 40 ms frames (60..400 Hz), voiced where it peaks above 0.6."""
    f0s = []
    for p in paths:
        x = read16k(p)
        frame, hop = 640, 160
        if len(x) < frame:
            continue
        frames = np.lib.stride_tricks.sliding_window_view(x, frame)[::hop]
        energy = (frames ** 2).mean(axis=1)
        loud = np.percentile(energy, 95)
        for fr, e in zip(frames, energy):
            if e < loud * 1e-3:
                continue
            fr = fr - fr.mean()
            ac = np.correlate(fr, fr, "full")[frame - 1:]
            norm = np.sqrt(ac[0] * np.cumsum(fr[::-1] ** 2)[::-1] + 1e-12)
            r = ac / norm
            lo, hi = 16000 // 400, 16000 // 60
            lag = lo + int(np.argmax(r[lo:hi]))
            if r[lag] > 0.6:
                f0s.append(16000.0 / lag)
    return float(np.median(f0s)) if f0s else float("nan")


def identify(enroll_tsv, wavs):
    out = run(["/usr/bin/python3", METER, "identify", "--enroll", enroll_tsv, "--json"] + wavs)
    return {r["file"]: r["ranking"] for r in json.loads(out)}


def transcript(speaker, utt):
    for line in open(os.path.join(SPEECH, "vctk_" + speaker, "transcripts.tsv")):
        key, text = line.rstrip("\n").split("\t", 1)
        if key == "%s_%s" % (speaker, utt):
            return text
    raise KeyError(speaker + utt)


def words(text):
    return "".join(c if c.isalpha() or c in "' " else " " for c in text.lower()).split()


def wer(truth, hypothesis):
    t, h = words(truth), words(hypothesis)
    d = list(range(len(h) + 1))
    for i in range(1, len(t) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(h) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (t[i - 1] != h[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(h)], len(t)


def recognise(path):
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(["sox", path, "-r", "16000", "-c", "1", "-b", "16", tmp.name], check=True)
        return run(["pocketsphinx_continuous", "-infile", tmp.name, "-logfn", "/dev/null"])


def word_error_rate(pairs):
    """pairs: (wav, transcript). Errors over all words."""
    errors = total = 0
    for wav, text in pairs:
        e, n = wer(text, recognise(wav))
        errors += e
        total += n
    return errors / total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--voxmorph", default=os.path.join(ROOT, "voxmorph"))
    ap.add_argument("--label", default="frame matching (this build)")
    ap.add_argument("--out", default=None, help="keep the audio here (default: a temporary folder)")
    ap.add_argument("--skip-privacy", action="store_true")
    ap.add_argument("--skip-builtin", action="store_true")
    ap.add_argument("--privacy-only", action="store_true", help="only the meter's own accuracy and the privacy rows")
    args = ap.parse_args()
    work = args.out or tempfile.mkdtemp(prefix="vx-identity-")
    os.makedirs(work, exist_ok=True)
    vx = [args.voxmorph]
    voices = os.path.join(work, "voices")
    log = lambda *a: print(*a, file=sys.stderr, flush=True)

    # Meter candidates: 4 VCTK (enrolled from clips never converted nor enrolled as targets) + 20 LibriSpeech.
    enroll_tsv = os.path.join(work, "meter-enroll.tsv")
    cohort = sorted(f for f in os.listdir(os.path.join(SPEECH, "libri_trainclean100_cohort")) if f.endswith(".wav"))
    with open(enroll_tsv, "w") as f:
        for s in VCTK:
            for u in METER_UTTS:
                f.write("%s\t%s\n" % (s, vctk(s, u)))
        for c in cohort:
            f.write("L%s\t%s\n" % (c[:-4], os.path.join(SPEECH, "libri_trainclean100_cohort", c)))
    rows = {}

    # The meter's own accuracy on unconverted speech, on the clips that get converted.
    plain = {vctk(s, u): s for s in VCTK for u in TEST_UTTS}
    ranked = identify(enroll_tsv, list(plain))
    rows["meter on unconverted VCTK (%d clips, 24 candidates)" % len(plain)] = \
        "%d/%d correct" % (sum(ranked[w][0][0] == s for w, s in plain.items()), len(plain))

    if not args.privacy_only:
        # Enroll the targets with Voxmorph.
        for s in VCTK:
            if not os.path.exists(os.path.join(voices, s + ".voice.json")):
                run(vx + ["voice", "enroll"] + [vctk(s, u) for u in enroll_utts(s)] + ["--name", s, "--voices-dir", voices,
                                                                                  "--consent-text", CONSENT])
        target_f0 = {s: median_f0([vctk(s, u) for u in enroll_utts(s)]) for s in VCTK}

        # Conversions.
        conv = []
        for src in VCTK:
            for tgt in VCTK:
                if src == tgt:
                    continue
                for u in TEST_UTTS:
                    out = os.path.join(work, "%s_%s_to_%s.wav" % (src, u, tgt))
                    run(vx + ["convert", vctk(src, u), out, "--voice", tgt, "--voices-dir", voices, "--no-watermark"])
                    conv.append((out, src, tgt, u))
        log("converted %d clips" % len(conv))
        ranked = identify(enroll_tsv, [c[0] for c in conv])
        hit = lambda cs: sum(ranked[c[0]][0][0] == c[2] for c in cs)
        src_hit = lambda cs: sum(ranked[c[0]][0][0] == c[1] for c in cs)
        across = [c for c in conv if VCTK[c[1]] != VCTK[c[2]]]
        within = [c for c in conv if VCTK[c[1]] == VCTK[c[2]]]
        unconverted_as_target = sum(identify(enroll_tsv, [vctk(c[1], c[3])])[vctk(c[1], c[3])][0][0] == c[2] for c in conv)
        rows["identity: converted identified as target, all"] = "%d/%d (%.0f %%)" % (hit(conv), len(conv), 100 * hit(conv) / len(conv))
        rows["identity: across sex"] = "%d/%d" % (hit(across), len(across))
        rows["identity: within sex"] = "%d/%d" % (hit(within), len(within))
        rows["identity: converted still identified as its source"] = "%d/%d" % (src_hit(conv), len(conv))
        rows["identity: unconverted source identified as the target (chance)"] = "%d/%d" % (unconverted_as_target, len(conv))

        errors = [abs(median_f0([c[0]]) / target_f0[c[2]] - 1) for c in conv]
        rows["pitch: |output median F0 / target's - 1|, median (max)"] = "%.1f %% (%.1f %%)" % (
            100 * statistics.median(errors), 100 * max(errors))

        log("recognising words")
        rows["words: PocketSphinx WER, sources (%d utterances)" % (len(VCTK) * len(TEST_UTTS))] = "%.0f %%" % (
            100 * word_error_rate([(vctk(s, u), transcript(s, u)) for s in VCTK for u in TEST_UTTS]))
        rows["words: PocketSphinx WER, converted (%d)" % len(conv)] = "%.0f %%" % (
            100 * word_error_rate([(c[0], transcript(c[1], c[3])) for c in conv]))

    if not args.skip_privacy:
        presets = os.path.join(work, "presets")
        os.makedirs(presets, exist_ok=True)
        anon = []
        for seed in SEEDS:
            preset = os.path.join(presets, "anonymize-%d.json" % seed)
            with open(os.path.join(ROOT, "presets", "anonymize.json")) as f:
                p = json.load(f)
            for step in p["chain"]:
                if step["processor"] == "anonymize":
                    step["params"]["seed"] = seed
            with open(preset, "w") as f:
                json.dump(p, f)
            for s in VCTK:
                for u in TEST_UTTS:
                    out = os.path.join(work, "anon_%s_%s_seed%d.wav" % (s, u, seed))
                    run(vx + ["convert", vctk(s, u), out, "--preset", preset, "--no-watermark"])
                    anon.append((out, s, u))
        ranked = identify(enroll_tsv, [a[0] for a in anon])
        caught = sum(ranked[a[0]][0][0] == a[1] for a in anon)
        rows["privacy: anonymized (seeds 1-4) identified as its source"] = "%d/%d (%.0f %%)" % (
            caught, len(anon), 100 * caught / len(anon))
        rows["privacy: PocketSphinx WER, anonymized"] = "%.0f %%" % (
            100 * word_error_rate([(a[0], transcript(a[1], a[2])) for a in anon]))
        # The speaker encoder as a verifier (tools/speaker-id/privacy.py), per seed: the four VCTK speakers'
        # sentences 003 and 021 enroll, 022-024 are trials; enrolled on unprocessed speech (OA, an ignorant
        # attacker) and on the same seed's anonymized speech (AA, a lazy-informed attacker who has the tool).
        privacy = {"OO": [], "OA": [], "AA": []}
        for seed in SEEDS:
            preset = os.path.join(presets, "anonymize-%d.json" % seed)
            orig_dir = os.path.join(work, "privacy-seed%d" % seed, "original")
            anon_dir = os.path.join(work, "privacy-seed%d" % seed, "anonymized")
            for s in VCTK:
                os.makedirs(os.path.join(orig_dir, s), exist_ok=True)
                os.makedirs(os.path.join(anon_dir, s), exist_ok=True)
                for u in TEST_UTTS + METER_UTTS:
                    link = os.path.join(orig_dir, s, u + ".wav")
                    if not os.path.exists(link):
                        os.symlink(vctk(s, u), link)
                    out = os.path.join(anon_dir, s, u + ".wav")
                    done = os.path.join(work, "anon_%s_%s_seed%d.wav" % (s, u, seed))
                    if os.path.exists(done):
                        if not os.path.exists(out):
                            os.symlink(done, out)
                    else:
                        run(vx + ["convert", vctk(s, u), out, "--preset", preset, "--no-watermark"])
            r = json.loads(run(["/usr/bin/python3", os.path.join(ROOT, "tools", "speaker-id", "privacy.py"), "--original",
                                orig_dir, "--anonymized", anon_dir, "--voxmorph", args.voxmorph, "--json"]))
            for c in privacy:
                privacy[c].append(r[c])
        for c, name in (("OO", "unprocessed enrollment, unprocessed trials (the verifier itself)"),
                        ("OA", "unprocessed enrollment, anonymized trials"),
                        ("AA", "anonymized enrollment (same seed), anonymized trials")):
            rows["privacy: speaker-encoder verifier EER, %s; seeds 1-4 mean (min..max)" % name] = "%.0f %% (%.0f..%.0f %%)" % (
                100 * statistics.mean(x["eer"] for x in privacy[c]), 100 * min(x["eer"] for x in privacy[c]),
                100 * max(x["eer"] for x in privacy[c]))
        trials = os.path.join(work, "anon-trials.tsv")
        with open(trials, "w") as f:
            for a in anon:
                f.write("%s\t%s\n" % (a[1], a[0]))
        try:
            eer = run(["/usr/bin/python3", METER, "verify-eer", "--enroll", enroll_tsv, "--trials", trials]).strip()
            rows["privacy: meter as verifier, enrolled on unprocessed speech, EER on anonymized"] = eer.splitlines()[-1]
        except subprocess.CalledProcessError as e:
            rows["privacy: verifier EER"] = "not measured (%s)" % e.stderr.strip().splitlines()[-1:]

    if not args.privacy_only:
        if not args.skip_builtin:
            models = json.loads(run(vx + ["models", "--json"]))
            ids = [m.get("id") for m in (models if isinstance(models, list) else models.get("models", []))]
            for model in [m for m in ("voxmorph-frames", "voxmorph-voices") if m in ids]:
                outs = []
                for k in range(4):
                    for s in VCTK:
                        out = os.path.join(work, "%s_%s_003_spk%d.wav" % (model, s, k))
                        run(vx + ["convert", vctk(s, "003"), out, "--model", model, "--speaker", str(k), "--no-watermark"])
                        outs.append((out, s))
                rows["built-in %s (speakers 0-3): PocketSphinx WER on 003" % model] = "%.0f %%" % (
                    100 * word_error_rate([(o, transcript(s, "003")) for o, s in outs]))

        bench = json.loads(run(["taskset", "-c", "0"] + vx + ["bench", "--voice", "p225", "--voices-dir", voices,
                                                               "--seconds", "30", "--json"]))
        rows["speed: realtimeFactor, whole engine, one core, 48 kHz (--voice)"] = "%.3f" % bench["realtimeFactor"]
        lat = run(vx + ["latency", "--voice", "p225", "--voices-dir", voices, "--json"])
        lat = json.loads(lat)
        rows["latency: reported / measured (ms)"] = "%s / %s" % (
            lat.get("reportedMs", lat.get("algorithmicLatencyMs")), lat.get("measuredMs"))

    print("| %s | measure | result |" % args.label)
    print("|---|---|---|")
    for k, v in rows.items():
        print("| | %s | %s |" % (k, v))
    log("audio kept in " + work)


if __name__ == "__main__":
    main()
