import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';

const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const tools =
  ok('espeak-ng', ['--version']) &&
  ok('sox', ['--version']) &&
  existsSync('/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict');
const torch = ok(PY, ['-c', 'import torch']);

/** A clip of `text` spoken by espeak-ng, written as `path` (sox converts to .flac / .mp3 by the extension). */
function say(text: string, path: string): void {
  const wav = path.replace(/\.\w+$/, '.src.wav');
  execFileSync('espeak-ng', ['-v', 'en-us', '-w', wav, text]);
  if (!path.endsWith('.wav')) execFileSync('sox', [wav, path]);
  else execFileSync('sox', [wav, path, 'pad', '0.2', '0.2']);
}

const LINES = ['The cat sat on the mat.', 'We went to the Zorblax store!', 'Go forward, ten meters.'];

/** A tiny corpus of the three lines in each layout -> the PATH to give train:own. */
const LAYOUTS: Record<string, (dir: string) => string> = {
  manifest(dir) {
    mkdirSync(join(dir, 'audio'));
    LINES.forEach((t, i) => say(t, join(dir, 'audio', `${i}.wav`)));
    writeFileSync(join(dir, 'list.tsv'), '# my recordings\n' + LINES.map((t, i) => `audio/${i}.wav\t${t}\n`).join(''));
    return join(dir, 'list.tsv');
  },
  librispeech(dir) {
    const ch = join(dir, 'LibriSpeech/train-clean-5/1089/134686');
    mkdirSync(ch, { recursive: true });
    LINES.forEach((t, i) => say(t, join(ch, `1089-134686-000${i}.flac`)));
    writeFileSync(
      join(ch, '1089-134686.trans.txt'),
      LINES.map((t, i) => `1089-134686-000${i} ${t.toUpperCase().replace(/[.,!]/g, '')}\n`).join(''),
    );
    return join(dir, 'LibriSpeech');
  },
  commonvoice(dir) {
    const cv = join(dir, 'cv-corpus/en');
    mkdirSync(join(cv, 'clips'), { recursive: true });
    LINES.forEach((t, i) => say(t, join(cv, 'clips', `common_voice_en_${100 + i}.mp3`)));
    writeFileSync(
      join(cv, 'train.tsv'),
      'client_id\tpath\tsentence\tup_votes\tdown_votes\tage\tgender\taccents\tlocale\tsegment\n' +
        LINES.map((t, i) => `c0ffee${i}\tcommon_voice_en_${100 + i}.mp3\t${t}\t2\t0\t\t\t\ten\t\n`).join(''),
    );
    return cv;
  },
};

describe.skipIf(!tools)('import_corpus.py: out-of-lexicon words and the user lexicon', () => {
  it('reports the words and the clips (file and stdout), leaves them out or stops with --oov=fail; a lexicon brings them in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-own-'));
    const list = LAYOUTS.manifest(dir);
    const imp = (out: string, ...extra: string[]) =>
      spawnSync(
        PY,
        ['models/recipe/data/import_corpus.py', '--layout', 'manifest', list, '--out', join(dir, out), ...extra],
        { cwd: REPO, encoding: 'utf8' },
      );
    const skip = imp('a');
    expect(skip.status).toBe(0);
    expect(skip.stdout).toMatch(
      /1 of 3 clips have words in neither CMUdict nor your lexicon \(1 distinct\): zorblax \(1× in 1 clips\)/,
    );
    expect(readFileSync(join(dir, 'a/oov.tsv'), 'utf8')).toBe('word\toccurrences\tclips\nzorblax\t1\t1\n');
    expect(readFileSync(join(dir, 'a/oov-clips.tsv'), 'utf8')).toMatch(
      /^audio_1\t.*audio\/1\.wav\tzorblax\tWe went to the Zorblax store!$/m,
    );
    const train = readFileSync(join(dir, 'a/train.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(train.map((r) => r[0])).toEqual(['audio_0', 'audio_2']);
    expect(train[1].slice(4)).toEqual(['none', 'go forward ten meters', 'G OW | F AO R W ER D | T EH N | M IY T ER Z']);
    expect(
      ['-r', '-c', '-b'].map((o) =>
        execFileSync('soxi', [o, join(dir, 'a', train[0][1])], { encoding: 'utf8' }).trim(),
      ),
    ).toEqual(['16000', '1', '16']);

    const fail = imp('b', '--oov=fail');
    expect(fail.status).toBe(3);
    expect(fail.stdout).toMatch(/zorblax/);
    expect(existsSync(join(dir, 'b/train.tsv'))).toBe(false);

    writeFileSync(join(dir, 'bad.dict'), 'zorblax Z AO1 R B L AE2 K S Q\n');
    expect(imp('c', '--lexicon', join(dir, 'bad.dict')).stderr).toMatch(/bad\.dict:1: .*unknown phonemes Q/);
    writeFileSync(join(dir, 'my.dict'), ';;; mine\nZORBLAX  Z AO1 R B L AE2 K S\n');
    expect(imp('d', '--lexicon', join(dir, 'my.dict'), '--oov=fail').status).toBe(0);
    expect(readFileSync(join(dir, 'd/train.tsv'), 'utf8')).toMatch(/\tthe cat sat on the mat\t/);
    expect(readFileSync(join(dir, 'd/train.tsv'), 'utf8')).toMatch(
      /\twe went to the zorblax store\tW IY \| W EH N T \| T UW \| DH AH \| Z AO R B L AE K S \| S T AO R$/m,
    );
    expect(readFileSync(join(dir, 'd/user-lexicon.txt'), 'utf8')).toBe('zorblax Z AO R B L AE K S\n');
  }, 120_000);

  it('reads LibriSpeech (flac, trans.txt) and Common Voice (train.tsv, clips/*.mp3): ids, speakers, texts, 16 kHz wavs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-own-'));
    const rows = (layout: string) => {
      const r = spawnSync(
        PY,
        [
          'models/recipe/data/import_corpus.py',
          '--layout',
          layout,
          LAYOUTS[layout](join(dir, layout)),
          '--out',
          join(dir, `${layout}-out`),
        ],
        { cwd: REPO, encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/3 clips read, 2 kept .* 1 left out for out-of-lexicon words, 0 failed/);
      const tsv = readFileSync(join(dir, `${layout}-out/train.tsv`), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split('\t'));
      for (const t of tsv) expect(Number(t[2])).toBeGreaterThan(0.8);
      return tsv.map((t) => [t[0], t[3], t[5]]);
    };
    mkdirSync(join(dir, 'librispeech'));
    mkdirSync(join(dir, 'commonvoice'));
    expect(rows('librispeech')).toEqual([
      ['1089-134686-0000', 'librispeech:1089', 'the cat sat on the mat'],
      ['1089-134686-0002', 'librispeech:1089', 'go forward ten meters'],
    ]);
    expect(rows('commonvoice')).toEqual([
      ['common_voice_en_100', 'commonvoice:c0ffee0', 'the cat sat on the mat'],
      ['common_voice_en_102', 'commonvoice:c0ffee2', 'go forward ten meters'],
    ]);
  }, 120_000);
});

describe.skipIf(!tools || !torch)('npm run train:own smoke run per layout (espeak-ng clips, a few steps)', () => {
  for (const layout of Object.keys(LAYOUTS)) {
    it(`${layout}: imports, dumps features, fine-tunes the bundled model 2 steps and exports a package the engine loads`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `earshot-own-${layout}-`));
      const path = LAYOUTS[layout](dir);
      const lexicon = layout === 'manifest' ? ['--lexicon', join(dir, 'my.dict')] : [];
      if (lexicon.length) writeFileSync(join(dir, 'my.dict'), 'zorblax  Z AO1 R B L AE2 K S\n');
      const out = execFileSync(
        'npx',
        [
          'tsx',
          'models/recipe/train_own.ts',
          '--layout',
          layout,
          path,
          '--out',
          join(dir, 'own'),
          '--max-steps',
          '2',
          ...lexicon,
        ],
        { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const kept = lexicon.length ? 3 : 2;
      expect(out).toMatch(
        new RegExp(`\\[train:own\\] ${kept} clips \\(.*; ${3 - kept} left out for out-of-lexicon words`),
      );
      expect(out).toMatch(/done: step \d+, dev loss/);
      const report = JSON.parse(readFileSync(join(dir, 'own/train-own.json'), 'utf8'));
      expect(Object.keys(report.times)).toEqual(['import', 'features', 'fine-tune', 'export']);
      expect(report.clips.kept).toBe(kept);
      const pkg = await loadModelPackage(await nodeSource(join(dir, 'own/model')));
      const prov = pkg.json.provenance as { steps: number; training: string };
      expect(prov.steps).toBe(report.stepTotal);
      expect(report.steps).toBe(2);
      expect(prov.training).toMatch(new RegExp(`imported as ${layout}`));
      if (layout === 'librispeech')
        expect(readFileSync(join(dir, 'own/corpus/train.tsv'), 'utf8')).toMatch(
          /^1089-134686-0000\twav\/1089-134686-0000\.wav\t[\d.]+\tlibrispeech:1089\t/m,
        );
      if (layout === 'commonvoice')
        expect(readFileSync(join(dir, 'own/corpus/summary.json'), 'utf8')).toMatch(/"speakers": 2/);
      if (lexicon.length)
        expect(readFileSync(join(dir, 'own/model/lexicon.txt'), 'utf8')).toMatch(/\nzorblax Z AO R B L AE K S\n$/);
    }, 180_000);
  }
});
