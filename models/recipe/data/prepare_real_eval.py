#!/usr/bin/python3
"""prepare_real_eval: real human speech from Debian packages -> 16 kHz mono 16-bit WAVs.

FOR EVALUATION ONLY: never train on these.

Writes OUT/wav/<set>/<name>.wav and OUT/<set>.tsv (WAV<TAB>TEXT, WAV relative to OUT,
text lowercase, words only), plus OUT/all.tsv and OUT/summary.json.
Sets: pocketsphinx (pocketsphinx-testdata), ktuberling (ktuberling-data),
klettres (klettres-data, en + en_GB), tuxpaint (tuxpaint-stamps-default),
alsa (alsa-utils).

Usage: prepare_real_eval.py --out DIR
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys
import wave

CMUDICT = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
PS = "/usr/share/pocketsphinx/test/data"

# ktuberling file names whose words are not spelled as spoken (or run together)
KTUBERLING_FIX = {"fallingstar": "falling star", "palmtree": "palm tree", "sphynx": "sphinx",
                  "broccolli": "broccoli", "moonwalker": "moon walker", "ufo": "ufo"}
TUXPAINT_FIX = {"mountaingoat": "mountain goat"}
TIDIGIT = {"1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven",
           "8": "eight", "9": "nine", "z": "zero", "o": "oh"}


def norm(text):
    t = text.lower().replace("\u2019", "'")
    t = re.sub(r"[^a-z' ]+", " ", t)
    return " ".join(w.strip("'") for w in t.split() if w.strip("'"))


def convert(src, dst, raw=False):
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    cmd = ["sox", "-V1"]
    if raw:
        cmd += ["-t", "raw", "-r", "16000", "-e", "signed-integer", "-b", "16", "-c", "1"]
    cmd += [src, "-r", "16000", "-c", "1", "-b", "16", dst]
    if not raw:
        cmd += ["rate", "-h", "16000"]
    subprocess.run(cmd, check=True)


def items_pocketsphinx():
    for line in open(os.path.join(PS, "cards/cards.transcription")):
        m = re.match(r"\s*(.*?)\s*\((\w+)\)\s*$", line.replace("<s>", "").replace("</s>", ""))
        if m:
            yield "cards-" + m.group(2), os.path.join(PS, "cards", m.group(2) + ".wav"), m.group(1), False
    for line in open(os.path.join(PS, "librivox/transcription")):
        m = re.match(r"\s*(.*?)\s*\(([\w-]+)\)\s*$", line.replace("<s>", "").replace("</s>", ""))
        if m:
            yield "librivox-" + m.group(2)[-4:], os.path.join(PS, "librivox", m.group(2) + ".wav"), m.group(1), False
    yield "goforward", os.path.join(PS, "goforward.raw"), "go forward ten meters", True
    for p in sorted(glob.glob(os.path.join(PS, "tidigits/*.raw"))):
        digits = os.path.basename(p).split(".")[1]
        yield "tidigits-" + digits, p, " ".join(TIDIGIT[c] for c in digits), True
    # numbers.raw and something.raw ship without a transcript: left out


def items_ktuberling():
    for p in sorted(glob.glob("/usr/share/ktuberling/sounds/en/*.ogg")):
        name = os.path.basename(p)[:-4]
        word = name.split("_", 1)[1] if "_" in name else name   # moon_, egypt_, pizzeria_, tv_
        yield name, p, KTUBERLING_FIX.get(word, word), False


def items_klettres():
    for lang in ("en", "en_GB"):
        for kind in ("alpha", "syllab"):
            for p in sorted(glob.glob("/usr/share/klettres/%s/%s/*.ogg" % (lang, kind))):
                word = os.path.basename(p)[:-4].lower()
                if kind == "syllab" and word in ("ch", "th"):     # bare sounds, not words
                    continue
                yield "%s-%s-%s" % (lang, kind, word), p, word, False


def items_tuxpaint():
    for p in sorted(glob.glob("/usr/share/tuxpaint/stamps/**/*_desc.ogg", recursive=True)):
        txt = p[:-len("_desc.ogg")] + ".txt"
        if not os.path.exists(txt):
            continue
        with open(txt, encoding="utf-8", errors="replace") as f:
            first = f.readline().strip()
        text = " ".join(TUXPAINT_FIX.get(w, w) for w in norm(first).split())
        yield os.path.basename(p)[:-len("_desc.ogg")], p, text, False


def items_alsa():
    for p in sorted(glob.glob("/usr/share/sounds/alsa/*.wav")):
        name = os.path.basename(p)[:-4]
        if name.lower() == "noise":
            continue
        yield name, p, name.replace("_", " "), False


SETS = [("pocketsphinx", "pocketsphinx-testdata", items_pocketsphinx),
        ("ktuberling", "ktuberling-data", items_ktuberling),
        ("klettres", "klettres-data", items_klettres),
        ("tuxpaint", "tuxpaint-stamps-default", items_tuxpaint),
        ("alsa", "alsa-utils", items_alsa)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    lex = set()
    with open(CMUDICT, encoding="utf-8", errors="replace") as f:
        for line in f:
            lex.add(line.split(" ", 1)[0].split("(")[0].lower())
    os.makedirs(a.out, exist_ok=True)
    all_rows, summary = [], {}
    for name, pkg, fn in SETS:
        rows, secs, oov = [], 0.0, set()
        for uid, src, text, raw in fn():
            text = norm(text)
            if not text or not os.path.exists(src):
                continue
            rel = os.path.join("wav", name, uid + ".wav")
            dst = os.path.join(a.out, rel)
            if not os.path.exists(dst):
                convert(src, dst + ".part.wav", raw)
                os.replace(dst + ".part.wav", dst)
            with wave.open(dst) as w:
                secs += w.getnframes() / float(w.getframerate())
            oov.update(w for w in text.split() if w not in lex)
            rows.append((rel, text))
        with open(os.path.join(a.out, name + ".tsv"), "w") as f:
            for r in rows:
                f.write("%s\t%s\n" % r)
        all_rows += rows
        summary[name] = {"package": pkg, "clips": len(rows), "seconds": round(secs, 1),
                         "words": sum(len(t.split()) for _, t in rows), "not_in_cmudict": sorted(oov)}
        print("[real-eval] %-13s %3d clips  %6.1f s  oov: %s" % (name, len(rows), secs, " ".join(sorted(oov)) or "-"))
    with open(os.path.join(a.out, "all.tsv"), "w") as f:
        for r in all_rows:
            f.write("%s\t%s\n" % r)
    summary["all"] = {"clips": len(all_rows), "seconds": round(sum(s["seconds"] for s in summary.values()), 1)}
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("[real-eval] all: %d clips, %.1f s -> %s" % (len(all_rows), summary["all"]["seconds"], a.out))


if __name__ == "__main__":
    main()
