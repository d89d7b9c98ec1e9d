#!/usr/bin/python3
"""synthesize: render the sentences of prepare_text.py to 16 kHz mono 16-bit WAVs.

Train sentences are spoken by the TRAINING voices only (espeak-ng, flite kal16/awb,
festival kal_diphone/ked_diphone) and augmented with sox; dev/test sentences are
spoken only by the HELD-OUT speakers (festival SLT HTS, flite slt, flite rms).

Every choice (voice, speed, pitch, augmentation) is drawn from a random generator
seeded by (seed, utterance id), so the plan is reproducible and resume-safe:
an existing wav is skipped, and the manifests are rebuilt from the plan.

Outputs in OUT:
  wav/{train,dev,test,dev-noisy,test-noisy}/ID.wav
  {train,dev,test,dev-noisy,test-noisy}.tsv
      id  wav_path  duration_s  voice  augment  text  phonemes     (no header)
      wav_path is relative to OUT; phonemes: CMUdict first variant, stress stripped,
      phones of a word joined by spaces, words joined by ' | '.
  {dev,test}-heldout.tsv, {dev,test}-heldout-noisy.tsv   eval format WAV<TAB>TEXT
      (WAV relative to OUT, i.e. to the tsv's own folder)
  plan-summary.json   counts per engine/voice and augmentation, hours

Usage: synthesize.py --text DIR --out DIR [--hours 10] [--jobs 2] [--seed 1]
"""
import argparse
import array
import collections
import json
import math
import multiprocessing as mp
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import wave

SR = 16000
ESPEAK_DATA = "/usr/lib/x86_64-linux-gnu/espeak-ng-data"
ESPEAK_LANGS = ["en-us", "en", "en-gb-x-rp", "en-029", "en-gb-scotland", "en-us-nyc",
                "en-gb-x-gbclan", "en-gb-x-gbcwmd"]
ESPEAK_MAIN_VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5"]
N_CUSTOM_VARIANTS = 48          # "ek00".."ek47": random formant scalings (vocal-tract variation)
# engine shares for TRAIN utterances (festival is the slow one: ~12%)
ENGINE_WEIGHTS = [("espeak", 0.56), ("flite-kal16", 0.15), ("flite-awb", 0.17),
                  ("festival-kal", 0.06), ("festival-ked", 0.06)]
HELDOUT_VOICES = ["festival-slt-hts", "flite-slt", "flite-rms"]
TRAIN_ENGINES = {e for e, _ in ENGINE_WEIGHTS}
assert not (TRAIN_ENGINES & set(HELDOUT_VOICES))
# seconds per phoneme at normal rate, for planning the hours (calibrated on a tiny build)
SEC_PER_PHONE = {"espeak": 0.078, "flite-kal16": 0.075, "flite-awb": 0.090,
                 "festival-kal": 0.090, "festival-ked": 0.092}


# ----------------------------------------------------------------- helpers

def phonemes_of(text, lex):
    return " | ".join(lex[w] for w in text.split())


def read_wav(path):
    with wave.open(path) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2, path
        a = array.array("h", w.readframes(w.getnframes()))
        return a, w.getframerate()


def write_wav(path, samples, sr=SR):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(samples.tobytes())


def wav_duration(path):
    with wave.open(path) as w:
        return w.getnframes() / float(w.getframerate())


def rms(a):
    if not a:
        return 0.0
    return math.sqrt(sum(v * v for v in a) / len(a))


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s" % (cmd[0], r.stderr.decode(errors="replace")[-400:]))
    return r


def make_espeak_data(dst, seed):
    """A copy of espeak-ng-data with extra variants that scale the formants
    (a vocal-tract-length change at synthesis time)."""
    root = os.path.join(dst, "espeak-ng-data")
    stamp = os.path.join(dst, ".variants-%d" % seed)
    if os.path.exists(stamp):
        return dst
    if os.path.exists(root):
        shutil.rmtree(root)
    shutil.copytree(ESPEAK_DATA, root)
    rng = random.Random("espeak-variants:%d" % seed)
    for i in range(N_CUSTOM_VARIANTS):
        female = i % 2 == 1
        scale = rng.uniform(1.02, 1.20) if female else rng.uniform(0.84, 1.04)
        base = rng.randint(150, 230) if female else rng.randint(70, 130)
        lines = ["language variant", "name ek%02d" % i, "gender %s" % ("female" if female else "male"), "",
                 "pitch %d %d" % (base, base + rng.randint(30, 110))]
        for f in range(0, 9):
            fr = int(round(100 * scale * rng.uniform(0.96, 1.04))) if 1 <= f <= 5 else 100
            lines.append("formant %d %d %d %d" % (f, fr, rng.randint(80, 115), rng.randint(80, 150)))
        if rng.random() < 0.3:
            lines.append("breath %s" % " ".join(str(rng.randint(0, 4)) for _ in range(8)))
        if rng.random() < 0.3:
            lines.append("roughness %d" % rng.randint(1, 4))
        if rng.random() < 0.4:
            lines.append("flutter %d" % rng.randint(2, 20))
        lines.append("consonants %d %d" % (rng.randint(80, 130), rng.randint(80, 130)))
        with open(os.path.join(root, "voices", "!v", "ek%02d" % i), "w") as f:
            f.write("\n".join(lines) + "\n")
    open(stamp, "w").close()
    return dst


def espeak_variants():
    d = os.path.join(ESPEAK_DATA, "voices", "!v")
    return sorted(v for v in os.listdir(d) if not v.startswith("."))


# ------------------------------------------------------------------ planning

def plan_train_voice(rng, other_variants):
    r = rng.random()
    acc = 0.0
    engine = ENGINE_WEIGHTS[-1][0]
    for e, w in ENGINE_WEIGHTS:
        acc += w
        if r < acc:
            engine = e
            break
    v = {"engine": engine}
    if engine == "espeak":
        v["lang"] = rng.choice(ESPEAK_LANGS)
        k = rng.random()
        if k < 0.45:
            v["variant"] = rng.choice(ESPEAK_MAIN_VARIANTS)
        elif k < 0.65:
            v["variant"] = rng.choice(other_variants)
        else:
            v["variant"] = "ek%02d" % rng.randrange(N_CUSTOM_VARIANTS)
        v["speed"] = rng.randint(120, 220)
        v["pitch"] = rng.randint(20, 80)
        v["gap"] = rng.choice([0, 0, 0, 0, 1, 2])
        v["stretch"] = 175.0 / v["speed"]
    elif engine.startswith("flite"):
        v["stretch"] = round(rng.uniform(0.8, 1.3), 3)
        v["f0"] = rng.randint(75, 125) if engine == "flite-awb" else rng.randint(80, 170)
        v["f0sd"] = rng.randint(8, 30)
    else:
        v["stretch"] = round(rng.uniform(0.85, 1.25), 3)
        v["f0"] = rng.randint(75, 170)
        v["f0sd"] = rng.randint(8, 30)
    return v


def voice_str(v):
    e = v["engine"]
    if e == "espeak":
        return "espeak:%s+%s:s%d:p%d:g%d" % (v["lang"], v["variant"], v["speed"], v["pitch"], v["gap"])
    if e in HELDOUT_VOICES:
        return e
    return "%s:stretch%.2f:f0_%d:sd%d" % (e, v["stretch"], v["f0"], v["f0sd"])


def plan_augment(rng):
    a = {}
    r = rng.random()
    if r < 0.45:
        a["speed"] = round(rng.uniform(0.9, 1.1), 3)      # pitch+formants+tempo together (VTLP-like)
    elif r < 0.70:
        a["tempo"] = round(rng.uniform(0.9, 1.1), 3)
    if rng.random() < 0.35:
        a["pitch"] = rng.randint(-200, 200)
    if rng.random() < 0.30:
        a["reverb"] = [rng.randint(10, 70), rng.randint(20, 80), rng.randint(5, 60), rng.randint(0, 20)]
    b = rng.random()
    if b < 0.10:
        a["band"] = "phone"
    elif b < 0.25:
        a["band"] = "laptop:%d:%d" % (rng.randint(120, 350), rng.randint(4500, 7500))
    if rng.random() < 0.70:
        a["noise"] = rng.choice(["white", "pink", "pink", "brown"])
        a["snr"] = round(rng.uniform(5, 40), 1)
    else:                                                 # quiet floor: never digital silence
        a["noise"] = rng.choice(["white", "pink"])
        a["snr"] = round(rng.uniform(45, 60), 1)
    a["gain"] = round(rng.uniform(-6, 6), 1)
    a["lead"] = round(rng.uniform(0.1, 0.5), 2)
    a["trail"] = round(rng.uniform(0.1, 0.5), 2)
    return a


def augment_str(a):
    parts = []
    for k in ("speed", "tempo", "pitch"):
        if k in a:
            parts.append("%s=%s" % (k, a[k]))
    if "reverb" in a:
        parts.append("reverb=%s" % "/".join(map(str, a["reverb"])))
    if "band" in a:
        parts.append("band=%s" % a["band"])
    parts.append("noise=%s@%sdB" % (a["noise"], a["snr"]))
    parts.append("gain=%+.1fdB" % a["gain"])
    parts.append("pad=%.2f/%.2f" % (a["lead"], a["trail"]))
    return ",".join(parts)


def est_seconds(v, a, nphones):
    engine = v["engine"]
    s = SEC_PER_PHONE.get(engine, 0.075) * nphones * v.get("stretch", 1.0)
    s /= a.get("speed", 1.0) * a.get("tempo", 1.0)
    return s + 0.15 + a["lead"] + a["trail"]


def make_plan(rows, lex, hours, seed, other_variants):
    """-> list of utterance dicts, train (until `hours`) then dev/test (+noisy copies)."""
    train_rows = [r for r in rows if r[3] == "train"]
    plan = []
    total = 0.0
    target = hours * 3600.0
    rep = 0
    while total < target and train_rows:
        for sid, src, text, split, tts in train_rows:
            if total >= target:
                break
            uid = sid if rep == 0 else "%s_r%d" % (sid, rep)
            rng = random.Random("%d:%s" % (seed, uid))
            v = plan_train_voice(rng, other_variants)
            a = plan_augment(rng)
            nph = len(phonemes_of(text, lex).replace(" | ", " ").split())
            total += est_seconds(v, a, nph)
            plan.append({"id": uid, "split": "train", "text": text, "tts": tts, "voice": v, "aug": a})
        rep += 1
    for i, (sid, src, text, split, tts) in enumerate(r for r in rows if r[3] in ("dev", "test")):
        rng = random.Random("%d:%s" % (seed, sid))
        v = {"engine": HELDOUT_VOICES[i % len(HELDOUT_VOICES)]}
        clean = {"noise": "white", "snr": 60.0, "gain": 0.0,
                 "lead": round(rng.uniform(0.2, 0.4), 2), "trail": round(rng.uniform(0.2, 0.4), 2)}
        plan.append({"id": sid, "split": split, "text": text, "tts": tts, "voice": v, "aug": clean})
        noisy = dict(clean)
        noisy["noise"] = rng.choice(["white", "pink", "brown"])
        noisy["snr"] = round(rng.uniform(15, 30), 1)
        noisy["gain"] = round(rng.uniform(-4, 4), 1)
        if rng.random() < 0.3:
            noisy["reverb"] = [rng.randint(10, 40), 50, rng.randint(5, 30), 5]
        plan.append({"id": sid, "split": split + "-noisy", "text": text, "tts": tts, "voice": v, "aug": noisy})
    return plan, total


# ---------------------------------------------------------------- rendering

_ESPEAK_PATH = None


def _init_worker(espeak_path):
    global _ESPEAK_PATH
    _ESPEAK_PATH = espeak_path


def synth(v, tts, out, tmp):
    e = v["engine"]
    if e == "espeak":
        run(["espeak-ng", "--path=" + _ESPEAK_PATH, "-v", "%s+%s" % (v["lang"], v["variant"]),
             "-s", str(v["speed"]), "-p", str(v["pitch"]), "-g", str(v["gap"]), "-w", out, tts])
    elif e in ("flite-kal16", "flite-awb"):
        run(["flite", "-voice", e.split("-")[1], "--setf", "duration_stretch=%s" % v["stretch"],
             "--setf", "int_f0_target_mean=%d" % v["f0"], "--setf", "int_f0_target_stddev=%d" % v["f0sd"],
             "-t", tts, "-o", out])
    elif e in ("festival-kal", "festival-ked"):
        voice = "voice_kal_diphone" if e == "festival-kal" else "voice_ked_diphone"
        model = "(model_f0_mean 170) (model_f0_std 34)"
        scm = ("(begin (%s) (Parameter.set 'Duration_Stretch %s) "
               "(set! int_lr_params '((target_f0_mean %d) (target_f0_std %d) %s)))"
               % (voice, v["stretch"], v["f0"], v["f0sd"], model))
        txt = os.path.join(tmp, "in.txt")
        with open(txt, "w") as f:
            f.write(tts + "\n")
        run(["text2wave", "-eval", scm, "-o", out, txt])
    elif e == "festival-slt-hts":        # HELD-OUT speaker: dev/test only
        txt = os.path.join(tmp, "in.txt")
        with open(txt, "w") as f:
            f.write(tts + "\n")
        run(["text2wave", "-eval", "(voice_cmu_us_slt_arctic_hts)", "-o", out, txt])
    elif e in ("flite-slt", "flite-rms"):  # HELD-OUT speakers: dev/test only
        run(["flite", "-voice", e.split("-")[1], "-t", tts, "-o", out])
    else:
        raise ValueError(e)


def band_effects(band):
    if band == "phone":
        return ["highpass", "300", "lowpass", "3400", "rate", "8000", "rate", str(SR)]
    _, hp, lp = band.split(":")
    return ["highpass", hp, "lowpass", lp]


def render(u, out_dir):
    """Render one utterance; returns (id, split, seconds, wall)."""
    t0 = time.time()
    final = os.path.join(out_dir, "wav", u["split"], u["id"] + ".wav")
    if os.path.exists(final):
        return u["id"], u["split"], wav_duration(final), 0.0
    v, a = u["voice"], u["aug"]
    tmp = tempfile.mkdtemp(prefix="synth-")
    try:
        raw = os.path.join(tmp, "raw.wav")
        synth(v, u["tts"], raw, tmp)
        # 1. trim the synthesizer's own silences; speed/tempo/pitch; reverb; to 16 kHz
        eff = ["silence", "1", "0.01", "0.05%", "reverse", "silence", "1", "0.01", "0.05%", "reverse"]
        if "speed" in a:
            eff += ["speed", str(a["speed"])]
        if "tempo" in a:
            eff += ["tempo", "-s", str(a["tempo"])]
        if "pitch" in a:
            eff += ["pitch", str(a["pitch"])]
        if "reverb" in a:
            eff += ["reverb"] + [str(x) for x in a["reverb"]]
        eff += ["rate", "-h", str(SR)]
        s1 = os.path.join(tmp, "s1.wav")
        run(["sox", "-R", "-G", "-V1", raw, "-r", str(SR), "-c", "1", "-b", "16", s1] + eff)
        speech, sr = read_wav(s1)
        assert sr == SR
        if len(speech) < SR * 0.2:
            raise RuntimeError("too short after trim: %d samples" % len(speech))
        # 2. level: speech RMS to -23 dBFS + gain; noise at the SNR; padding filled with noise
        lead, trail = int(a["lead"] * SR), int(a["trail"] * SR)
        total = lead + len(speech) + trail
        s_rms = rms(speech) or 1.0
        target = 32768.0 * 10 ** ((-23.0 + a["gain"]) / 20.0)
        k = target / s_rms
        nz = os.path.join(tmp, "n.wav")
        run(["sox", "-R", "-V1", "-n", "-r", str(SR), "-c", "1", "-b", "16", nz, "synth",
             "%.4f" % (total / SR), a["noise"] + "noise", "vol", "0.3"])
        noise, _ = read_wav(nz)
        if len(noise) < total:
            noise.extend([0] * (total - len(noise)))
        n_rms = rms(noise) or 1.0
        kn = target / (10 ** (a["snr"] / 20.0)) / n_rms
        mix = [kn * noise[i] for i in range(total)]
        for i, x in enumerate(speech):
            mix[lead + i] += k * x
        peak = max(abs(min(mix)), abs(max(mix)))
        ceiling = 23000.0 if "band" in a else 32000.0   # filters overshoot: leave 3 dB headroom
        if peak > ceiling:                    # limit instead of clipping
            sc = ceiling / peak
            mix = [x * sc for x in mix]
        out = array.array("h", (int(round(x)) for x in mix))
        s2 = os.path.join(tmp, "s2.wav")
        write_wav(s2, out)
        # 3. band-limiting (microphone / telephone channel) over speech and noise
        part = final + ".part.wav"
        os.makedirs(os.path.dirname(final), exist_ok=True)
        if "band" in a:
            run(["sox", "-R", "-G", "-V1", s2, "-b", "16", part] + band_effects(a["band"]))
        else:
            shutil.move(s2, part)
        os.replace(part, final)
        return u["id"], u["split"], wav_duration(final), time.time() - t0
    except Exception as ex:   # noqa: BLE001 - report and go on
        return u["id"], u["split"], None, "ERROR %s: %s" % (u["id"], ex)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _render_star(args):
    return render(*args)


# --------------------------------------------------------------------- main

def fmt_t(s):
    s = int(s)
    return "%d:%02d:%02d" % (s // 3600, s % 3600 // 60, s % 60)



def render_pool(todo, out, jobs, init, initargs, render_star, est_todo, tag, chunksize):
    """Renders `todo` in `jobs` forked workers (init(*initargs) once each, render_star((u, out)) -> (id, split,
    seconds or None, wall or error)), printing progress with an ETA every 15 s; -> the error messages."""
    t0, done, audio, last, errors = time.time(), 0, 0.0, 0.0, []
    with mp.get_context("fork").Pool(jobs, initializer=init, initargs=initargs) as pool:
        for uid, split, dur, wall in pool.imap_unordered(render_star, ((u, out) for u in todo), chunksize=chunksize):
            done += 1
            if dur is None:
                errors.append(wall)
                print("[%s] %s" % (tag, wall), flush=True)
                continue
            audio += dur
            now = time.time()
            if now - last > 15 or done == len(todo):
                last = now
                el = now - t0
                rate = audio / el if el > 0 else 0
                left = max(est_todo - audio, 0) / rate if rate > 0 else 0
                print("[%s] %d/%d  audio %.2f h  elapsed %s  %.1f audio-min per wall-min  ETA %s"
                      % (tag, done, len(todo), audio / 3600, fmt_t(el), rate, fmt_t(left)), flush=True)
    return errors

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--text", required=True, help="folder with sentences.tsv and lexicon.tsv")
    ap.add_argument("--out", required=True)
    ap.add_argument("--hours", type=float, default=10.0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", default=None, help="where the espeak-ng data copy goes")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(a.text, "sentences.tsv"), encoding="utf-8")]
    lex = dict(l.rstrip("\n").split("\t") for l in open(os.path.join(a.text, "lexicon.tsv"), encoding="utf-8"))
    variants = espeak_variants()
    other = [x for x in variants if x not in ESPEAK_MAIN_VARIANTS]
    espeak_path = make_espeak_data(a.cache or os.path.join(a.out, ".espeak"), a.seed)
    plan, est = make_plan(rows, lex, a.hours, a.seed, other)
    n_train = sum(1 for u in plan if u["split"] == "train")
    print("[synth] plan: %d train utterances (~%.2f h estimated), %d dev/test renderings; %d jobs"
          % (n_train, est / 3600, len(plan) - n_train, a.jobs), flush=True)

    # held-out first (small, needed by every build), then train
    order = [u for u in plan if u["split"] != "train"] + [u for u in plan if u["split"] == "train"]
    todo = [u for u in order if not os.path.exists(os.path.join(a.out, "wav", u["split"], u["id"] + ".wav"))]
    print("[synth] %d already rendered, %d to do" % (len(order) - len(todo), len(todo)), flush=True)
    est_todo = sum(est_seconds(u["voice"], u["aug"], len(phonemes_of(u["text"], lex).split())) for u in todo)
    t0 = time.time()
    errors = render_pool(todo, a.out, a.jobs, _init_worker, (espeak_path,), _render_star, est_todo, "synth", 4)
    write_manifests(plan, lex, a.out, errors, time.time() - t0)


def write_manifests(plan, lex, out, errors, wall):
    by_split = collections.defaultdict(list)
    stats = {"engines": collections.Counter(), "voices": collections.Counter(), "augment": collections.Counter(),
             "seconds": collections.Counter(), "utterances": collections.Counter(), "missing": collections.Counter()}
    for u in plan:
        rel = os.path.join("wav", u["split"], u["id"] + ".wav")
        p = os.path.join(out, rel)
        if not os.path.exists(p):
            stats["missing"][u["split"]] += 1
            continue
        d = wav_duration(p)
        by_split[u["split"]].append((u["id"], rel, "%.3f" % d, voice_str(u["voice"]), augment_str(u["aug"]),
                                     u["text"], phonemes_of(u["text"], lex)))
        stats["utterances"][u["split"]] += 1
        stats["seconds"][u["split"]] += d
        if u["split"] == "train":
            v = u["voice"]
            stats["engines"][v["engine"]] += 1
            stats["voices"][v["engine"] + (":%s+%s" % (v["lang"], v["variant"]) if v["engine"] == "espeak" else "")] += 1
            for k in ("speed", "tempo", "pitch", "reverb", "band"):
                if k in u["aug"]:
                    stats["augment"][k if k != "band" else "band:" + u["aug"]["band"].split(":")[0]] += 1
            stats["augment"]["noise:" + ("floor" if u["aug"]["snr"] >= 50 else u["aug"]["noise"])] += 1
    for split, rs in by_split.items():
        with open(os.path.join(out, split + ".tsv"), "w") as f:
            for r in rs:
                f.write("\t".join(r) + "\n")
        if split != "train":
            name = split.replace("-noisy", "") + "-heldout" + ("-noisy" if split.endswith("-noisy") else "")
            with open(os.path.join(out, name + ".tsv"), "w") as f:
                for r in rs:
                    f.write("%s\t%s\n" % (r[1], r[5]))
    summary = {
        "hours": {k: round(v / 3600, 3) for k, v in stats["seconds"].items()},
        "utterances": dict(stats["utterances"]), "missing": dict(stats["missing"]),
        "train_engines": dict(stats["engines"]), "train_augment": dict(stats["augment"]),
        "train_voices_distinct": len(stats["voices"]),
        "heldout_voices": HELDOUT_VOICES, "errors": errors[:50], "n_errors": len(errors),
        "last_run_wall_s": round(wall, 1),
    }
    with open(os.path.join(out, "plan-summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("[synth] manifests written: " + ", ".join("%s %d utt %.2f h" % (k, stats["utterances"][k], stats["seconds"][k] / 3600)
                                                   for k in sorted(stats["utterances"])), flush=True)
    if errors:
        print("[synth] %d errors (see plan-summary.json)" % len(errors), flush=True)


if __name__ == "__main__":
    main()
