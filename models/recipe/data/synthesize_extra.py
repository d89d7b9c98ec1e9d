#!/usr/bin/python3
"""synthesize_extra: an extra training part with more voices (issue 12, "More voices").

  synthesize_extra.py --text data/corpus --out data/corpus-extra [--hours 2] [--jobs 2] [--seed 1]
                      [--gnuspeech data/cache/gnuspeech] [--engines E1,E2,...] [--limit N] [--skip-engines gnuspeech]

Voices (train only; never flite rms/slt or festival slt, which are held out):
  gnuspeech-male / -female / -child   GnuSpeech (articulatory synthesis, npm @echogarden/gnuspeech-wasm,
                                      GPL-3, used as a TOOL through gnuspeech_render.mjs in a separate
                                      Node process; installed under --gnuspeech with its own
                                      `npm install --prefix`, never in the app's package.json).
                                      Per utterance: vocal-tract length, glottal pitch, glottal pulse
                                      shape, breathiness, tempo and intonation ranges.
  espeak-female / espeak-child        espeak-ng female variants with a higher pitch (-p 55..99); the
                                      child-like ones also get their formants scaled up.
  flite-kal16 / flite-awb / festival-kal / festival-ked, each -female or -child
                                      the engine speaks at a raised F0, then sox `speed A tempo 1/A`
                                      scales formants and F0 by A (female 1.08-1.18, child 1.20-1.32)
                                      at unchanged duration: a shorter vocal tract with a higher voice.

Augmentation is synthesize.py's own (its render(): trim, speed/tempo/pitch, reverb, level, noise at
an SNR or a floor, band limits, no clipping), with two changes: the leading silence is drawn from
0 s (none, 20 %) to 0.5 s, so that first words are heard without padding, and the formant-shifted
voices take no extra `speed`/`pitch` (a `speed` draw becomes `tempo`), so formants stay in range.

Sentences: the train split of sentences.tsv only, taken from the END of each source's train order
(the main corpus takes them from the start), interleaved by the sources' train weights.
Ids are 'x' + sentence id ('_rN' on reuse). Every draw is seeded by (seed, id): deterministic and
resumable (existing wavs are kept, the manifest is rebuilt from the plan).

Outputs in OUT: wav/train/ID.wav (16 kHz mono 16-bit), train.tsv in data/corpus/train.tsv's format
(id wav_path duration_s voice augment text phonemes, no header), plan-summary.json.
"""
import argparse
import collections
import json
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import synthesize as S  # noqa: E402  (the main corpus's renderer: augmentation, helpers)

GNUSPEECH_PKG = "@echogarden/gnuspeech-wasm"
GNUSPEECH_VERSION = "0.3.0"
RENDERER = os.path.join(HERE, "gnuspeech_render.mjs")

# engine shares of the extra part (GnuSpeech about half)
ENGINE_WEIGHTS = [
    ("gnuspeech-male", 0.20), ("gnuspeech-female", 0.20), ("gnuspeech-child", 0.10),
    ("espeak-female", 0.10), ("espeak-child", 0.06),
    ("flite-kal16-female", 0.06), ("flite-kal16-child", 0.05),
    ("flite-awb-female", 0.05), ("flite-awb-child", 0.04),
    ("festival-kal-female", 0.04), ("festival-kal-child", 0.03),
    ("festival-ked-female", 0.04), ("festival-ked-child", 0.03),
]
ENGINES = [e for e, _ in ENGINE_WEIGHTS]
HELDOUT = set(S.HELDOUT_VOICES) | {"flite-rms", "flite-slt", "festival-slt"}
assert not any(e.startswith(h) for e in ENGINES for h in HELDOUT), "a held-out voice in the extra part"
ESPEAK_FEMALE = ["f1", "f2", "f3", "f4", "f5", "Alicia", "Andrea", "Annie", "anika", "aunty", "belinda", "linda", "steph", "steph2",
                 "steph3"]  # the female voices of espeak-ng-data/voices/!v (not whisperf, grandma, anikaRobot)
# seconds per phoneme at normal rate (planning estimate; calibrated on a small build here)
SEC_PER_PHONE = {"gnuspeech": 0.085, "espeak": 0.078, "flite-kal16": 0.075, "flite-awb": 0.090,
                 "festival-kal": 0.090, "festival-ked": 0.092}
# GnuSpeech presets to start from, and the ranges drawn around them
GS_PRESET = {"male": "male", "female": "female", "child": "large_child"}
GS_TRACT = {"male": (16.0, 18.5), "female": (13.8, 15.8), "child": (11.0, 13.5)}        # cm
GS_PITCH = {"male": (-15.0, -8.0), "female": (-4.5, 1.5), "child": (2.0, 7.0)}         # semitones


def base_engine(engine):
    """'flite-kal16-child' -> 'flite-kal16'; 'gnuspeech-male' -> 'gnuspeech'."""
    if engine.startswith("gnuspeech"):
        return "gnuspeech"
    return engine.rsplit("-", 1)[0]


def plan_voice(rng, engine):
    kind = engine.rsplit("-", 1)[1]              # male / female / child
    v = {"engine": engine, "kind": kind}
    if engine.startswith("gnuspeech"):
        v["voice"] = {
            "base": GS_PRESET[kind],
            "vocal_tract_length": round(rng.uniform(*GS_TRACT[kind]), 2),
            "reference_glottal_pitch": round(rng.uniform(*GS_PITCH[kind]), 1),
            "glottal_pulse_tp": round(rng.uniform(34, 46), 1),
            "glottal_pulse_tn_min": round(rng.uniform(18, 32), 1),
            "breathiness": round(rng.uniform(0.3, 4.0), 2),
        }
        v["voice"]["glottal_pulse_tn_max"] = round(v["voice"]["glottal_pulse_tn_min"] + rng.uniform(0, 8), 1)
        tempo = round(rng.uniform(0.8, 1.25), 3)
        # random_intonation and intonation_drift read /dev/urandom in GnuSpeech: off, for the same wav
        # from the same plan; the intonation ranges are drawn here instead
        v["control"] = {
            "tempo": tempo, "pitch_offset": round(rng.uniform(-7, -1), 1),
            "notional_pitch": round(rng.uniform(0.0, 4.0), 1),
            "pretonic_range": round(rng.uniform(-4.0, 0.0), 1),
            "pretonic_lift": round(rng.uniform(2.0, 6.0), 1),
            "tonic_range": round(rng.uniform(-11.0, -5.0), 1),
            "tonic_movement": round(rng.uniform(2.0, 7.0), 1),
            "micro_intonation": 1, "macro_intonation": 1, "random_intonation": 0, "intonation_drift": 0,
        }
        v["stretch"] = 1.0 / tempo
        return v
    child = kind == "child"
    # formant (vocal-tract) scale and the voice's final mean F0
    v["alpha"] = round(rng.uniform(1.20, 1.32) if child else rng.uniform(1.08, 1.18), 3)
    f0 = rng.uniform(230, 320) if child else rng.uniform(170, 240)
    if engine.startswith("espeak"):
        v["lang"] = rng.choice(["en-us", "en", "en-gb-x-rp", "en-029", "en-us-nyc", "en-gb-scotland"])
        v["variant"] = rng.choice(ESPEAK_FEMALE)
        v["speed"] = rng.randint(130, 210)
        v["pitch"] = rng.randint(70, 99) if child else rng.randint(55, 90)
        v["stretch"] = 175.0 / v["speed"]
        if not child:                      # female: espeak's own female voices, a mild formant scale
            v["alpha"] = round(rng.uniform(1.0, 1.1), 3)
    elif engine.startswith("flite"):
        v["stretch"] = round(rng.uniform(0.85, 1.3), 3)
        v["f0"] = int(round(f0 / v["alpha"]))
        v["f0sd"] = rng.randint(12, 40)
    else:
        v["stretch"] = round(rng.uniform(0.9, 1.25), 3)
        v["f0"] = int(round(f0 / v["alpha"]))
        v["f0sd"] = rng.randint(12, 40)
    return v


def voice_str(v):
    e = v["engine"]
    if e.startswith("gnuspeech"):
        g, c = v["voice"], v["control"]
        return ("gnuspeech:%s:vtl%.2f:gp%+.1f:tp%.0f:tn%.0f-%.0f:br%.2f:tempo%.2f:po%+.1f:tonic%.1f"
                % (g["base"], g["vocal_tract_length"], g["reference_glottal_pitch"], g["glottal_pulse_tp"],
                   g["glottal_pulse_tn_min"], g["glottal_pulse_tn_max"], g["breathiness"], c["tempo"],
                   c["pitch_offset"], c["tonic_range"]))
    if e.startswith("espeak"):
        return "%s:%s+%s:s%d:p%d:alpha%.3f" % (e, v["lang"], v["variant"], v["speed"], v["pitch"], v["alpha"])
    return "%s:stretch%.2f:f0_%d:sd%d:alpha%.3f" % (e, v["stretch"], v["f0"], v["f0sd"], v["alpha"])


def plan_augment(rng, v):
    a = S.plan_augment(rng)
    a["lead"] = 0.0 if rng.random() < 0.2 else round(rng.uniform(0.0, 0.5), 2)
    if "alpha" in v:                       # already formant-shifted: no further speed/pitch change
        if "speed" in a:
            a["tempo"] = a.pop("speed")
        a.pop("pitch", None)
    return a


def est_seconds(v, a, nphones):
    s = SEC_PER_PHONE[base_engine(v["engine"])] * nphones * v.get("stretch", 1.0)
    s /= a.get("speed", 1.0) * a.get("tempo", 1.0)
    return s + 0.15 + a["lead"] + a["trail"]


def sentence_order(rows, weights):
    """Train sentences from the end of each source's list, interleaved by weight (smooth round robin)."""
    by = collections.OrderedDict()
    for r in rows:
        if r[3] == "train":
            by.setdefault(r[1], []).append(r)
    stacks = {s: list(reversed(v)) for s, v in by.items()}
    w = {s: float(weights.get(s, 0.0)) or 1.0 / len(stacks) for s in stacks}
    credit = {s: 0.0 for s in stacks}
    pos = {s: 0 for s in stacks}
    out = []
    while True:
        live = [s for s in stacks if pos[s] < len(stacks[s])]
        if not live:
            return out
        tot = sum(w[s] for s in live)
        for s in live:
            credit[s] += w[s]
        best = max(live, key=lambda s: credit[s])
        credit[best] -= tot
        out.append(stacks[best][pos[best]])
        pos[best] += 1


def pick_engine(rng, engines, i):
    if engines is not None:                # a fixed list cycles (tests, targeted builds)
        return engines[i % len(engines)]
    r = rng.random()
    acc = 0.0
    for e, w in ENGINE_WEIGHTS:
        acc += w
        if r < acc:
            return e
    return ENGINE_WEIGHTS[-1][0]


def make_plan(rows, lex, hours, seed, weights, engines=None, limit=None):
    order = sentence_order(rows, weights)
    plan, total, rep = [], 0.0, 0
    target = hours * 3600.0
    while order and total < target and (limit is None or len(plan) < limit):
        for sid, src, text, split, tts in order:
            if total >= target or (limit is not None and len(plan) >= limit):
                break
            uid = "x" + sid if rep == 0 else "x%s_r%d" % (sid, rep)
            rng = random.Random("extra:%d:%s" % (seed, uid))
            v = plan_voice(rng, pick_engine(rng, engines, len(plan)))
            a = plan_augment(rng, v)
            total += est_seconds(v, a, len(S.phonemes_of(text, lex).replace(" | ", " ").split()))
            plan.append({"id": uid, "split": "train", "text": text, "tts": tts, "voice": v, "aug": a,
                         "source": src})
        rep += 1
    return plan, total


# ---------------------------------------------------------------- rendering

_GNUSPEECH_DIR = None
_NODE = None


def gnuspeech_module(cache):
    return os.path.join(cache, "node_modules", "@echogarden", "gnuspeech-wasm")


def ensure_gnuspeech(cache):
    """Install the pinned GnuSpeech package under `cache` with its own npm prefix (not the app's)."""
    mod = gnuspeech_module(cache)
    if os.path.exists(os.path.join(mod, "wasm", "gnuspeech.wasm")):
        return mod
    os.makedirs(cache, exist_ok=True)
    print("[extra] npm install --prefix %s %s@%s" % (cache, GNUSPEECH_PKG, GNUSPEECH_VERSION), flush=True)
    S.run(["npm", "install", "--prefix", cache, "--no-audit", "--no-fund", "--no-save", "--loglevel=error",
           "%s@%s" % (GNUSPEECH_PKG, GNUSPEECH_VERSION)])
    if not os.path.exists(os.path.join(mod, "wasm", "gnuspeech.wasm")):
        raise RuntimeError("GnuSpeech did not install under " + cache)
    return mod


def _init_worker(gnuspeech_dir):
    global _GNUSPEECH_DIR
    _GNUSPEECH_DIR = gnuspeech_dir


def gnuspeech(text, voice, control, out):
    """One request to this worker's long-lived Node renderer (started on first use)."""
    global _NODE
    if _NODE is None or _NODE.poll() is not None:
        _NODE = subprocess.Popen(["node", RENDERER, _GNUSPEECH_DIR], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True, bufsize=1)
    _NODE.stdin.write(json.dumps({"text": text, "out": out, "voice": voice, "control": control}) + "\n")
    _NODE.stdin.flush()
    line = _NODE.stdout.readline()
    if not line:
        _NODE = None
        raise RuntimeError("gnuspeech renderer exited")
    r = json.loads(line)
    if not r.get("ok"):
        raise RuntimeError("gnuspeech: " + r.get("error", "?"))


_ORIG_SYNTH = S.synth


def synth(v, tts, out, tmp):
    """synthesize.render() calls S.synth; this one knows the extra voices."""
    e = v["engine"]
    if e not in ENGINES:
        return _ORIG_SYNTH(v, tts, out, tmp)
    raw = os.path.join(tmp, "engine.wav")
    if e.startswith("gnuspeech"):
        gnuspeech(tts, v["voice"], v["control"], raw)
        # GnuSpeech's output carries a DC offset that would defeat render()'s silence trim
        S.run(["sox", "-R", "-G", "-V1", raw, "-b", "16", out, "highpass", "40"])
        return
    be = base_engine(e)
    if be == "espeak":
        S.run(["espeak-ng", "-v", "%s+%s" % (v["lang"], v["variant"]), "-s", str(v["speed"]),
               "-p", str(v["pitch"]), "-w", raw, tts])
    else:
        _ORIG_SYNTH(dict(v, engine=be), tts, raw, tmp)
    # formants and F0 up by alpha, duration kept: speed A, then tempo 1/A
    S.run(["sox", "-R", "-G", "-V1", raw, "-b", "16", out, "speed", "%.4f" % v["alpha"],
           "tempo", "-s", "%.4f" % (1.0 / v["alpha"])])


S.synth = synth


def _render_star(args):
    return S.render(*args)


def augment_str(a):
    return S.augment_str(a)


def write_manifest(plan, lex, out, errors, wall, hours_target):
    rows, stats = [], {"engines": collections.Counter(), "seconds_by_engine": collections.Counter(),
                       "sources": collections.Counter(), "lead0": 0, "missing": 0, "seconds": 0.0}
    for u in plan:
        rel = os.path.join("wav", "train", u["id"] + ".wav")
        p = os.path.join(out, rel)
        if not os.path.exists(p):
            stats["missing"] += 1
            continue
        d = S.wav_duration(p)
        rows.append((u["id"], rel, "%.3f" % d, voice_str(u["voice"]), augment_str(u["aug"]), u["text"],
                     S.phonemes_of(u["text"], lex)))
        stats["engines"][u["voice"]["engine"]] += 1
        stats["seconds_by_engine"][u["voice"]["engine"]] += d
        stats["sources"][u["source"]] += 1
        stats["seconds"] += d
        stats["lead0"] += u["aug"]["lead"] == 0.0
    with open(os.path.join(out, "train.tsv.part"), "w") as f:
        for r in rows:
            f.write("\t".join(r) + "\n")
    os.replace(os.path.join(out, "train.tsv.part"), os.path.join(out, "train.tsv"))
    summary = {
        "hours_target": hours_target, "hours": round(stats["seconds"] / 3600, 3), "utterances": len(rows),
        "missing": stats["missing"], "engines": dict(stats["engines"]),
        "hours_by_engine": {k: round(s / 3600, 3) for k, s in stats["seconds_by_engine"].items()},
        "sources": dict(stats["sources"]), "lead_none": stats["lead0"],
        "gnuspeech": "%s@%s (GPL-3, a tool; the audio is data)" % (GNUSPEECH_PKG, GNUSPEECH_VERSION),
        "errors": errors[:50], "n_errors": len(errors), "last_run_wall_s": round(wall, 1),
    }
    with open(os.path.join(out, "plan-summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("[extra] train.tsv: %d utterances, %.2f h (%d missing, %d errors)"
          % (len(rows), stats["seconds"] / 3600, stats["missing"], len(errors)), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--text", default="data/corpus", help="folder with sentences.tsv, lexicon.tsv, sources.json")
    ap.add_argument("--out", default="data/corpus-extra")
    ap.add_argument("--hours", type=float, default=2.0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gnuspeech", default="data/cache/gnuspeech", help="npm prefix for GnuSpeech (installed if missing)")
    ap.add_argument("--engines", default=None, help="comma list of engines to cycle through (default: weighted draw)")
    ap.add_argument("--limit", type=int, default=None, help="at most this many utterances")
    ap.add_argument("--skip-engines", default="",
                    help="comma list of engine-name prefixes to leave unrendered: the same plan (ids, voices, draws), "
                         "without their rows (e.g. gnuspeech: the part the bundled model trains on, in half the time)")
    a = ap.parse_args()
    skip = tuple(e for e in a.skip_engines.split(",") if e)
    engines = a.engines.split(",") if a.engines else None
    for e in engines or []:
        if e not in ENGINES:
            ap.error("unknown engine %s (one of %s)" % (e, ", ".join(ENGINES)))
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(a.text, "sentences.tsv"), encoding="utf-8")]
    lex = dict(l.rstrip("\n").split("\t") for l in open(os.path.join(a.text, "lexicon.tsv"), encoding="utf-8"))
    sj = os.path.join(a.text, "sources.json")
    weights = json.load(open(sj)).get("train_weights", {}) if os.path.exists(sj) else {}
    plan, est = make_plan(rows, lex, a.hours, a.seed, weights, engines, a.limit)
    if skip:
        kept = [u for u in plan if not u["voice"]["engine"].startswith(skip)]
        print("[extra] --skip-engines %s: %d of %d planned utterances left out" % (",".join(skip), len(plan) - len(kept),
                                                                               len(plan)), flush=True)
        plan = kept
    needs_gs = any(u["voice"]["engine"].startswith("gnuspeech") for u in plan)
    gs_dir = os.path.abspath(ensure_gnuspeech(a.gnuspeech)) if needs_gs else None
    os.makedirs(os.path.join(a.out, "wav", "train"), exist_ok=True)
    todo = [u for u in plan if not os.path.exists(os.path.join(a.out, "wav", "train", u["id"] + ".wav"))]
    print("[extra] plan: %d utterances (~%.2f h estimated); %d already rendered, %d to do; %d jobs"
          % (len(plan), est / 3600, len(plan) - len(todo), len(todo), a.jobs), flush=True)
    est_todo = sum(est_seconds(u["voice"], u["aug"], len(S.phonemes_of(u["text"], lex).replace(" | ", " ").split()))
                   for u in todo)
    t0 = time.time()
    errors = S.render_pool(todo, a.out, a.jobs, _init_worker, (gs_dir,), _render_star, est_todo, "extra", 2) if todo else []
    write_manifest(plan, lex, a.out, errors, time.time() - t0, a.hours)


if __name__ == "__main__":
    main()
