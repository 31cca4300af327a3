"""Builds the training corpus: every sentence spoken by Debian's TTS voices, with phone labels.

flite prints phone end times (-psdur); festival saves its segments (utt.save.segs); espeak-ng
prints none, so its renderings get labels by DTW against flite's rendering of the same text.
Everything is 16 kHz mono. Nothing is downloaded; the sentences come from a fixed-seed generator
over festival's WSJ lexicon, and the held-out VCTK sentences are never used for training.
"""
import json
import os
import random
import re
import subprocess
import tempfile
from multiprocessing import Pool

import numpy as np

from common import HOP, RATE, frames_of, read_wav, transfer_labels, write_wav

TARGETS = ["awb", "rms", "slt", "kal16"]          # flite voices the decoder learns to speak as
FESTIVAL_TRAIN = ["kal_diphone", "cmu_us_slt_arctic_hts"]
FESTIVAL_HELD_OUT = "ked_diphone"                 # never trained on: the encoder's unseen speaker
ESPEAK_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5",
                   "klatt", "klatt2", "klatt3", "croak", "whisperf", "Andy", "Annie", "belinda",
                   "boris", "david", "ed", "Gene", "Lee", "Mike", "Storm"]
LEXICON = "/usr/share/festival/dicts/wsj.wp39.poslexR"


def words():
    common = []
    for line in open(LEXICON, encoding="latin-1"):
        m = re.match(r'\("([a-z]+)" \(\((.*)\) \) \(\) \)', line)
        if not m or len(m.group(1)) < 2:
            continue
        best = max(float(v) for v in re.findall(r"-?\d+\.\d+", m.group(2)))
        if best > -9.5:
            common.append((m.group(1), min(1.0, np.exp(best))))
    return sorted(set(common))


def sentences(n, seed):
    rng = random.Random(seed)
    vocab = words()
    names = [w for w, _ in vocab]
    weights = [p for _, p in vocab]
    out = []
    for _ in range(n):
        k = rng.randint(5, 12)
        # Half the words by frequency (function words, like real sentences), half uniformly (phone variety).
        ws = [rng.choices(names, weights)[0] if rng.random() < 0.5 else rng.choice(names) for _ in range(k)]
        if k > 7 and rng.random() < 0.5:
            ws[rng.randint(2, k - 3)] += ","
        out.append(" ".join(ws).capitalize() + rng.choice([".", ".", ".", "?", "!"]))
    return out


def flite(text, voice, wav, setf=()):
    args = ["flite", "-voice", voice, "-psdur", "-t", text, "-o", wav]
    for key, value in setf:
        args[1:1] = ["--setf", "%s=%s" % (key, value)]
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    labels = []
    for tok in out.split():
        ph, end = tok.rsplit(":", 1)
        labels.append((float(end), ph))
    return labels


def to_16k(src, dst, extra=()):
    subprocess.run(["sox", src, "-r", str(RATE), "-c", "1", "-b", "16", dst] + list(extra), check=True)


def save(folder, name, x, ids, meta):
    write_wav(os.path.join(folder, name + ".wav"), x)
    np.save(os.path.join(folder, name + ".npy"), ids.astype(np.int8))
    meta["name"] = name
    meta["seconds"] = round(len(x) / RATE, 3)
    return meta


def render_flite(job):
    folder, name, text, voice, setf, meta = job
    wav = os.path.join(folder, name + ".wav")
    labels = flite(text, voice, wav, setf)
    x, rate = read_wav(wav)
    assert rate == RATE, voice
    return save(folder, name, x, frames_of(labels, len(x) // HOP), meta)


def render_espeak(job):
    folder, name, text, variant, pitch, speed, reference, meta = job
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "e.wav")
        subprocess.run(["espeak-ng", "-v", "en-us+" + variant, "-p", str(pitch), "-s", str(speed), "-w", raw, text],
                       check=True, capture_output=True)
        to_16k(raw, os.path.join(tmp, "e16.wav"))
        x, _ = read_wav(os.path.join(tmp, "e16.wav"))
    ref, _ = read_wav(os.path.join(folder, reference + ".wav"))
    ids = transfer_labels(x, ref, np.load(os.path.join(folder, reference + ".npy")).astype(np.int64))
    return save(folder, name, x, ids, meta)


def render_festival(folder, voice, items):
    """items: (name, text, meta). One festival process per voice renders them all."""
    with tempfile.TemporaryDirectory() as tmp:
        script = ["(voice_%s)" % voice]
        for name, text, _ in items:
            safe = text.replace('"', "")
            script.append('(set! u (SynthText "%s"))' % safe)
            script.append('(utt.save.wave u "%s/%s.wav" \'riff)' % (tmp, name))
            script.append('(utt.save.segs u "%s/%s.segs")' % (tmp, name))
        path = os.path.join(tmp, "run.scm")
        open(path, "w").write("\n".join(script) + "\n")
        subprocess.run(["festival", "-b", path], check=True, capture_output=True)
        out = []
        for name, _, meta in items:
            to_16k(os.path.join(tmp, name + ".wav"), os.path.join(tmp, name + "16.wav"))
            x, _ = read_wav(os.path.join(tmp, name + "16.wav"))
            labels = []
            for line in open(os.path.join(tmp, name + ".segs")):
                parts = line.split()
                if len(parts) == 3 and parts[0] != "#":
                    labels.append((float(parts[0]), parts[2]))
            out.append(save(folder, name, x, frames_of(labels, len(x) // HOP), meta))
        return out


def vctk_texts(shared):
    texts = {}
    for spk in sorted(os.listdir(os.path.join(shared, "speech"))):
        tsv = os.path.join(shared, "speech", spk, "transcripts.tsv")
        if os.path.exists(tsv):
            for line in open(tsv):
                utt, text = line.rstrip("\n").split("\t", 1)
                texts.setdefault(utt.split("_", 1)[1], text)
    return texts


def build(folder, shared, n_train, n_test, seed, progress):
    os.makedirs(folder, exist_ok=True)
    done = os.path.join(folder, "corpus.json")
    if os.path.exists(done):
        return json.load(open(done))
    rng = random.Random(seed)
    texts = sentences(n_train + n_test, seed)
    evaluation = vctk_texts(shared)
    flite_jobs, espeak_jobs, festival_items = [], [], {v: [] for v in FESTIVAL_TRAIN + [FESTIVAL_HELD_OUT]}
    for i, text in enumerate(texts):
        split = "train" if i < n_train else "test"
        for v in TARGETS:
            flite_jobs.append((folder, "s%04d_%s" % (i, v), text, v, (), {"speaker": v, "split": split, "text": text}))
        if split == "train":
            # Two pitch/tempo variants by different voices, and two espeak-ng speakers: variety of speakers is what the encoder lacks.
            for v in rng.sample(["awb", "rms", "slt"], 2):
                setf = (("int_f0_target_mean", rng.randint(75, 260)), ("int_f0_target_stddev", rng.randint(8, 40)),
                        ("duration_stretch", round(rng.uniform(0.85, 1.2), 2)))
                flite_jobs.append((folder, "s%04d_%s_var" % (i, v), text, v, setf,
                                   {"speaker": v + "-variant", "split": split, "text": text}))
            fv = FESTIVAL_TRAIN[i % 2]
            festival_items[fv].append(("s%04d_%s" % (i, fv), text, {"speaker": fv, "split": split, "text": text}))
            for var in rng.sample(ESPEAK_VARIANTS, 2):
                espeak_jobs.append((folder, "s%04d_espeak_%s" % (i, var), text, var, rng.randint(15, 85), rng.randint(130, 200),
                                    "s%04d_rms" % i, {"speaker": "espeak-" + var, "split": split, "text": text}))
        else:
            festival_items[FESTIVAL_HELD_OUT].append(("s%04d_ked" % i, text, {"speaker": "ked", "split": "test", "text": text}))
    # Parallel references for evaluation: each VCTK sentence in every target voice.
    for key, text in sorted(evaluation.items()):
        for v in TARGETS:
            flite_jobs.append((folder, "vctk%s_%s" % (key, v), text, v, (), {"speaker": v, "split": "reference", "text": text, "vctk": key}))
    entries = []
    total = len(flite_jobs) + len(espeak_jobs) + sum(len(v) for v in festival_items.values())
    with Pool(2) as pool:
        for meta in pool.imap_unordered(render_flite, flite_jobs, chunksize=8):
            entries.append(meta)
            progress("corpus", len(entries), total)
        for meta in pool.imap_unordered(render_espeak, espeak_jobs, chunksize=4):
            entries.append(meta)
            progress("corpus", len(entries), total)
        for metas in pool.starmap(render_festival, [(folder, v, items) for v, items in festival_items.items() if items]):
            entries.extend(metas)
            progress("corpus", len(entries), total)
    entries.sort(key=lambda e: e["name"])
    json.dump(entries, open(done + ".part", "w"), indent=0)
    os.replace(done + ".part", done)
    return entries
