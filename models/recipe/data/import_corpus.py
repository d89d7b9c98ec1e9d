#!/usr/bin/python3
"""import_corpus: your own recordings -> the recipe's corpus manifest (standard library + sox).

    /usr/bin/python3 models/recipe/data/import_corpus.py --layout manifest|librispeech|commonvoice PATH --out DIR
        [--lexicon FILE] [--oov=skip|fail] [--split train.tsv] [--dev-fraction 0.05] [--limit N] [--jobs 2]

Layouts (PATH):
  manifest     a tsv of `WAV<TAB>TEXT` rows, WAV relative to the tsv (blank lines and `#` lines skipped)
  librispeech  a folder holding SPEAKER/CHAPTER/SPEAKER-CHAPTER.trans.txt (`UTTID TEXT` lines) next to
               UTTID.flac (or .wav), at any depth (LibriSpeech/, train-clean-100/, ...)
  commonvoice  a Common Voice folder (its train.tsv, else validated.tsv; --split picks another) or the
               tsv itself: a header with `path` and `sentence` (and `client_id`), audio in clips/
Audio in any format Debian's sox reads with libsox-fmt-all (wav, flac, mp3, ogg, ...) is converted to
16 kHz mono 16-bit wav (sox -G: no clipping on the way).

Text: ASCII-folded, lower case, hyphens split, punctuation dropped except word-internal apostrophes.
Phonemes: your --lexicon first (CMUdict lines: `WORD PH1 PH2 ...`, stress digits allowed, `WORD(2)`
variants ignored), then CMUdict's first pronunciation; stress digits stripped, phones joined by spaces,
words by ` | ` (as prepare_text.py writes them). A clip with a word in neither is left out and counted
(--oov=skip, the default) or stops the import (--oov=fail); either way the words are reported.

Writes, in OUT:
  train.tsv, dev.tsv    `id wav_path duration_s voice augment text phonemes` (no header, wav paths
                        relative to OUT), the format of data/corpus/train.tsv; dev holds out
                        --dev-fraction of the clips (by a hash of the id); with fewer than 20 clips
                        dev is a copy of train (nothing to hold out), and the summary says so
  dev-eval.tsv          the dev clips as `WAV<TAB>TEXT` for `earshot eval` / eval_all
  oov.tsv               word, occurrences, clips affected (most clips first)
  oov-clips.tsv         id, source audio, the out-of-lexicon words, the text: every clip left out
  user-lexicon.txt      your --lexicon as the model package's lexicon.txt lines (`word PH PH`), to add to it
  summary.json          clip counts (read, kept, left out, failed), hours, speakers, the lexicon used
  wav/ID.wav
"""
import argparse
import collections
import concurrent.futures
import csv
import hashlib
import json
import os
import re
import subprocess
import sys
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prepare_text import CMUDICT, PHONES, load_cmudict, to_ascii  # noqa: E402

LAYOUTS = ("manifest", "librispeech", "commonvoice")
MIN_HOLDOUT = 20


def read_lexicon(path):
    """CMUdict-style lines -> {word: [phones]} (the first entry of a word wins); bad lines stop the import."""
    lex = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.split()
            if not parts or line.startswith((";;;", "#")):
                continue
            word = parts[0].lower()
            if re.search(r"\(\d+\)$", word):
                continue
            phones = [re.sub(r"\d", "", p).upper() for p in parts[1:]]
            bad = [p for p in phones if p not in PHONES]
            if not phones or bad:
                sys.exit(f"{path}:{n}: '{line.strip()}': {'unknown phonemes ' + ' '.join(bad) if bad else 'no phonemes'}"
                         f" (ARPAbet: {' '.join(sorted(PHONES))})")
            lex.setdefault(word, phones)
    return lex


def words_of(text, lex):
    """The transcript's words, as the lexicon spells them (lower case; an apostrophe at a word's edge is
    kept only where the lexicon has the word so: 'tis, o')."""
    s = to_ascii(text).lower()
    s = re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])", " ", s)
    toks = (t if t in lex else t.strip("'") for t in re.findall(r"[a-z0-9']+", s))
    return [t for t in toks if t]


def clip_id(s):
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", s).strip("_")[:80] or "clip"


# ---------------------------------------------------------------- layouts -> (id, audio, text, speaker)

def rows_manifest(path):
    base = os.path.dirname(os.path.abspath(path))
    seen = collections.Counter()
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#"):
                continue
            if "\t" not in line:
                sys.exit(f"{path}:{n}: expected WAV<TAB>TEXT")
            wav, text = line.split("\t", 1)
            stem = clip_id(os.path.splitext(wav)[0].replace(os.sep, "_"))
            seen[stem] += 1
            uid = stem if seen[stem] == 1 else f"{stem}_{seen[stem]}"
            yield uid, os.path.join(base, wav), text, "own"


def rows_librispeech(path):
    trans = []
    for d, _dirs, files in os.walk(path):
        trans += [os.path.join(d, f) for f in files if f.endswith(".trans.txt")]
    if not trans:
        sys.exit(f"{path}: no *.trans.txt below it (LibriSpeech layout: SPEAKER/CHAPTER/SPEAKER-CHAPTER.trans.txt)")
    for t in sorted(trans):
        d = os.path.dirname(t)
        with open(t, encoding="utf-8") as f:
            for line in f:
                uid, _, text = line.strip().partition(" ")
                if not uid:
                    continue
                audio = next((os.path.join(d, uid + e) for e in (".flac", ".wav") if os.path.exists(os.path.join(d, uid + e))),
                             os.path.join(d, uid + ".flac"))
                yield clip_id(uid), audio, text, "librispeech:" + uid.split("-")[0]


def rows_commonvoice(path, split):
    tsv = path
    if os.path.isdir(path):
        names = [split] if split else ["train.tsv", "validated.tsv"]
        tsv = next((os.path.join(path, n) for n in names if os.path.exists(os.path.join(path, n))), None)
        if tsv is None:
            sys.exit(f"{path}: none of {', '.join(names)} (Common Voice layout: train.tsv or validated.tsv, clips/)")
    base = os.path.dirname(os.path.abspath(tsv))
    with open(tsv, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        if not reader.fieldnames or "path" not in reader.fieldnames or "sentence" not in reader.fieldnames:
            sys.exit(f"{tsv}: the header needs `path` and `sentence` columns (has: {', '.join(reader.fieldnames or [])})")
        for r in reader:
            if not r.get("path"):
                continue
            speaker = (r.get("client_id") or "")[:16] or "unknown"
            yield clip_id(os.path.splitext(r["path"])[0]), os.path.join(base, "clips", r["path"]), r.get("sentence") or "", "commonvoice:" + speaker


# ---------------------------------------------------------------- main

def convert(src, dst):
    """-> duration in seconds; sox to 16 kHz mono 16-bit (kept when already there: an import resumes)."""
    if not os.path.exists(dst):
        tmp = dst + ".part.wav"
        p = subprocess.run(["sox", "-G", "-q", src, "-c", "1", "-b", "16", "-e", "signed-integer", tmp, "rate", "16000"],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError((p.stderr.strip() or f"sox exited with {p.returncode}").splitlines()[-1])
        os.replace(tmp, dst)
    with wave.open(dst) as w:
        return w.getnframes() / float(w.getframerate())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("path")
    ap.add_argument("--layout", required=True, choices=LAYOUTS)
    ap.add_argument("--out", required=True)
    ap.add_argument("--lexicon", help="extra pronunciations, CMUdict lines (they win over CMUdict)")
    ap.add_argument("--oov", choices=("skip", "fail"), default="skip")
    ap.add_argument("--cmudict", default=CMUDICT)
    ap.add_argument("--split", help="commonvoice: the tsv in the folder (default train.tsv, else validated.tsv)")
    ap.add_argument("--dev-fraction", type=float, default=0.05)
    ap.add_argument("--limit", type=int, default=0, help="the first N clips only")
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    if not os.path.exists(a.path):
        sys.exit(f"{a.path}: not found")

    lex = dict(load_cmudict(a.cmudict))
    user = read_lexicon(a.lexicon) if a.lexicon else {}
    lex.update(user)
    rows = {"manifest": lambda: rows_manifest(a.path), "librispeech": lambda: rows_librispeech(a.path),
            "commonvoice": lambda: rows_commonvoice(a.path, a.split)}[a.layout]()
    rows = list(rows)[: a.limit or None]

    # out-of-lexicon words: reported, and the clip is left out (or the import stops)
    oov_count, oov_clips, left_out, todo = collections.Counter(), collections.Counter(), [], []
    for uid, audio, text, speaker in rows:
        words = words_of(text, lex)
        missing = [w for w in words if w not in lex]
        if missing or not words:
            oov_count.update(missing)
            oov_clips.update(set(missing))
            left_out.append((uid, audio, " ".join(missing) if missing else "(no words)", text))
            continue
        todo.append((uid, audio, words, speaker))
    os.makedirs(os.path.join(a.out, "wav"), exist_ok=True)
    with open(os.path.join(a.out, "user-lexicon.txt"), "w") as f:
        f.writelines(f"{w} {' '.join(p)}\n" for w, p in user.items())
    with open(os.path.join(a.out, "oov.tsv"), "w") as f:
        f.write("word\toccurrences\tclips\n")
        for w, c in sorted(oov_clips.items(), key=lambda kv: (-kv[1], -oov_count[kv[0]], kv[0])):
            f.write(f"{w}\t{oov_count[w]}\t{c}\n")
    with open(os.path.join(a.out, "oov-clips.tsv"), "w") as f:
        f.write("id\taudio\tnot_in_lexicon\ttext\n")
        for r in left_out:
            f.write("\t".join(x.replace("\t", " ") for x in r) + "\n")
    if left_out:
        top = ", ".join(f"{w} ({oov_count[w]}× in {c} clips)" for w, c in oov_clips.most_common(15))
        print(f"[import] {len(left_out)} of {len(rows)} clips have words in neither CMUdict nor your lexicon"
              f" ({len(oov_count)} distinct): {top or 'clips with no words'}{' ...' if len(oov_clips) > 15 else ''}", flush=True)
        print(f"[import] the list: {os.path.join(a.out, 'oov.tsv')} (word, occurrences, clips), {os.path.join(a.out, 'oov-clips.tsv')};"
              f" add the words to a lexicon (--lexicon FILE, lines like `WORD  W ER D`)", flush=True)
        if a.oov == "fail":
            print("[import] --oov=fail: stopping", file=sys.stderr)
            sys.exit(3)
        print(f"[import] those {len(left_out)} clips are left out (--oov=fail stops instead)", flush=True)

    # audio -> 16 kHz mono 16-bit, in parallel (sox processes)
    kept, failed = [], []

    def one(r):
        uid, audio, words, speaker = r
        return r, convert(audio, os.path.join(a.out, "wav", uid + ".wav"))

    with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as ex:
        futures = [ex.submit(one, r) for r in todo]
        for i, fu in enumerate(futures, 1):
            try:
                r, secs = fu.result()
                kept.append((r, secs))
            except (RuntimeError, OSError, wave.Error, EOFError) as e:
                failed.append((todo[i - 1][0], todo[i - 1][1], str(e)))
                print(f"[import] {todo[i - 1][1]}: {e}", file=sys.stderr, flush=True)
            if i % 500 == 0:
                print(f"[import] {i}/{len(todo)} clips converted", flush=True)
    if not kept:
        sys.exit(f"[import] no clip could be used ({len(rows)} read, {len(left_out)} out of lexicon, {len(failed)} failed)")

    def line(r, secs):
        uid, _audio, words, speaker = r
        phon = " | ".join(" ".join(lex[w]) for w in words)
        return f"{uid}\twav/{uid}.wav\t{secs:.3f}\t{speaker}\tnone\t{' '.join(words)}\t{phon}\n"

    def held(uid):
        return int(hashlib.sha1(uid.encode()).hexdigest()[:8], 16) / 2**32 < a.dev_fraction

    if len(kept) < MIN_HOLDOUT:
        train, dev, dev_note = kept, kept, f"a copy of train: {len(kept)} clips are too few to hold any out"
    else:
        dev_ids = {k[0][0] for k in kept if held(k[0][0])} or {kept[-1][0][0]}
        dev = [k for k in kept if k[0][0] in dev_ids]
        train = [k for k in kept if k[0][0] not in dev_ids]
        dev_note = f"{len(dev)} clips held out ({a.dev_fraction:.0%} by a hash of the id)"
    for name, part in (("train.tsv", train), ("dev.tsv", dev)):
        with open(os.path.join(a.out, name), "w") as f:
            f.writelines(line(r, s) for r, s in part)
    with open(os.path.join(a.out, "dev-eval.tsv"), "w") as f:
        f.writelines(f"wav/{r[0]}.wav\t{' '.join(r[2])}\n" for r, _s in dev)
    hours = sum(s for _r, s in kept) / 3600
    summary = {
        "layout": a.layout, "source": os.path.abspath(a.path), "clipsRead": len(rows), "clipsKept": len(kept),
        "clipsLeftOutOov": len(left_out), "clipsFailed": len(failed), "failed": [{"id": u, "audio": p, "error": e} for u, p, e in failed],
        "oovWords": len(oov_count), "hours": round(hours, 4), "speakers": len({r[3] for r, _s in kept}),
        "train": len(train), "dev": len(dev), "devNote": dev_note,
        "lexicon": {"cmudict": a.cmudict, "user": os.path.abspath(a.lexicon) if a.lexicon else None, "userWords": len(user)},
    }
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(f"[import] {a.layout}: {len(rows)} clips read, {len(kept)} kept ({hours * 60:.1f} min, {summary['speakers']} speakers),"
          f" {len(left_out)} left out for out-of-lexicon words, {len(failed)} failed; train {len(train)}, dev {dev_note} -> {a.out}",
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
