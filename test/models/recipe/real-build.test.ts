import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// models/recipe/data/real/build_real.py: text normalisation, OOV report, group-disjoint splits (on generated
// clips.tsv files, no game data), and the PocketSphinx text/audio agreement score on a WAV made with espeak-ng.
const REPO = resolve(__dirname, '../../..');
const REAL = join(REPO, 'models/recipe/data/real');
const PY = '/usr/bin/python3';
const CMUDICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const pyOk = existsSync(PY) && existsSync(CMUDICT);

function py(code: string): string {
  return execFileSync(PY, ['-c', code], { cwd: REAL, encoding: 'utf8' });
}

/** The CMUdict lines of these words only (a small dictionary keeps each Python run fast). */
function smallDict(dir: string, words: string): string {
  const want = new Set(words.toLowerCase().split(/\s+/).filter(Boolean));
  const lines = readFileSync(CMUDICT, 'utf8')
    .split('\n')
    .filter((l) => want.has(l.split(' ')[0].replace(/\(\d+\)$/, '')));
  const path = join(dir, 'small.dict');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

function clipsTsv(rows: string[][], mapping = false): string {
  const head = ['id', 'wav', 'duration_s', 'speaker', 'group', 'text', ...(mapping ? ['mapping'] : [])];
  return [head, ...rows].map((r) => r.join('\t')).join('\n') + '\n';
}

describe.skipIf(!pyOk)('build_real.py (real-speech manifests)', () => {
  it('normalises game lines to CMUdict words: numbers, ordinals, years, money, times, unit(s), abbreviations', () => {
    const dict = smallDict(
      mkdtempSync(join(tmpdir(), 'earshot-real-')),
      `the delivery point is indicated by number one please
      wait whilst factory manufactures new units mister smith paid twenty dollars for thousand two hundred fifty bolts on first of
      may nineteen ninety nine at ten thirty it's three five percent past seven oh in nineties congratulations commander you are
      ready your second mission says hello a a.`,
    );
    const out = JSON.parse(
      py(`
import json
from build_real import normalise, phonemes_of, spell_numbers
from prepare_text import load_cmudict
lex = load_cmudict("${dict}")
cases = ["The delivery point is indicated by the number 1", "Please wait whilst the factory manufactures the new unit(s)",
         "Mr. Smith paid $20 for 1,250 bolts on the 21st of May 1999, at 10:30.", "It's 3.5% past 7:05 in the 1990s!",
         "Congratulations commander - you are ready for your 2nd mission", "Zorblax says 105 <b>hello</b> [laughs]", "A"]
res = [normalise(c, lex) for c in cases]
print(json.dumps(dict(words=[" ".join(w) for w, _ in res], oov=[o for _, o in res],
  ph=[phonemes_of(w, lex) for w, o in res if not o][:2], letter=phonemes_of(["a"], lex),
  big=spell_numbers("1000000 2,000,013 1100 2005 2024 12th 40th 90"))))`),
    );
    expect(out.words).toEqual([
      'the delivery point is indicated by the number one',
      'please wait whilst the factory manufactures the new units',
      'mister smith paid twenty dollars for one thousand two hundred fifty bolts on the twenty first of may nineteen ninety nine at ten thirty',
      "it's three point five percent past seven oh five in the nineteen nineties",
      'congratulations commander you are ready for your second mission',
      'zorblax says one hundred five hello',
      'a',
    ]);
    expect(out.oov).toEqual([[], [], [], [], [], ['zorblax'], []]);
    expect(out.ph[0]).toBe(
      'DH AH | D IH L IH V ER IY | P OY N T | IH Z | IH N D AH K EY T AH D | B AY | DH AH | N AH M B ER | W AH N',
    );
    expect(out.letter).toBe('EY'); // a letter said on its own is its name, not the article
    expect(out.big.split(/\s+/).filter(Boolean).join(' ')).toBe(
      'one million two million thirteen eleven hundred two thousand five twenty twenty four twelfth fortieth ninety',
    );
  });

  it('drops and reports out-of-lexicon clips, splits by whole groups (dev/test disjoint from train), deterministically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-real-'));
    // "big": 20 groups x 6 clips x 30 s = 1 h; group g07 has two clips with an unknown word; "tiny": 2 groups.
    const big: string[][] = [];
    for (let g = 0; g < 20; g++) {
      for (let k = 0; k < 6; k++) {
        const oov = g === 7 && k < 2;
        big.push([
          `big_${g}_${k}`,
          `wav/big_${g}_${k}.wav`,
          '30.000',
          g % 2 ? `Actor${g}` : '',
          `g${String(g).padStart(2, '0')}`,
          oov ? `The zorblax took ${k + 2} crates.` : `Line ${k} of group ${g}, said twice.`,
        ]);
      }
    }
    const tiny = [
      ['tiny_1', 'wav/tiny_1.wav', '1.000', 'narrator', 'narrator', 'Left click the flashing BUILD icon'],
      ['tiny_2', 'wav/tiny_2.wav', '1.500', 'synthetic', 'synth', 'Zorblax two'],
    ];
    mkdirSync(join(dir, 'big'));
    mkdirSync(join(dir, 'tiny'));
    writeFileSync(
      join(dir, 'big/clips.tsv'),
      clipsTsv(
        big.map((r) => [...r, 'exact']),
        true,
      ),
    );
    writeFileSync(join(dir, 'tiny/clips.tsv'), clipsTsv(tiny));
    writeFileSync(join(dir, 'big/source.json'), JSON.stringify({ package: 'big-data', licence: 'MIT (test)' }));
    const dict = smallDict(
      dir,
      `line of group said twice the took crates left click flashing build icon two
      zero one three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen`,
    );
    const run = () => {
      execFileSync(
        PY,
        [join(REAL, 'build_real.py'), '--real', dir, '--sources', 'big,tiny,missing', '--no-score', '--cmudict', dict],
        { stdio: 'pipe' },
      );
      return ['train.tsv', 'dev.tsv', 'test.tsv', 'dev-real-big.tsv', 'test-real-big.tsv', 'oov.tsv'].map((f) =>
        readFileSync(join(dir, f), 'utf8'),
      );
    };
    const first = run();
    expect(run()).toEqual(first); // deterministic
    const [train, dev, test, devEval, testEval, oov] = first;
    expect(oov).toBe('zorblax\t3\t3\tbig,tiny\tbig_7_0\n');
    const rows = (t: string) =>
      t
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'));
    const group = (id: string) => id.split('_').slice(0, 2).join('_');
    const trainRows = rows(train),
      devRows = rows(dev),
      testRows = rows(test);
    for (const r of trainRows) expect(r).toHaveLength(8);
    for (const r of devRows) expect(r).toHaveLength(7);
    const t1 = trainRows.find((r) => r[0] === 'tiny_1')!;
    expect(t1).toEqual([
      'tiny_1',
      'tiny/wav/tiny_1.wav',
      '1.000',
      'real:tiny:narrator',
      'none',
      'left click the flashing build icon',
      'L EH F T | K L IH K | DH AH | F L AE SH IH NG | B IH L D | AY K AA N',
      '1',
    ]);
    const b = trainRows.find((r) => r[0] === 'big_1_0')!;
    expect(b[3]).toBe('real:big:Actor1');
    expect(trainRows.find((r) => r[0] === 'big_0_0')![3]).toBe('real:big:g00'); // no speaker: the group
    const trainGroups = new Set(trainRows.map((r) => group(r[0])));
    const devGroups = new Set(devRows.map((r) => group(r[0])));
    const testGroups = new Set(testRows.map((r) => group(r[0])));
    expect(devGroups.size).toBeGreaterThan(0);
    expect(testGroups.size).toBeGreaterThan(0);
    for (const g of devGroups) {
      expect(trainGroups.has(g)).toBe(false);
      expect(testGroups.has(g)).toBe(false);
    }
    for (const g of testGroups) expect(trainGroups.has(g)).toBe(false);
    expect(trainRows.length + devRows.length + testRows.length).toBe(120 - 2 + 1);
    expect(devRows.length).toBeLessThanOrEqual(12); // about 5 % of 118 clips, whole groups of 6
    expect(devEval.split('\n').filter(Boolean)).toEqual(devRows.map((r) => `${r[1]}\t${r[5]}`));
    expect(testEval.split('\n').filter(Boolean)).toHaveLength(testRows.length);
    const s = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(s.sources.big.oov_dropped.clips).toBe(2);
    expect(s.sources.big.licence).toBe('MIT (test)');
    expect(s.sources.tiny.oov_dropped.clips).toBe(1);
    expect(s.sources.tiny.splits.dev.clips).toBe(0); // under 3 groups: training only
    expect(s.sources.missing).toBeUndefined();
    const gname = (g: string) => 'g' + g.split('_')[1].padStart(2, '0');
    expect(s.sources.big.splits.dev.group_names).toEqual([...devGroups].map(gname).sort());
    expect(s.sources.big.splits.test.group_names).toEqual([...testGroups].map(gname).sort());
  });

  it.skipIf(!has('pocketsphinx_batch') || !has('espeak-ng') || !has('sox'))(
    'agreement score: an espeak-ng sentence fits its own text and not another one or a longer one',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'earshot-score-'));
      execFileSync('espeak-ng', ['-w', join(dir, 'raw.wav'), 'the cat sat on the mat and the dog ate a bat']);
      mkdirSync(join(dir, 'wav'));
      execFileSync('sox', [join(dir, 'raw.wav'), '-r', '16000', '-c', '1', '-b', '16', join(dir, 'wav/a.wav')]);
      const out = JSON.parse(
        py(`
import json
from build_real import raw_dict, score_chunk
rd = raw_dict("${smallDict(dir, 'the cat sat on mat and dog ate a bat fat frog hid under log by big dark pond')}")
said = "the cat sat on the mat and the dog ate a bat".split()
items = [("right", "wav/a.wav", said, 3.0), ("other", "wav/a.wav", "a fat frog hid under the log by a big dark pond".split(), 3.0),
         ("swapped", "wav/a.wav", "the dog sat on the mat and the cat ate a bat".split(), 3.0),
         ("longer", "wav/a.wav", said * 3, 3.0)]
res = score_chunk(items, "${dir}", rd)
# decoy texts are scored with the loop's score already known: the same number as a full scoring
res["other_known_loop"] = score_chunk(items[1:2], "${dir}", rd, loop_ascr={"other": res["right"]["loop_ascr"]})["other"]
print(json.dumps(res))`),
      );
      expect(out.right.status).toBe('ok');
      expect(out.right.frames).toBeGreaterThan(100);
      expect(out.longer.status).toBe('fail'); // more words than the audio can hold
      expect(out.other_known_loop).toEqual(out.other);
      for (const k of ['other', 'swapped']) {
        if (out[k].status === 'ok') expect(out[k].score).toBeLessThan(out.right.score - 1);
        else expect(out[k].status).toBe('fail');
      }
    },
    90000,
  ); // a few seconds on an idle machine, much longer when the shared cores are crowded
});
