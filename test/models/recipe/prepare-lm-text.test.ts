import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLanguageModel } from '../../../models/language/language-model';
import { createLmScorer } from '../../../models/language/lm-scorer';
import { loadModelPackage } from '../../../models/package/load-package';
import { nodeSource } from '../../../models/package/node-source';

/**
 * models/recipe/lm/prepare_lm_text.py on a tiny made-up corpus: the one-word lines added by
 * --isolated-words leave the vocabulary as it is, and use only the isolated-word corpus's train words;
 * then a few steps of train_lm.py on it and export_lm.py, loaded by the engine.
 */
const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const hasPython = spawnSync(PY, ['-c', 'import hashlib'], { stdio: 'ignore' }).status === 0;

/** prepare_words.word_split, computed here independently. */
function wordSplit(word: string): string {
  const h = parseInt(createHash('sha1').update(word, 'utf8').digest('hex').slice(0, 8), 16) % 100;
  return h < 5 ? 'dev' : h < 10 ? 'test' : 'train';
}

describe.skipIf(!hasPython)('prepare_lm_text.py', () => {
  it('adds one-word lines from train-split vocabulary words without changing the vocabulary; train_lm and export_lm take that text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-lmtext-'));
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    const words = Array.from({ length: 300 }, (_, i) => `w${letters[i % 26]}${letters[Math.floor(i / 26)]}`);
    mkdirSync(join(dir, 'corpus'));
    const rows: string[] = [];
    for (let i = 0; i < 400; i++) {
      const n = 3 + (i % 5);
      const text = Array.from({ length: n }, (_, k) => words[(i * 7 + k * 13) % words.length]).join(' ');
      const split = i % 20 === 0 ? 'dev' : i % 20 === 1 ? 'test' : 'train';
      rows.push(`s${i}\tsrc\t${text}\t${split}\t${text}`);
    }
    writeFileSync(join(dir, 'corpus/sentences.tsv'), rows.join('\n') + '\n');
    // CMUdict knows all but the last 20 words: those stay out of the vocabulary
    const dict = words.slice(0, -20).map((w) => `${w} W AH N`);
    writeFileSync(join(dir, 'dict'), dict.join('\n') + '\n');
    const run = (out: string, fraction: string) =>
      execFileSync(
        PY,
        [
          join(REPO, 'models/recipe/lm/prepare_lm_text.py'),
          ...['--corpus', join(dir, 'corpus'), '--cache', join(dir, 'none'), '--out', join(dir, out)],
          ...['--cmudict', join(dir, 'dict'), '--no-extra', '--vocab-size', '200', '--isolated-words', fraction],
        ],
        { encoding: 'utf8' },
      );
    const logWith = run('with', '0.25');
    run('without', '0');
    const read = (p: string) => readFileSync(join(dir, p), 'utf8').trim().split('\n');
    expect(read('with/vocab.txt')).toEqual(read('without/vocab.txt'));
    const vocab = new Set(read('with/vocab.txt'));
    const summary = JSON.parse(readFileSync(join(dir, 'with/lm-text.json'), 'utf8'));
    const sentences = summary.trainSentences as number;
    expect(summary.isolatedWordLines).toBe(Math.round(0.25 * sentences));
    expect(logWith).toMatch(new RegExp(`${summary.isolatedWordLines} isolated-word lines`));
    const withLines = read('with/train.txt');
    const withoutLines = read('without/train.txt');
    expect(withoutLines).toHaveLength(sentences);
    expect(withLines).toHaveLength(sentences + summary.isolatedWordLines);
    // the sentences are the same ones; the extra lines are single vocabulary words of the train split
    const extra = [...withLines];
    for (const s of withoutLines) extra.splice(extra.indexOf(s), 1);
    expect(extra).toHaveLength(summary.isolatedWordLines);
    for (const w of extra) {
      expect(w.split(' ')).toHaveLength(1);
      expect(vocab.has(w)).toBe(true);
      expect(wordSplit(w)).toBe('train');
    }
    expect(new Set(extra).size).toBeGreaterThan(10);
    // no held-out sentence is trained on
    const heldout = new Set(read('with/dev.txt'));
    expect(withLines.some((s) => heldout.has(s) && s.includes(' '))).toBe(false);

    // a few steps of train_lm.py on that text, exported: the engine loads it, and the provenance carries
    // the text's make-up (isolated-word lines), the epochs over every line, and the note
    execFileSync(
      PY,
      [
        join(REPO, 'models/recipe/lm/train_lm.py'),
        ...[`--data_dir=${join(dir, 'with')}`, `--out_dir=${join(dir, 'run')}`, '--init=scratch'],
        ...['--embedding=8', '--hidden=16', '--batch_tokens=200', '--max_steps=12', '--warmup_steps=2'],
      ],
      { encoding: 'utf8' },
    );
    execFileSync(
      PY,
      [
        join(REPO, 'models/recipe/lm/export_lm.py'),
        ...[join(dir, 'run/ckpt.pt'), join(dir, 'pkg'), '--note=fine-tuned for a test'],
      ],
      { encoding: 'utf8' },
    );
    const pkg = await loadModelPackage(await nodeSource(join(dir, 'pkg')));
    const prov = pkg.json.provenance as Record<string, any>;
    expect(prov.note).toBe('fine-tuned for a test');
    expect(prov.data.isolatedWordLines).toBe(summary.isolatedWordLines);
    const tokensPerEpoch = summary.trainWords + summary.trainSentences + summary.isolatedWordLines;
    expect(prov.epochs).toBeCloseTo(prov.trainTokensSeen / tokensPerEpoch, 2);
    const lm = await createLanguageModel(pkg);
    try {
      const lp = await lm.logProbs(['wab']);
      expect(lp).toHaveLength(vocab.size);
      expect(Math.abs(lp.reduce((a, x) => a + Math.exp(x), 0) - 1)).toBeLessThan(1e-4);
    } finally {
      lm.dispose();
    }
    expect((pkg.json.output as { selfNormalized?: unknown }).selfNormalized).toBeUndefined();

    // more steps with the (log Z)² penalty: the export says so, with held-out log Z, and the decoder's
    // scorer reads it sparsely: a word's logit less that log Z
    const log = execFileSync(
      PY,
      [
        join(REPO, 'models/recipe/lm/train_lm.py'),
        ...[`--data_dir=${join(dir, 'with')}`, `--out_dir=${join(dir, 'run')}`, `--init=${join(dir, 'run/ckpt.pt')}`],
        ...['--self_norm=1', '--batch_tokens=200', '--max_steps=30', '--lr=0.01'],
      ],
      { encoding: 'utf8' },
    );
    expect(log).toMatch(/log Z -?\d+\.\d+ ± \d+\.\d+/);
    expect(log).toMatch(/output biases shifted by -?\d+\.\d+/); // log Z's mean moved to 0 before training
    execFileSync(PY, [join(REPO, 'models/recipe/lm/export_lm.py'), join(dir, 'run/ckpt.pt'), join(dir, 'sn')], {
      encoding: 'utf8',
    });
    const sn = await loadModelPackage(await nodeSource(join(dir, 'sn')));
    const output = sn.json.output as { selfNormalized?: { logZ: number; logZStd: number; penalty: number } };
    const test = (sn.json.provenance as Record<string, any>).heldOut.metrics.test;
    expect(output.selfNormalized).toEqual({ logZ: test.logZ.mean, logZStd: test.logZ.std, penalty: 1 });
    const hist = (sn.json.provenance as Record<string, any>).history;
    // the penalty pulls log Z towards 0 (12 plain steps, then 18 with it)
    expect(Math.abs(hist[hist.length - 1].test_log_z)).toBeLessThan(Math.abs(prov.heldOut.metrics.test.logZ.mean));
    const scorer = await createLmScorer(sn);
    try {
      const exact = await createLanguageModel(sn);
      try {
        const [r] = await scorer.score([{ context: scorer.start(), word: 'wab' }]);
        const row = await exact.logProbs([]);
        const logZ = Math.log(row.reduce((a, x) => a + Math.exp(x), 0));
        expect(logZ).toBeCloseTo(0, 4); // the exact row is normalised
        // sparse: logit − stored log Z; exact: logit − log Z(<eos>): differences between words agree
        const rows = read('sn/vocab.txt');
        const [s2] = await scorer.score([{ context: scorer.start(), word: '<eos>' }]);
        expect(r.logProb - s2.logProb).toBeCloseTo(row[rows.indexOf('wab')] - row[rows.indexOf('<eos>')], 4);
      } finally {
        exact.dispose();
      }
    } finally {
      scorer.dispose();
    }

    // unk_counts.py: counts of the lexicon words outside the vocabulary, from the training text and a SUBTLEX-style
    // list (mixed half and half at the text's scale); export_lm keeps them while the vocabulary stays the same
    const outside = read('dict')
      .map((l) => l.split(' ')[0])
      .filter((w) => !vocab.has(w));
    expect(outside.length).toBeGreaterThan(2);
    const [seen, alsoSeen] = outside;
    const subtlex = [
      { word: seen[0].toUpperCase() + seen.slice(1), count: 300 }, // capitalised (a name): folded, counted 0.1 times
      { word: alsoSeen, count: 90 },
      { word: 'wab', count: 1000 }, // in the vocabulary: not counted
      { word: 'mr', count: 5000 }, // a subtitle abbreviation: skipped
    ];
    writeFileSync(join(dir, 'subtlex.json'), JSON.stringify(subtlex));
    const unkLog = execFileSync(
      PY,
      [
        join(REPO, 'models/recipe/lm/unk_counts.py'),
        join(dir, 'sn'),
        ...[
          '--text',
          join(dir, 'with/train.txt'),
          '--lexicon',
          join(dir, 'dict'),
          '--subtlex',
          join(dir, 'subtlex.json'),
        ],
        ...['--subtlex-share', '0.5', '--add', '0.25'],
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(unkLog).toBe('');
    const textCount = (w: string) =>
      read('with/train.txt').reduce((n, l) => n + l.split(' ').filter((x) => x === w).length, 0);
    const textTotal = outside.reduce((n, w) => n + textCount(w), 0);
    const counts = new Map(read('sn/unk-counts.tsv').map((l) => [l.split('\t')[0], Number(l.split('\t')[1])]));
    // SUBTLEX's half, scaled to the text's total: 30 of 120 to the name, 90 of 120 to the other word
    expect(counts.get(seen)).toBeCloseTo(0.5 * textCount(seen) + 0.5 * textTotal * (30 / 120), 2);
    expect(counts.get(alsoSeen)).toBeCloseTo(0.5 * textCount(alsoSeen) + 0.5 * textTotal * (90 / 120), 2);
    expect(counts.has('wab') || counts.has('mr')).toBe(false);
    const withCounts = await loadModelPackage(await nodeSource(join(dir, 'sn')));
    expect((withCounts.json.output as Record<string, unknown>).unknownWords).toEqual({
      counts: 'unk-counts.tsv',
      add: 0.25,
    });
    expect((withCounts.json.provenance as Record<string, any>).lexiconWordsOutsideVocabulary).toBe(outside.length);
    const classScorer = await createLmScorer(withCounts);
    try {
      const [a, z] = await classScorer.score([
        { context: classScorer.start(), word: seen },
        { context: classScorer.start(), word: 'zzz' },
      ]);
      const total = [...counts.values()].reduce((x, y) => x + y, 0) + 0.25 * outside.length;
      expect(a.logProb - z.logProb).toBeCloseTo(Math.log((counts.get(seen)! + 0.25) / 0.25), 4);
      expect(Math.log(0.25 / total)).toBeLessThan(-Math.log(outside.length)); // an unseen word: below the uniform share
    } finally {
      classScorer.dispose();
    }
    execFileSync(PY, [join(REPO, 'models/recipe/lm/export_lm.py'), join(dir, 'run/ckpt.pt'), join(dir, 'sn')], {
      encoding: 'utf8',
    });
    const reexported = JSON.parse(readFileSync(join(dir, 'sn/model.json'), 'utf8'));
    expect(reexported.output.unknownWords).toEqual({ counts: 'unk-counts.tsv', add: 0.25 });
    expect(reexported.provenance.unknownWords.subtlexShare).toBe(0.5);
  });

  it('adds the texts of training-speech manifests, less any text a held-out manifest says', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-lmtext-'));
    mkdirSync(join(dir, 'corpus'));
    const rows = Array.from({ length: 60 }, (_, i) => `s${i}\tsrc\talpha beta gamma ${i % 7}\ttrain\tx`);
    writeFileSync(join(dir, 'corpus/sentences.tsv'), rows.join('\n') + '\n');
    writeFileSync(join(dir, 'dict'), 'alpha A\nbeta B\ngamma G\nhello H\n');
    // the real-speech manifest layout (text in the sixth column) and a plain WAV<TAB>TEXT one
    const real = (id: string, text: string) => `${id}\tw/${id}.wav\t1.0\treal:x:g\tnone\t${text}\tPH\t1`;
    writeFileSync(join(dir, 'train.tsv'), [real('a', 'Hello  there'), real('b', 'open the door')].join('\n') + '\n');
    writeFileSync(join(dir, 'own.tsv'), 'x.wav\tgood morning\n');
    writeFileSync(join(dir, 'dev.tsv'), real('c', 'open the door') + '\n');
    const log = execFileSync(
      PY,
      [
        join(REPO, 'models/recipe/lm/prepare_lm_text.py'),
        ...['--corpus', join(dir, 'corpus'), '--out', join(dir, 'out'), '--cmudict', join(dir, 'dict')],
        ...[
          '--no-extra',
          '--isolated-words',
          '0',
          '--transcripts',
          `${join(dir, 'train.tsv')},${join(dir, 'own.tsv')}`,
        ],
        ...['--heldout', join(dir, 'dev.tsv')],
      ],
      { encoding: 'utf8' },
    );
    expect(log).toMatch(/2 transcript lines/);
    const lines = readFileSync(join(dir, 'out/train.txt'), 'utf8').trim().split('\n');
    expect(lines).toContain('hello there');
    expect(lines).toContain('good morning');
    expect(lines).not.toContain('open the door');
    const summary = JSON.parse(readFileSync(join(dir, 'out/lm-text.json'), 'utf8'));
    expect(summary.transcriptLines).toBe(2);
    expect(summary.transcriptWords).toBe(4);
    expect(lines).toHaveLength(summary.trainSentences + 2);
  });
});
