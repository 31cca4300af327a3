#!/usr/bin/python3
"""The meter's own accuracy on unconverted real speech from ../shared/speech.

Candidates: VCTK p225-p228 (enrolled on their first 5 utterances, tested on the other 5) and the
20 LibriSpeech cohort speakers (one utterance each: enrolled on its first half, tested on the
second half). Prints top-1 identification accuracy with all 24 candidates and with 10-candidate
panels (the 4 VCTK speakers plus 6 cohort speakers, 3 F + 3 M, rotated), and the GMM-UBM's EER.

  /usr/bin/python3 tools/speaker-id/accuracy.py [--work DIR]
"""
import argparse
import os
import sys
import tempfile

import numpy as np
from scipy.io import wavfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import meter  # noqa: E402

SPEECH = os.path.normpath(os.path.join(meter.ROOT, "..", "shared", "speech"))
VCTK_SEX = {"p225": "F", "p226": "M", "p227": "M", "p228": "F"}


def build_sets(work):
    """(enroll rows, test rows, sex per speaker); halves of cohort utterances are written to work/."""
    enroll, test, sex = [], [], {}
    for spk in sorted(VCTK_SEX):
        d = os.path.join(SPEECH, "vctk_" + spk)
        clips = sorted(f for f in os.listdir(d) if f.endswith(".wav"))
        enroll += [(spk, os.path.join(d, f)) for f in clips[:5]]
        test += [(spk, os.path.join(d, f)) for f in clips[5:]]
        sex[spk] = VCTK_SEX[spk]
    d = os.path.join(SPEECH, "libri_trainclean100_cohort")
    for f in sorted(os.listdir(d)):
        spk = "libri" + f.split("-")[0]
        sex[spk] = f[-5]
        rate, x = wavfile.read(os.path.join(d, f))
        half = len(x) // 2
        for part, y, rows in (("a", x[:half], enroll), ("b", x[half:], test)):
            out = os.path.join(work, "%s_%s.wav" % (spk, part))
            wavfile.write(out, rate, y)
            rows.append((spk, out))
    return enroll, test, sex


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--work", default=None)
    args = p.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="meter-accuracy-")
    os.makedirs(work, exist_ok=True)
    enroll, test, sex = build_sets(work)
    ubm = meter.load_ubm()
    clips = {}
    for s, f in enroll:
        clips.setdefault(s, []).append(f)
    models = {s: ubm.adapt(np.concatenate([meter.file_features(f) for f in fs])) for s, fs in clips.items()}
    table = [(s, f, meter.scores(ubm, models, f)) for s, f in test]

    def top1(rows, panel):
        return [max(panel, key=lambda c: sc[c]) == s for s, _, sc in rows if s in panel]

    def line(name, hits):
        print("| %-38s | %3d / %3d | %5.1f %% |" % (name, sum(hits), len(hits), 100 * np.mean(hits)))

    everyone = sorted(models)
    print("| test clips, candidates | correct | top-1 |")
    print("|---|---|---|")
    vctk = [r for r in table if r[0].startswith("p")]
    libri = [r for r in table if r[0].startswith("libri")]
    line("VCTK (20 clips), all 24", top1(vctk, everyone))
    line("Libri cohort halves (20), all 24", top1(libri, everyone))
    line("all 40 clips, all 24", top1(table, everyone))
    fem = sorted(s for s in everyone if s.startswith("libri") and sex[s] == "F")
    mal = sorted(s for s in everyone if s.startswith("libri") and sex[s] == "M")
    panel_hits = []
    for k in range(0, 10, 3):                    # panels of 10: VCTK 4 + 3 F + 3 M cohort speakers
        panel = sorted(VCTK_SEX) + [fem[(k + i) % 10] for i in range(3)] + [mal[(k + i) % 10] for i in range(3)]
        panel_hits += top1(table, panel)
    line("10-candidate panels (4 panels, 26 each)", panel_hits)
    for sx in "FM":
        same = [s for s in everyone if sex[s] == sx]
        line("within sex %s only (%d candidates)" % (sx, len(same)), top1([r for r in table if sex[r[0]] == sx], same))
    tgt = [sc[s] for s, _, sc in table]
    non = [v for s, _, sc in table for c, v in sc.items() if c != s]
    print("\nGMM-UBM verification EER over all pairs: %.1f %% (%d target, %d non-target trials)"
          % (100 * meter.eer(tgt, non), len(tgt), len(non)))


if __name__ == "__main__":
    main()
