#!/usr/bin/python3
"""Measures the trained voice: content-encoder frame accuracy (held-out synthetic speaker, real
VCTK speech), and conversion of the VCTK utterances through the real Java runtime (`voxmorph
convert --model voxmorph-voices --speaker N`): mel-cepstral distortion against the target's own
TTS rendering of the same sentence, pitch, and PocketSphinx word error rate.

    /usr/bin/python3 tools/train/evaluate.py        # after train.py; writes build/train/metrics.json

VCTK has no phone labels, so they come from a forced alignment by synthesis: flite renders the
transcript with phone times, and DTW over MFCCs maps them onto the recording. The same aligner's
agreement with festival's true labels on synthetic speech is reported as its own ceiling.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import PHONE_ID, dtw_path, mcd, mcep, read_wav, transfer_labels, yin  # noqa: E402
from model import LOOKAHEAD, Encoder, LogMel  # noqa: E402
from train import ROOT, VOICES  # noqa: E402

TARGETS = ["awb", "rms", "slt", "kal16"]      # voices with a flite rendering to compare against (speaker ids 0..3)
FEMALE = {"p225", "p228"}


def accuracy(enc, audio, labels):
    with torch.no_grad():
        logits = enc(enc.mel(LogMel.frames(torch.tensor(audio).unsqueeze(0))))[0]
    pred = logits.argmax(-1).numpy()[LOOKAHEAD:]
    n = min(len(pred), len(labels))
    ref = labels[:n]
    keep = ref >= 0
    return int(np.sum(pred[:n][keep] == ref[keep])), int(np.sum(keep))


def recognise(wav):
    out = subprocess.run(["pocketsphinx_continuous", "-infile", wav, "-logfn", "/dev/null"], capture_output=True, text=True).stdout
    return " ".join(line.strip() for line in out.splitlines() if line.strip())


def convert_and_recognise(launcher, wav, speaker, out):
    subprocess.run([launcher, "convert", "--model", "voxmorph-voices", "--speaker", str(speaker), wav, out],
                   check=True, capture_output=True)
    return out, words(recognise(out))


def words(text):
    return re.sub(r"[^a-z' ]", " ", text.lower()).split()


def edits(a, b):
    d = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(b) + 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] != b[j - 1]))
    return d[len(b)]


def speech_mcd(x, ref, ref_labels):
    """MCD along the DTW path between x and ref, over hops where the reference is speaking."""
    cx, cr = mcep(x, yin(x)), mcep(ref, yin(ref))
    path = dtw_path(cx[:, 1:], cr[:, 1:])
    pairs = [(i, j) for i, j in path if j < len(ref_labels) and ref_labels[j] != PHONE_ID["pau"]]
    return mcd(cx[[i for i, _ in pairs]], cr[[j for _, j in pairs]])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--work", default=os.path.join(ROOT, "build", "train"))
    p.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared"))
    p.add_argument("--launcher", default=os.path.join(ROOT, "voxmorph"))
    p.add_argument("--limit", type=int, default=0, help="utterances per VCTK speaker (default: all), for a quick look")
    args = p.parse_args()
    torch.set_num_threads(os.cpu_count())
    corpus = os.path.join(args.work, "corpus")
    entries = json.load(open(os.path.join(corpus, "corpus.json")))
    enc = Encoder()
    enc.load_state_dict(torch.load(os.path.join(args.work, "encoder.pt"))["enc"])
    enc.eval()
    load = lambda name: (read_wav(os.path.join(corpus, name + ".wav"))[0], np.load(os.path.join(corpus, name + ".npy")).astype(np.int64))
    metrics = {}

    # 1. Frame accuracy on synthetic speech with true labels.
    for label, speakers in [("held-out synthetic speaker (festival ked, unseen)", {"ked"}),
                            ("training voices, unseen sentences", set(TARGETS))]:
        hit = tot = 0
        for e in entries:
            if e["split"] == "test" and e["speaker"] in speakers:
                h, t = accuracy(enc, *load(e["name"]))
                hit, tot = hit + h, tot + t
        metrics["frame accuracy: " + label] = round(hit / tot, 3)

    # 2. The aligner's own agreement with true labels (ked rendered vs flite rms of the same text).
    hit = tot = 0
    for e in entries:
        if e["split"] == "test" and e["speaker"] == "ked":
            x, true = load(e["name"])
            ref, ref_labels = load(e["name"].replace("_ked", "_rms"))
            moved = transfer_labels(x, ref, ref_labels)
            n = min(len(moved), len(true))
            hit, tot = hit + int(np.sum(moved[:n] == true[:n])), tot + n
    metrics["aligner agreement with true labels (synthetic)"] = round(hit / tot, 3)

    # 3. Real VCTK speech: labels by alignment, accuracy, then conversion through Java.
    hit = tot = 0
    mcd_in = {t: [] for t in TARGETS}
    mcd_out = {t: [] for t in TARGETS}
    pitch_out = {t: [] for t in TARGETS}
    utterances = 0
    wer = {"input": [0, 0]}
    wer.update({t: [0, 0] for t in TARGETS})
    manifest = json.load(open(os.path.join(ROOT, "models", "voxmorph-voices", "model.json")))
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(2) as pool:
        vctk = [s for s in sorted(os.listdir(os.path.join(args.shared, "speech"))) if s.startswith("vctk_")]
        for spk in vctk:
            folder = os.path.join(args.shared, "speech", spk)
            texts = dict(line.rstrip("\n").split("\t", 1) for line in open(os.path.join(folder, "transcripts.tsv")))
            for utt, text in sorted(texts.items())[:args.limit or None]:
                wav = os.path.join(folder, utt + ".wav")
                utterances += 1
                # Converting and recognising are separate processes: two at a time keep both cores busy.
                jobs = [pool.submit(convert_and_recognise, args.launcher, wav, sid, os.path.join(tmp, "%s_%d.wav" % (utt, sid)))
                        for sid in range(len(TARGETS))]
                x, _ = read_wav(wav)
                key = utt.split("_", 1)[1]
                guide = "slt" if spk[5:] in FEMALE else "rms"
                gx, gl = load("vctk%s_%s" % (key, guide))
                h, t = accuracy(enc, x, transfer_labels(x, gx, gl))
                hit, tot = hit + h, tot + t
                truth = words(text)
                w = words(recognise(wav))
                wer["input"][0] += edits(truth, w)
                wer["input"][1] += len(truth)
                for sid, (target, job) in enumerate(zip(TARGETS, jobs)):
                    out, heard = job.result()
                    y, _ = read_wav(out)
                    ref, ref_labels = load("vctk%s_%s" % (key, target))
                    mcd_in[target].append(speech_mcd(x, ref, ref_labels))
                    mcd_out[target].append(speech_mcd(y, ref, ref_labels))
                    f0 = yin(y)
                    pitch_out[target].append(np.median(f0[f0 > 0]) if np.any(f0 > 0) else 0)
                    wer[target][0] += edits(truth, heard)
                    wer[target][1] += len(truth)
                sys.stderr.write("\r%s done " % utt)
    sys.stderr.write("\n")
    metrics["frame accuracy: real VCTK speech (%d speakers, %d utterances, aligned labels)" % (len(vctk), utterances)] = round(hit / tot, 3)
    metrics["WER input (PocketSphinx 0.8, en-us)"] = round(wer["input"][0] / wer["input"][1], 3)
    rows = []
    for sid, target in enumerate(TARGETS):
        name = VOICES[sid][0]
        row = {"voice": name, "speaker": sid,
               "MCD input vs target TTS (dB)": round(float(np.mean(mcd_in[target])), 2),
               "MCD output vs target TTS (dB)": round(float(np.mean(mcd_out[target])), 2),
               "median output F0 (Hz)": round(float(np.median(pitch_out[target])), 1),
               "target F0 (Hz, exp mean ln F0)": round(float(np.exp(manifest["speakerF0"][sid][0])), 1),
               "WER output": round(wer[target][0] / wer[target][1], 3)}
        rows.append(row)
    metrics["conversion"] = rows
    bench = subprocess.run(["taskset", "-c", "0", args.launcher, "bench", "--model", "voxmorph-voices", "--seconds", "60", "--json"],
                           check=True, capture_output=True, text=True).stdout
    metrics["bench"] = json.loads(bench.strip().splitlines()[-1])
    json.dump(metrics, open(os.path.join(args.work, "metrics.json"), "w"), indent=2)
    print(json.dumps(metrics, indent=2))
    write_card(args, metrics)


def write_card(args, m):
    lines = ["| measure | value |", "|---|---|"]
    for k, v in m.items():
        if not isinstance(v, (list, dict)):
            lines.append("| %s | %s |" % (k, v))
    b = m["bench"]
    lines.append("| Java ONNX Runtime, one core (taskset -c 0), 48 kHz engine, 10 ms hop: model realtimeFactor "
                 "(ONNX + pitch + vocoder) | %.3f |" % b["modelRealtimeFactor"])
    lines.append("| whole engine realtimeFactor (resamplers, watermark) | %.3f |" % b["realtimeFactor"])
    lines.append("| algorithmic latency at 48 kHz | %.1f ms |" % b["algorithmicLatencyMs"])
    rows = m["conversion"]
    lines += ["", "Conversion of the VCTK utterances (p225 F, p226 M, p227 M, p228 F) to each voice; MCD with DTW "
              "against the target's own flite rendering of the same sentence, over the reference's speech hops (MCD = 10/ln 10 · sqrt(2 Σ (c_m − c'_m)²), m = 1..24, cepstra in SPTK's convention; lower is closer; PocketSphinx WER on the converted audio):", ""]
    keys = list(rows[0].keys())
    lines.append("| " + " | ".join(keys) + " |")
    lines.append("|" + "---|" * len(keys))
    for r in rows:
        lines.append("| " + " | ".join(str(r[k]) for k in keys) + " |")
    run = json.load(open(os.path.join(args.work, "run.json")))
    training = ("The shipped model's run took %d min on %s with %d threads (%d encoder and %d decoder steps of %d "
                "three-second crops, %d sentences); rendering the corpus and analysing it, when not cached in "
                "`build/train`, add about 10 minutes on 2 cores." % (run["seconds"] // 60, run["device"], run["threads"],
                run["encoderSteps"], run["decoderSteps"], run["batch"], run["sentences"]))
    card = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "model-card.md")).read()
    listening = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "listening.md")).read().strip()
    out = os.path.join(ROOT, "models", "voxmorph-voices", "README.md")
    with open(out + ".part", "w") as f:
        f.write(card.replace("{metrics}", "\n".join(lines)).replace("{training}", training).replace("{listening}", listening))
    os.replace(out + ".part", out)


if __name__ == "__main__":
    main()
