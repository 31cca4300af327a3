#!/usr/bin/python3
"""Phone labels for the content encoder: PocketSphinx forced alignment of ../shared/corpus.

    nice -n 10 /usr/bin/python3 tools/train/content_align.py [--work /tmp/voxmorph-content] [--jobs 2]

Clips with a transcript whose every word is in the CMU dictionary (pocketsphinx-en-us's
cmudict-en-us.dict, first pronunciation) are force-aligned: a finite-state grammar that is the
transcript's phone sequence, over a dictionary whose "words" are the 39 phones, with PocketSphinx's
filler insertion giving optional silence anywhere. The rest (the LibriSpeech clips have no
transcript) get free phone decoding (-allphone with the en-us phone language model). The four
VCTK speakers of ../shared/speech are aligned the same way, for evaluation only.

Held out from training: the 20 LibriSpeech speakers of ../shared/speech/libri_trainclean100_cohort
(also in the corpus) and, by a fixed seed, 20 more LibriSpeech speakers (10 F, 10 M) and 20 Speech
Commands speakers. Writes, under --work (outside the repository: nothing of ../shared is copied
into it): wav/ (16-bit copies PocketSphinx reads), labels.json (per clip: split, speaker, path,
label source, phone start frames at 100 frames/s).
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
from multiprocessing import Pool

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), "shared")
MODEL = "/usr/share/pocketsphinx/model/en-us"
PHONES = ("SIL AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W "
          "Y Z ZH").split()
SEED = 7
HELD_LIBRI_PER_SEX = 10
HELD_COMMANDS = 20


def cmudict():
    d = {}
    for line in open(os.path.join(MODEL, "cmudict-en-us.dict")):
        parts = line.split()
        if parts and "(" not in parts[0]:
            d[parts[0]] = parts[1:]
    return d


def phones_of(text, d):
    words = re.sub(r"[^a-z' ]", " ", text.lower().replace("-", " ")).split()
    out = []
    for w in words:
        w = w.strip("'")
        if w not in d:
            return None
        out += d[w]
    return out or None


def clips():
    """(id, source path, speaker, sex, transcript, split) for every clip."""
    out = []
    corpus = os.path.join(SHARED, "corpus")
    rng = random.Random(SEED)
    for folder in sorted(os.listdir(corpus)):
        manifest = os.path.join(corpus, folder, "MANIFEST.tsv")
        if not os.path.exists(manifest):
            continue
        rows = [line.rstrip("\n").split("\t") for line in open(manifest)][1:]
        speakers = sorted({r[1] for r in rows})
        held = set()
        if folder.startswith("librispeech"):
            # The 20 LibriSpeech speakers of ../shared/speech (the speaker meter's cohort) are in this corpus too.
            held |= {f.split("-")[0] for f in os.listdir(os.path.join(SHARED, "speech", "libri_trainclean100_cohort"))}
            for sex in "FM":
                held |= set(rng.sample(sorted({r[1] for r in rows if r[2] == sex}), HELD_LIBRI_PER_SEX))
        elif folder.startswith("speech_commands"):
            held = set(rng.sample(speakers, HELD_COMMANDS))
        for r in rows:
            cid = folder + "/" + r[0].rsplit(".", 1)[0]
            out.append((cid, os.path.join(corpus, folder, r[0]), folder + ":" + r[1], r[2], r[4],
                        "heldout" if r[1] in held else "train"))
    for spk in ("p225", "p226", "p227", "p228"):
        folder = os.path.join(SHARED, "speech", "vctk_" + spk)
        texts = dict(line.rstrip("\n").split("\t", 1) for line in open(os.path.join(folder, "transcripts.tsv")))
        for f in sorted(os.listdir(folder)):
            if f.endswith(".wav"):
                out.append(("vctk/" + f[:-4], os.path.join(folder, f), "vctk:" + spk, "", texts.get(f[:-4], ""), "vctk"))
    return out


def to_wav(args):
    src, dst = args
    if not os.path.exists(dst):
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        subprocess.run(["sox", src, "-r", "16000", "-c", "1", "-b", "16", "-e", "signed-integer", dst + ".part.wav"],
                       check=True)
        os.replace(dst + ".part.wav", dst)


def fsg(name, phones):
    lines = ["FSG_BEGIN " + name.replace("/", "_"), "NUM_STATES %d" % (len(phones) + 1), "START_STATE 0",
             "FINAL_STATE %d" % len(phones)]
    lines += ["TRANSITION %d %d 1.0 %s" % (i, i + 1, p) for i, p in enumerate(phones)]
    return "\n".join(lines + ["FSG_END"]) + "\n"


def batch(job):
    """One pocketsphinx_batch run over a control file; returns the hypseg path."""
    work, name, ids, mode = job
    ctl = os.path.join(work, name + ".ctl")
    with open(ctl, "w") as f:
        f.write("".join(i + "\n" for i in ids))
    seg = os.path.join(work, name + ".seg")
    if os.path.exists(seg) and set(ids) <= {line.split(" ", 1)[0] for line in open(seg)}:
        return seg  # done by an earlier run
    cmd = ["nice", "-n", "10", "pocketsphinx_batch", "-hmm", os.path.join(MODEL, "en-us"),
           "-dict", os.path.join(work, "phones.dict"), "-ctl", ctl, "-cepdir", os.path.join(work, "wav"),
           "-cepext", ".wav", "-adcin", "yes", "-adchdr", "44", "-hypseg", seg, "-logfn", os.path.join(work, name + ".log")]
    if mode == "align":
        with open(ctl + ".fsg", "w") as f:
            f.write("".join(i + "\n" for i in ids))
        cmd += ["-fsgctl", ctl + ".fsg", "-fsgdir", os.path.join(work, "fsg"), "-fsgext", ".fsg", "-bestpath", "no",
                "-beam", "1e-40", "-pbeam", "1e-40", "-wbeam", "1e-30"]
    else:
        # Context-independent phones: the context-dependent search took minutes per clip here.
        cmd += ["-allphone", os.path.join(MODEL, "en-us-phone.lm.bin"), "-allphone_ci", "yes", "-beam", "1e-10",
                "-pbeam", "1e-10", "-lw", "2.0", "-bestpath", "no"]
    subprocess.run(cmd, check=True)
    return seg


def parse(seg):
    """uttid -> [(start frame, phone)], end frame; silence, fillers and noise become SIL."""
    out = {}
    for line in open(seg):
        t = line.split()
        if len(t) < 9:
            continue
        items = t[9:]
        segs = []
        for k in range(0, len(items) - 1, 4):
            start, word = int(items[k]), items[k + 3]
            word = word.split("(")[0]
            segs.append((start, word if word in PHONES else "SIL"))
        out[t[0]] = (segs, int(items[-1]) if len(items) % 4 == 1 else None)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", default="/tmp/voxmorph-content")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--free-clips", type=int, default=121,
                    help="clips given free phone decoding (in corpus order; it is slow: ~10 s a LibriSpeech clip here)")
    args = ap.parse_args()
    work = os.path.abspath(args.work)
    os.makedirs(os.path.join(work, "fsg"), exist_ok=True)
    with open(os.path.join(work, "phones.dict"), "w") as f:
        f.write("".join("%s %s\n" % (p, p) for p in PHONES if p != "SIL"))
    d = cmudict()
    all_clips = clips()
    print("%d clips; converting to 16-bit WAV" % len(all_clips), flush=True)
    with Pool(args.jobs) as pool:
        pool.map(to_wav, [(c[1], os.path.join(work, "wav", c[0] + ".wav")) for c in all_clips], chunksize=32)
    align, free = [], []
    for c in all_clips:
        ph = phones_of(c[4], d) if c[4] else None
        if ph:
            path = os.path.join(work, "fsg", c[0] + ".fsg")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(fsg(c[0], ph))
            align.append(c[0])
        else:
            free.append(c[0])
    print("%d force-aligned, %d free phone decoding (of %d without a usable transcript)"
          % (len(align), min(len(free), args.free_clips), len(free)), flush=True)
    free = free[:args.free_clips]
    jobs = []
    for mode, ids in (("align", align), ("allphone", free)):
        for j in range(args.jobs):
            part = ids[j::args.jobs]
            if part:
                jobs.append((work, "%s%d" % (mode, j), part, mode))
    with Pool(args.jobs) as pool:
        segs = pool.map(batch, jobs)
    decoded = {}
    for (_, _, ids, mode), seg in zip(jobs, segs):
        wanted = set(ids)
        for k, v in parse(seg).items():
            if k in wanted:
                decoded[k] = (v, mode)
    labels = {}
    missing = 0
    for c in all_clips:
        if c[0] not in decoded:
            missing += 1
            continue
        (segs, end), mode = decoded[c[0]]
        labels[c[0]] = {"split": c[5], "speaker": c[2], "sex": c[3], "wav": os.path.join("wav", c[0] + ".wav"),
                        "labels": mode, "starts": [s for s, _ in segs], "phones": [p for _, p in segs], "end": end}
    with open(os.path.join(work, "labels.json"), "w") as f:
        json.dump({"phones": PHONES, "clips": labels}, f)
    by = {}
    for v in labels.values():
        by[(v["split"], v["labels"])] = by.get((v["split"], v["labels"]), 0) + 1
    print("labelled %d clips (%d without a result): %s" % (len(labels), missing, by), flush=True)


if __name__ == "__main__":
    sys.exit(main())
