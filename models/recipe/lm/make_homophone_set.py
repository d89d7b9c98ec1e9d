#!/usr/bin/python3
"""make_homophone_set: a homophone benchmark, held-out text spoken by the held-out voices.

    /usr/bin/python3 models/recipe/lm/make_homophone_set.py [--n 300] [--out data/homophones] [--no-audio]

Homophones come from the lexicon, not from a hand list: two words are homophones when their first
(main) CMUdict pronunciations are identical, stress digits stripped, which is when the lexicon beam
decoder must let the LM choose the spelling. A TARGET is a sentence word with such a partner inside the
LM vocabulary (there/their/they're, to/too/two, write/right, know/no, hear/here, its/it's, by/buy,
new/knew, …). Sharing only a secondary variant (the DH IY of "the" = "thee", the AA R of "our" = "are")
does not count, except inside the classic sets of the issue, where any shared pronunciation does
(your Y AO R / Y UH R = you're). then/than share none in CMUdict and do not count.

Sentences come from text that neither model trained on:
  * the LM test set (data/lm/heldout-ids.tsv: corpus train-split rows that prepare_lm_text.py held out),
  * minus every row the acoustic corpus plans to speak: synthesize.py renders the train rows in order,
    so rows up to ACOUSTIC_MARGIN × the planned count (plan-summary.json, train.tsv) are excluded.
Selection: first up to PER_WORD sentences for each member of the classic sets, then the sentences
with the most targets, 4-16 words, deterministic (seeded).

Writes, in OUT:
  sentences.tsv       id, text, targets   targets = space-separated `position:word=alt1|alt2` (0-based word
                                          positions; alternatives are the in-vocabulary homophones)
  homophone-sets.tsv  pronunciation<TAB>words (in-vocabulary sets with 2+ spellings)
  wav/ID.wav          16 kHz mono 16-bit, voices festival-slt-hts / flite-slt / flite-rms in turn
  set.tsv             WAV<TAB>TEXT (WAV relative to OUT): `earshot eval data/homophones/set.tsv`
  summary.json        counts, voices, exclusions
"""
import argparse
import collections
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "data"))
import synthesize  # noqa: E402  (the held-out voices, rendered exactly as for the dev/test sets)

CMUDICT = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"
VOICES = ["festival-slt-hts", "flite-slt", "flite-rms"]
CLASSIC = [["there", "their", "they're"], ["to", "too", "two"], ["write", "right"], ["know", "no"],
           ["hear", "here"], ["its", "it's"], ["your", "you're"], ["then", "than"]]
PER_WORD = 14
ACOUSTIC_MARGIN = 2.0
MIN_WORDS, MAX_WORDS = 4, 16
SR = 16000


def pronunciations(path: str) -> dict:
    """word -> its pronunciations in CMUdict order ('DH EH R'; the first is the main one), lower case, stress stripped."""
    pron = collections.defaultdict(list)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = re.sub(r"\(\d+\)$", "", parts[0]).lower()
            p = " ".join(re.sub(r"\d", "", x) for x in parts[1:])
            if p not in pron[word]:
                pron[word].append(p)
    return pron


def homophone_sets(pron: dict, vocab: set) -> dict:
    """main pronunciation -> sorted in-vocabulary words whose main pronunciation it is (2 or more)."""
    by_pron = collections.defaultdict(set)
    for w, ps in pron.items():
        if w in vocab:
            by_pron[ps[0]].add(w)
    return {p: sorted(ws) for p, ws in by_pron.items() if len(ws) >= 2}


def read_tsv(path: str) -> list:
    with open(path, encoding="utf-8") as f:
        return [l.rstrip("\n").split("\t") for l in f if l.strip()]


def acoustic_rows_bound(corpus: str) -> int:
    """Train rows with an index below this may be (or become) acoustic training speech."""
    planned = 0
    summary = os.path.join(corpus, "plan-summary.json")
    if os.path.exists(summary):
        s = json.load(open(summary))
        planned = s.get("utterances", {}).get("train", 0) + s.get("missing", {}).get("train", 0)
    manifest = os.path.join(corpus, "train.tsv")
    if os.path.exists(manifest):
        for row in read_tsv(manifest):
            m = re.match(r"s(\d+)", row[0])
            if m:
                planned = max(planned, int(m.group(1)) + 1)
    if planned == 0:
        sys.exit(f"no acoustic plan in {corpus} (plan-summary.json / train.tsv): cannot tell which sentences are spoken for training")
    return int(planned * ACOUSTIC_MARGIN)


def render(engine: str, tts: str, out: str) -> float:
    """One sentence by a held-out voice -> 16 kHz mono 16-bit WAV with 0.3 s of silence each side; seconds."""
    tmp = tempfile.mkdtemp(prefix="homophone-")
    try:
        raw = os.path.join(tmp, "raw.wav")
        synthesize.synth({"engine": engine}, tts, raw, tmp)
        part = out + ".part.wav"
        subprocess.run(["sox", "-R", "-G", "-V1", raw, "-r", str(SR), "-c", "1", "-b", "16", part,
                        "silence", "1", "0.01", "0.05%", "reverse", "silence", "1", "0.01", "0.05%", "reverse",
                        "rate", "-h", str(SR), "pad", "0.3", "0.3"], check=True)
        os.replace(part, out)
        with wave.open(out) as w:
            return w.getnframes() / w.getframerate()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(REPO, "data/corpus"))
    ap.add_argument("--lm-text", default=os.path.join(REPO, "data/lm"))
    ap.add_argument("--out", default=os.path.join(REPO, "data/homophones"))
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=97)
    ap.add_argument("--no-audio", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    vocab = set(l.strip() for l in open(os.path.join(a.lm_text, "vocab.txt"), encoding="utf-8")) - {"<unk>", "<eos>"}
    pron = pronunciations(CMUDICT)
    sets = homophone_sets(pron, vocab)
    partners = collections.defaultdict(set)
    for ws in sets.values():
        for w in ws:
            partners[w].update(x for x in ws if x != w)
    for group in CLASSIC:
        for w in group:
            for x in group:
                if x != w and w in vocab and x in vocab and set(pron[w]) & set(pron[x]):
                    partners[w].add(x)

    corpus_rows = {r[0]: r for r in read_tsv(os.path.join(a.corpus, "sentences.tsv"))}
    heldout = [r[0] for r in read_tsv(os.path.join(a.lm_text, "heldout-ids.tsv"))]
    lm_train = set(l.strip() for l in open(os.path.join(a.lm_text, "train.txt"), encoding="utf-8"))
    bound = acoustic_rows_bound(a.corpus)
    pool, excluded = [], collections.Counter()
    for sid in heldout:
        sid_, _src, text, split, tts = corpus_rows[sid][:5]
        n = len(text.split())
        if split != "train" or text in lm_train:
            excluded["in LM training (should not happen)"] += 1
        elif int(sid[1:]) < bound:
            excluded[f"train row below {bound} (acoustic plan × {ACOUSTIC_MARGIN})"] += 1
        elif not (MIN_WORDS <= n <= MAX_WORDS):
            excluded["length"] += 1
        elif not any(w in partners for w in text.split()):
            excluded["no homophone"] += 1
        else:
            pool.append((sid, text, tts))
    rng = random.Random(a.seed)
    rng.shuffle(pool)

    chosen, used = [], set()
    for group in CLASSIC:
        for word in group:
            if word not in partners:
                continue
            for sid, text, tts in [p for p in pool if word in p[1].split() and p[0] not in used][:PER_WORD]:
                chosen.append((sid, text, tts))
                used.add(sid)
    rest = sorted((p for p in pool if p[0] not in used), key=lambda p: -sum(w in partners for w in p[1].split()))
    for p in rest:
        if len(chosen) >= a.n:
            break
        chosen.append(p)
        used.add(p[0])
    chosen.sort(key=lambda p: p[0])

    n_targets = collections.Counter()
    with open(os.path.join(a.out, "sentences.tsv"), "w", encoding="utf-8") as f:
        for sid, text, _tts in chosen:
            targets = []
            for i, w in enumerate(text.split()):
                if w in partners:
                    targets.append(f"{i}:{w}=" + "|".join(sorted(partners[w])))
                    n_targets[w] += 1
            f.write(f"h{sid}\t{text}\t{' '.join(targets)}\n")
    with open(os.path.join(a.out, "homophone-sets.tsv"), "w", encoding="utf-8") as f:
        for p, ws in sorted(sets.items(), key=lambda kv: kv[1]):
            f.write(f"{p}\t{' '.join(ws)}\n")

    seconds = collections.Counter()
    if not a.no_audio:
        os.makedirs(os.path.join(a.out, "wav"), exist_ok=True)
        with open(os.path.join(a.out, "set.tsv"), "w", encoding="utf-8") as f:
            for i, (sid, text, tts) in enumerate(chosen):
                voice = VOICES[i % len(VOICES)]
                rel = os.path.join("wav", f"h{sid}.wav")
                out = os.path.join(a.out, rel)
                if not os.path.exists(out):
                    seconds[voice] += render(voice, tts, out)
                f.write(f"{rel}\t{text}\n")
                if (i + 1) % 50 == 0:
                    print(f"[homophones] rendered {i + 1}/{len(chosen)}", flush=True)

    classic_counts = {"/".join(g): {w: n_targets[w] for w in g} for g in CLASSIC}
    summary = {
        "sentences": len(chosen),
        "targets": sum(n_targets.values()),
        "distinctTargetWords": len(n_targets),
        "classic": classic_counts,
        "notHomophonesInLexicon": [w for g in CLASSIC for w in g if w not in partners],
        "pool": len(pool),
        "excluded": dict(excluded),
        "voices": VOICES,
        "audioSeconds": {k: round(v, 1) for k, v in seconds.items()},
        "source": "data/lm/heldout-ids.tsv (LM test set) minus the acoustic plan; corpus tts_text spoken",
        "seed": a.seed,
    }
    json.dump(summary, open(os.path.join(a.out, "summary.json"), "w"), indent=1)
    print(f"[homophones] {len(chosen)} sentences, {summary['targets']} homophone targets "
          f"({len(n_targets)} distinct words) from a pool of {len(pool)}; excluded {dict(excluded)}", flush=True)


if __name__ == "__main__":
    main()
