#!/usr/bin/python3
"""Builds models/voxmorph-frames: Voxmorph's built-in voices for frame-matching conversion.

Each voice is a matching set (org.voxmorph.dsp.MatchingSet): the frames of a few minutes of
speech rendered by a Debian TTS voice (flite), enrolled with Voxmorph's own `voice enroll`, so the
built-in voices are analysed exactly as a user's enrolled voice is. The sentences are random but
reproducible (words of the CMU dictionary that pocketsphinx-en-us ships, half of them common
function words, fixed seed); no recorded human speech is used, and none of ../shared.

    /usr/bin/python3 tools/voices/build.py [--sentences 80]     # needs flite, sox, pocketsphinx-en-us
"""
import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DICTIONARY = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
FUNCTION_WORDS = ("the of and to a in is you that it he was for on are as with his they I at be this have from or "
                  "one had by word but not what all were we when your can said there use an each which she do how "
                  "their if will up other about out many then them these so some her would make like him into time "
                  "has look two more write go see number no way could people my than first water been call who oil "
                  "its now find long down day did get come made may part").split()

# name shown to users, flite voice
VOICES = [("awb", "awb"), ("rms", "rms"), ("slt", "slt"), ("kal", "kal16")]
SEED = 12
OUT = os.path.join(ROOT, "models", "voxmorph-frames")


def sentences(n, seed):
    """Random sentences: every word sound of English, in the rhythm of function and content words."""
    words = sorted({m.group(1) for m in (re.match(r"([a-z]+) ", line) for line in open(DICTIONARY)) if m and len(m.group(1)) > 2})
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        k = rng.randint(6, 12)
        ws = [rng.choice(FUNCTION_WORDS) if rng.random() < 0.5 else rng.choice(words) for _ in range(k)]
        out.append(" ".join(ws).capitalize() + rng.choice([".", ".", ".", "?", "!"]))
    return out


def render(voice, texts, folder):
    clips = []
    for i, text in enumerate(texts):
        raw = os.path.join(folder, "%s_%03d_raw.wav" % (voice, i))
        wav = os.path.join(folder, "%s_%03d.wav" % (voice, i))
        subprocess.run(["flite", "-voice", voice, "-t", text, "-o", raw], check=True, capture_output=True)
        subprocess.run(["sox", raw, "-r", "16000", "-c", "1", "-b", "16", wav], check=True)
        clips.append(wav)
    return clips


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=80)
    args = ap.parse_args()
    texts = sentences(args.sentences, SEED)
    os.makedirs(OUT, exist_ok=True)
    files, speakers, seconds = [], [], {}
    with tempfile.TemporaryDirectory() as tmp:
        voices = os.path.join(tmp, "voices")
        for n, (name, flite_voice) in enumerate(VOICES):
            print("[%d/%d] %s: rendering %d sentences" % (n + 1, len(VOICES), name, len(texts)), flush=True)
            clips = render(flite_voice, texts, tmp)
            out = subprocess.run([os.path.join(ROOT, "voxmorph"), "voice", "enroll", *clips, "--name", name,
                                  "--voices-dir", voices, "--consent-text",
                                  "Synthetic voice %s of Debian's flite: no person speaks; its free licence is the consent" % flite_voice],
                                 check=True, capture_output=True, text=True).stdout.strip()
            print("    " + out.splitlines()[-1], flush=True)
            shutil.copyfile(os.path.join(voices, name + ".frames"), os.path.join(OUT, name + ".frames"))
            with open(os.path.join(voices, name + ".voice.json")) as f:
                profile = json.load(f)
            seconds[name] = round(sum(s["seconds"] for s in profile["sources"]), 1)
            speakers.append(name)
            with open(os.path.join(OUT, name + ".frames"), "rb") as f:
                files.append({"path": name + ".frames", "role": "frames", "sha256": hashlib.sha256(f.read()).hexdigest()})
    manifest = {
        "format": "voxmorph-frames",
        "sampleRate": 16000,
        "hopSamples": 160,
        "speakers": speakers,
        "license": "GPL-3.0-or-later (rendered by flite, whose voices are BSD-style free licences)",
        "provenance": "Matching sets made by tools/voices/build.py (seed %d, %d sentences a voice: %s s of speech) from "
                      "Debian's flite voices %s; no recorded human speech. See README.md in this folder."
                      % (SEED, len(texts), ", ".join("%s %s" % (k, v) for k, v in seconds.items()),
                         ", ".join(v for _, v in VOICES)),
        "files": files,
    }
    with open(os.path.join(OUT, "model.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
