#!/usr/bin/python3
"""check_corpus: sanity checks over the manifests of a built corpus (standard library only).

For every row of OUT/{train,dev,test,dev-noisy,test-noisy}.tsv: the wav exists, is 16 kHz mono
16-bit, its duration matches the manifest, it does not clip (no sample at full scale), its RMS
is in a sane range, and its first and last 50 ms are not digital silence. Phoneme labels must
use the 39 ARPAbet symbols. Prints a summary per set; exits 1 on any failure.

Usage: check_corpus.py [--out data/corpus] [--sample N] [--delete-bad]
  --delete-bad removes failing wavs so that a rerun of build-corpus.sh renders them again.
"""
import argparse
import array
import math
import os
import random
import sys
import wave

PHONES = set("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH".split())


def check(path, dur):
    with wave.open(path) as w:
        if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (16000, 1, 2):
            return "format %s" % ((w.getframerate(), w.getnchannels(), w.getsampwidth()),), None
        a = array.array("h", w.readframes(w.getnframes()))
    if abs(len(a) / 16000.0 - dur) > 0.002:
        return "duration %.3f != %.3f" % (len(a) / 16000.0, dur), None
    if max(a) >= 32767 or min(a) <= -32768:
        return "clipped", None
    r = math.sqrt(sum(v * v for v in a) / max(len(a), 1))
    db = 20 * math.log10(max(r, 1e-9) / 32768.0)
    if not -45 <= db <= -8:
        return "rms %.1f dBFS" % db, db
    if not any(a[:800]) or not any(a[-800:]):
        return "digital silence at an edge", db
    return None, db


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="data/corpus")
    ap.add_argument("--sample", type=int, default=0, help="check N random rows per set (0: all)")
    ap.add_argument("--delete-bad", action="store_true")
    a = ap.parse_args()
    failed = 0
    for name in ("train", "dev", "test", "dev-noisy", "test-noisy"):
        p = os.path.join(a.out, name + ".tsv")
        if not os.path.exists(p):
            continue
        rows = [l.rstrip("\n").split("\t") for l in open(p, encoding="utf-8")]
        todo = rows if not a.sample or a.sample >= len(rows) else random.Random(0).sample(rows, a.sample)
        bad, dbs, secs = [], [], 0.0
        for r in rows:
            secs += float(r[2])
        for r in todo:
            uid, rel, dur, voice, aug, text, phon = r
            wp = os.path.join(a.out, rel)
            if not os.path.exists(wp):
                bad.append((uid, "missing"))
                continue
            err, db = check(wp, float(dur))
            if db is not None:
                dbs.append(db)
            if len(text.split()) != len(phon.split(" | ")) or not set(phon.replace("|", " ").split()) <= PHONES:
                err = err or "phonemes"
            if err:
                bad.append((uid, err))
                if a.delete_bad:
                    os.remove(wp)
        dbs.sort()
        print("%-11s %6d rows %7.2f h  checked %6d  bad %4d  rms dBFS p5/p50/p95 %s" % (
            name, len(rows), secs / 3600, len(todo), len(bad),
            "/".join("%.1f" % dbs[int(q * (len(dbs) - 1))] for q in (0.05, 0.5, 0.95)) if dbs else "-"))
        for uid, err in bad[:10]:
            print("   %s: %s" % (uid, err))
        failed += len(bad)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
