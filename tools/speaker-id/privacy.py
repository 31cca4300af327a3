#!/usr/bin/python3
"""How well anonymization hides who is speaking (VoicePrivacy Challenge style).

    /usr/bin/python3 tools/speaker-id/privacy.py --original DIR --anonymized DIR [--gmm] [--json]

DIR holds one folder per speaker (DIR/SPEAKER/UTTERANCE.wav); the anonymized folder has the same
relative paths. Each speaker's utterances, sorted by name, are split: the first half enrolls, the
rest are trials (scored against every enrolled speaker). The verifier is Voxmorph's speaker
encoder (`voxmorph voice embed`): a speaker's model is the mean of their enrollment embeddings and
a trial's score is its cosine with it. Conditions:

  OO  enrolled on original speech, trials original      (the verifier's own EER; low is good)
  OA  enrolled on original speech, trials anonymized    (ignorant attacker; 50 % = no information)
  AA  enrolled on anonymized speech, trials anonymized  (lazy-informed attacker)

For each it prints the equal-error rate and how often the true speaker ranks first among the
enrolled speakers (top-1, chance = 1 / speakers). --gmm adds the same top-1 rates from the
independent GMM-UBM meter (meter.py).
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import meter  # noqa: E402


def listing(folder):
    """{speaker: [relative paths, sorted]}."""
    out = {}
    for spk in sorted(os.listdir(folder)):
        d = os.path.join(folder, spk)
        if os.path.isdir(d):
            wavs = sorted(f for f in os.listdir(d) if f.lower().endswith(".wav"))
            if wavs:
                out[spk] = [os.path.join(spk, f) for f in wavs]
    return out


def embeddings(voxmorph, files):
    r = subprocess.run([voxmorph, "voice", "embed", "--json"] + files, capture_output=True, text=True)
    if r.returncode != 0:
        raise meter.MeterError("voxmorph voice embed failed: " + (r.stderr.strip().splitlines() or ["?"])[-1])
    got = json.loads(r.stdout)
    return {f["file"]: np.array(f["embedding"]) for f in got["files"]}, got["kind"]


def condition(enroll_emb, trial_emb, split):
    """EER and top-1 over all trials: models from enroll_emb, trials from trial_emb."""
    spks = sorted(split)
    models = []
    for s in spks:
        m = np.mean([enroll_emb[f] for f in split[s][0]], axis=0)
        models.append(m / np.linalg.norm(m))
    models = np.stack(models)
    tgt, non, hits, n = [], [], 0, 0
    for i, s in enumerate(spks):
        for f in split[s][1]:
            sc = models @ (trial_emb[f] / np.linalg.norm(trial_emb[f]))
            tgt.append(sc[i])
            non += [v for j, v in enumerate(sc) if j != i]
            hits += int(np.argmax(sc) == i)
            n += 1
    return {"eer": round(meter.eer(tgt, non), 4), "top1": round(hits / n, 4), "trials": n,
            "target_trials": len(tgt), "nontarget_trials": len(non)}


def gmm_top1(enroll_root, trial_root, split):
    ubm = meter.load_ubm()
    models = {s: ubm.adapt(np.concatenate([meter.file_features(os.path.join(enroll_root, f)) for f in split[s][0]]))
              for s in split}
    hits = n = 0
    for s in split:
        for f in split[s][1]:
            sc = meter.scores(ubm, models, os.path.join(trial_root, f))
            hits += int(max(sc, key=sc.get) == s)
            n += 1
    return round(hits / n, 4)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--original", required=True)
    p.add_argument("--anonymized", required=True)
    p.add_argument("--voxmorph", default=os.path.join(meter.ROOT, "voxmorph"))
    p.add_argument("--gmm", action="store_true", help="also top-1 rates from the GMM-UBM meter")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    try:
        orig = listing(args.original)
        anon = listing(args.anonymized)
        split = {}
        for s, files in orig.items():
            missing = [f for f in files if f not in set(anon.get(s, []))]
            if missing:
                raise meter.MeterError("%s: no anonymized counterpart in %s" % (missing[0], args.anonymized))
            if len(files) < 2:
                raise meter.MeterError("%s: speaker %s needs at least 2 utterances (enrollment and trial)" % (args.original, s))
            half = len(files) // 2
            split[s] = (files[:half], files[half:])
        if len(split) < 2:
            raise meter.MeterError("%s: needs at least 2 speakers" % args.original)
        rel = [f for s in sorted(orig) for f in orig[s]]
        emb, kind = embeddings(args.voxmorph, [os.path.join(args.original, f) for f in rel]
                               + [os.path.join(args.anonymized, f) for f in rel])
        o = {f: emb[os.path.join(args.original, f)] for f in rel}
        a = {f: emb[os.path.join(args.anonymized, f)] for f in rel}
        res = {"encoder": kind, "speakers": len(split), "chance_top1": round(1 / len(split), 4),
               "OO": condition(o, o, split), "OA": condition(o, a, split), "AA": condition(a, a, split)}
        if args.gmm:
            res["OO"]["gmm_top1"] = gmm_top1(args.original, args.original, split)
            res["OA"]["gmm_top1"] = gmm_top1(args.original, args.anonymized, split)
            res["AA"]["gmm_top1"] = gmm_top1(args.anonymized, args.anonymized, split)
    except meter.MeterError as e:
        print("privacy: %s" % e, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(res))
        return 0
    print("encoder %s, %d speakers (top-1 chance %.0f %%)" % (res["encoder"], res["speakers"], 100 * res["chance_top1"]))
    print("| condition | EER | top-1 (encoder) |%s trials |" % (" top-1 (GMM-UBM) |" if args.gmm else ""))
    print("|---|---|---|%s---|" % ("---|" if args.gmm else ""))
    for c, name in (("OO", "original enroll, original trials"), ("OA", "original enroll, anonymized trials"),
                    ("AA", "anonymized enroll, anonymized trials")):
        r = res[c]
        g = " %5.1f %% |" % (100 * r["gmm_top1"]) if args.gmm else ""
        print("| %s %s | %5.1f %% | %5.1f %% |%s %d |" % (c, name, 100 * r["eer"], 100 * r["top1"], g, r["trials"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
