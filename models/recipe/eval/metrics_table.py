#!/usr/bin/python3
"""metrics_table: an eval_all.ts result as README's "Where the bundled models stand" table and as the acoustic
package's provenance.metrics, beside the previous model's figures and PocketSphinx's.

  /usr/bin/python3 models/recipe/eval/metrics_table.py NEW.json --previous OLD/model.json [--previous-result OLD.json]
      [--package models/default/acoustic] [--command TEXT] [--write]

NEW.json     eval_all.ts --json output (one model; the first is read).
--previous   a model.json whose provenance.metrics holds the previous model's figures and PocketSphinx's
             (read before the new package replaced it: keep a copy, e.g. `git show HEAD:models/default/acoustic/model.json`).
--previous-result  the previous model's eval_all result on the same files (preferred when the data was rebuilt:
             its figures replace the previous model.json's; PocketSphinx's still come from --previous).
--write      sets --package's model.json provenance.metrics (sets: clips, wer, werLm, cer, cerLm, previousModel,
             pocketsphinx; the previous metrics' PocketSphinx figures carry over, since eval_all runs it only without
             --no-pocketsphinx). Without it, only the table is printed.
Figures are percentages with one decimal, as eval_all's markdown prints them.
"""
import argparse
import datetime
import json
import os
import sys

LABELS = {
    "corpus/test-heldout": "corpus/test-heldout (TTS, held-out voices)",
    "corpus-words/test-heldout": "corpus-words/test-heldout (isolated words)",
    "real-eval/pocketsphinx": "real-eval/pocketsphinx (reserved)",
}


def pct(x):
    return round(100 * x, 1)


def fmt(x):
    return "100" if x == 100 else "%.1f" % x


def new_sets(result):
    out = {}
    for s in result["sets"]:
        if s.get("status") != "ok":
            continue
        m = s["models"][0]
        out[s["name"]] = {"clips": s["clips"], "wer": pct(m["wer"]), "werLm": pct(m["werLm"]), "cer": pct(m["cer"]),
                          "cerLm": pct(m["cerLm"])}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("result")
    ap.add_argument("--previous", required=True)
    ap.add_argument("--previous-result", default=None)
    ap.add_argument("--package", default="models/default/acoustic")
    ap.add_argument("--command", default=None)
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    result = json.load(open(a.result))
    if result.get("format") != "earshot-eval-all":
        raise SystemExit("metrics_table: %s is not an eval_all.ts --json result" % a.result)
    prev = json.load(open(a.previous)).get("provenance", {}).get("metrics", {}).get("sets", {})
    if a.previous_result:
        for name, f in new_sets(json.load(open(a.previous_result))).items():
            prev[name] = dict(prev.get(name, {}), **{k: f[k] for k in ("wer", "werLm", "cerLm")})
    sets = new_sets(result)
    rows = ["| set | clips | previous model | **bundled model** | CER with LM (previous → bundled) | PocketSphinx WER / CER |",
            "|---|---|---|---|---|---|"]
    for name, f in sets.items():
        p = prev.get(name, {})
        ps = p.get("pocketsphinx")
        f["previousModel"] = {k: p[k] for k in ("wer", "werLm", "cerLm") if k in p}
        if ps:
            f["pocketsphinx"] = ps
        rows.append("| %s | %d | %s | **%s / %s** | %s → %s | %s |" % (
            LABELS.get(name, name), f["clips"],
            "%s / %s" % (fmt(p["wer"]), fmt(p["werLm"])) if "wer" in p else "—",
            fmt(f["wer"]), fmt(f["werLm"]), fmt(p["cerLm"]) if "cerLm" in p else "—", fmt(f["cerLm"]),
            "%s / %s" % (fmt(ps["wer"]), fmt(ps["cer"])) if ps else "—"))
    print("\n".join(rows))
    if a.write:
        mj_path = os.path.join(a.package, "model.json")
        mj = json.load(open(mj_path))
        mj.setdefault("provenance", {})["metrics"] = {
            "command": a.command or "npx tsx models/recipe/eval/eval_all.ts --model %s --no-pocketsphinx (%s)" % (
                a.package, a.result),
            "date": result.get("date") or datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "sets": sets,
        }
        with open(mj_path, "w") as fh:
            json.dump(mj, fh, indent=2)
            fh.write("\n")
        print("[metrics] %s: provenance.metrics written (%d sets)" % (mj_path, len(sets)), file=sys.stderr)


if __name__ == "__main__":
    main()
