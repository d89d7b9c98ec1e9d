import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARPABET_39 } from '../../../../renderer/engine/decoding/lexicon';
import { buildLexiconTrie } from '../../../../renderer/engine/decoding/lexicon-trie';
import {
  defaultLexiconBeamConfig,
  LexiconBeamDecoder,
} from '../../../../renderer/engine/decoding/lexicon-beam-decoder';
import { FakeBigramScorer } from './fake-bigram-scorer';
import { chunked, logProbsFrom, randomLogProbs, seededRandom, type Frame } from './posterior-builder';

const PHONES = ['_', ...ARPABET_39];
const UNITS = { alphabet: PHONES, blank: 0 };
const K = PHONES.length;
const LEXICON = `there DH EH R
their DH EH R
they're DH EH R
is IH Z
car K AA R
cars K AA R Z
zork Z AO R K
`;
const COUNTS = "there\t500\ntheir\t300\nthey're\t100\n";

const frames = (...words: string[][]): Frame[] => words.flatMap((ph) => ['_', ...ph.flatMap((p) => [p, p]), '_']);
const THEIR_CAR = frames(['DH', 'EH', 'R'], ['K', 'AA', 'R']);
const THERE_IS = frames(['DH', 'EH', 'R'], ['IH', 'Z']);

const BIGRAMS = {
  '<s> there': -1.5,
  '<s> their': -1.5,
  "<s> they're": -2,
  'their car': -1,
  'there car': -7,
  "they're car": -8,
  'there is': -1,
  'their is': -8,
  "they're is": -8,
};

function bigram(alpha = 1, beta = 0): FakeBigramScorer {
  return new FakeBigramScorer(alpha, beta, ['there', 'their', "they're", 'is', 'car', 'cars'], BIGRAMS);
}

function decoder(scorer: FakeBigramScorer | null = null, lexicon = LEXICON) {
  const { trie } = buildLexiconTrie({ alphabet: PHONES, lexicon, wordCounts: COUNTS });
  return new LexiconBeamDecoder(UNITS, trie, { ...defaultLexiconBeamConfig(), secondsPerStep: 0.02 }, scorer);
}

async function decodeAll(dec: LexiconBeamDecoder, f: Frame[]) {
  dec.reset();
  await dec.next(logProbsFrom(PHONES, f), f.length);
  return dec.finalize();
}

describe('LexiconBeamDecoder', () => {
  it('without a scorer, emits the most frequent homophone and keeps the others as alternatives', () => {
    const dec = decoder();
    dec.nextSync(logProbsFrom(PHONES, THEIR_CAR), THEIR_CAR.length);
    const r = dec.finalizeSync();
    expect(r.text).toBe('there car');
    expect(r.words[0].alternatives?.map((a) => a.word)).toEqual(['their', "they're"]);
  });

  it('lets a bigram scorer pick "their" before "car" and "there" before "is"', async () => {
    expect((await decodeAll(decoder(bigram()), THEIR_CAR)).text).toBe('their car');
    expect((await decodeAll(decoder(bigram()), THERE_IS)).text).toBe('there is');
  });

  it('keeps the homophone alternatives a scorer beat when the word-final phoneme is held over several frames', async () => {
    // every phoneme held 2 frames: the word is emitted, then merged again
    const r = await decodeAll(decoder(bigram()), THEIR_CAR);
    expect(r.words[0].word).toBe('their');
    expect(r.words[0].alternatives?.map((a) => a.word).sort()).toEqual(['there', "they're"]);
    expect(r.words[0].alternatives!.every((a) => Number.isFinite(a.score))).toBe(true);
  });

  it('gives each alternative its probability among the homophones: word frequency without an LM', () => {
    const dec = decoder();
    dec.nextSync(logProbsFrom(PHONES, THEIR_CAR), THEIR_CAR.length);
    const alternatives = dec.finalizeSync().words[0].alternatives!;
    // counts (+1): there 501, their 301, they're 101 of 903; "there" was emitted
    expect(alternatives.map((a) => [a.word, Number(a.probability.toFixed(4))])).toEqual([
      ['their', 0.3333],
      ["they're", 0.1118],
    ]);
  });

  it("gives each alternative its probability among the homophones: the LM's P(word | history), whatever alpha and beta", async () => {
    for (const [alpha, beta] of [
      [1, 0],
      [2, 0.5],
    ]) {
      const r = await decodeAll(decoder(bigram(alpha, beta)), THEIR_CAR);
      expect(r.words[0].word).toBe('their');
      // after <s>: their e^-1.5, there e^-1.5, they're e^-2; their and there tie, so they split
      // their 2·e^-1.5 by count + 1 (301 : 501)
      const expected = {
        there: (2 * 501) / 802 / (2 + Math.exp(-0.5)),
        "they're": Math.exp(-0.5) / (2 + Math.exp(-0.5)),
      };
      for (const a of r.words[0].alternatives!)
        expect(a.probability).toBeCloseTo(expected[a.word as keyof typeof expected], 6);
    }
  });

  it('splits the probability of spellings the LM does not know (all <unk>) by word frequency', async () => {
    const lexicon = `${LEXICON}mat M AE T\nmatte M AE T\nmatt M AE T\n`;
    const { trie } = buildLexiconTrie({ alphabet: PHONES, lexicon, wordCounts: `${COUNTS}mat\t3\nmatte\t1\n` });
    const dec = new LexiconBeamDecoder(UNITS, trie, { ...defaultLexiconBeamConfig(), secondsPerStep: 0.02 }, bigram());
    const r = await decodeAll(dec, frames(['M', 'AE', 'T']));
    expect(r.words[0].word).toBe('mat');
    // counts + 1: mat 4, matte 2, matt 1 of 7 (the bigram LM gives all three the same <unk> score)
    const shares = Object.fromEntries(r.words[0].alternatives!.map((a) => [a.word, a.probability]));
    expect(shares.matte).toBeCloseTo(2 / 7, 6);
    expect(shares.matt).toBeCloseTo(1 / 7, 6);
  });

  it('sends all LM requests of a step in one batched score call', async () => {
    const scorer = bigram();
    await decodeAll(decoder(scorer), THEIR_CAR);
    expect(scorer.calls.length).toBeGreaterThan(0);
    expect(scorer.calls.length).toBeLessThanOrEqual(THEIR_CAR.length);
    // the step that completes DH EH R asks for the three homophones together
    const homophoneCall = scorer.calls.find((c) => c.some((r) => r.word === 'their'));
    expect(homophoneCall?.map((r) => r.word).sort()).toEqual(['their', 'there', "they're"]);
    // and no (context, word) pair is asked twice in one call
    for (const call of scorer.calls) {
      const keys = call.map((r) => `${r.context.id} ${r.word}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
    expect(scorer.endCalls).toHaveLength(1);
  });

  it('scores words outside the LM vocabulary with <unk> instead of banning them', async () => {
    const r = await decodeAll(decoder(bigram()), frames(['Z', 'AO', 'R', 'K']));
    expect(r.text).toBe('zork');
  });

  it('gives word start/end times from the frames of their first and last phonemes', () => {
    const dec = decoder();
    dec.reset(1.0);
    const f: Frame[] = ['_', '_', '_', '_', '_', 'K', 'K', 'AA', 'R', 'R', '_', '_'];
    dec.nextSync(logProbsFrom(PHONES, f), f.length);
    const [car] = dec.finalizeSync().words;
    expect(car.word).toBe('car');
    expect(car.start).toBeCloseTo(1.1); // step 5
    expect(car.end).toBeCloseTo(1.2); // R held through step 9
    expect(car.confidence).toBeCloseTo(0.9, 3);
    expect(dec.trailingBlankSteps()).toBe(2);
  });

  it('prefers the longer word when the acoustics continue (car + Z = cars, not "car" + junk)', () => {
    const dec = decoder();
    const f = frames(['K', 'AA', 'R', 'Z']);
    dec.nextSync(logProbsFrom(PHONES, f), f.length);
    expect(dec.finalizeSync().text).toBe('cars');
  });

  it('flushes an unfinished word at finalize as an unknown /PH PH/ word', () => {
    const dec = decoder();
    const f: Frame[] = ['_', 'K', 'AA', '_'];
    dec.nextSync(logProbsFrom(PHONES, f), f.length);
    const r = dec.finalizeSync();
    expect(r.text).toBe('/K AA/');
    expect(r.words[0].unknown).toBe(true);
  });

  it('with an LM, the end of input closes a word: a hypothesis stopped where "car" ends gives "car", not /K AA R/, even when the LM rates <unk> above it', async () => {
    const unkFriendly = () => new FakeBigramScorer(1, 0, ['car', 'cars'], { '<s> car': -8, '<s> cars': -8 }, -20, -3);
    const r = await decodeAll(decoder(unkFriendly()), frames(['K', 'AA', 'R']));
    expect(r.text).toBe('car');
    expect(r.words[0].unknown).toBeFalsy();
    // where no word ends, the phonemes are still flushed as an unknown word
    const partial: Frame[] = ['_', 'K', 'AA', '_'];
    const u = await decodeAll(decoder(unkFriendly()), partial);
    expect(u.text).toBe('/K AA/');
    expect(u.words[0].unknown).toBe(true);
  });

  it('boosts hotwords: a bonus on "their" overrides the frequency choice without a scorer... when it is a separate hypothesis', async () => {
    // with a flat scorer every homophone is a hypothesis; the hotword bonus then decides
    const flat = new FakeBigramScorer(1, 0, ['there', 'their', "they're", 'car'], {}, -3);
    const { trie } = buildLexiconTrie({ alphabet: PHONES, lexicon: LEXICON, wordCounts: COUNTS });
    const config = {
      ...defaultLexiconBeamConfig(),
      hotwords: [
        { phrase: "they're", bonus: 2 },
        { phrase: 'kubernetes', bonus: 2 },
      ],
    };
    const dec = new LexiconBeamDecoder(UNITS, trie, config, flat);
    const r = await decodeAll(dec, frames(['DH', 'EH', 'R']));
    expect(r.text).toBe("they're");
    expect(dec.unknownHotwords).toEqual(['kubernetes']);
  });

  it('gives identical results for any chunking, with and without a scorer', async () => {
    const rnd = seededRandom(11);
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      const n = 1 + Math.floor(rnd() * 5);
      lines.push(`w${i} ` + Array.from({ length: n }, () => ARPABET_39[Math.floor(rnd() * 39)]).join(' '));
    }
    const { trie } = buildLexiconTrie({ alphabet: PHONES, lexicon: lines.join('\n') });
    const lp = randomLogProbs(K, 240, 5);
    const words = Array.from({ length: 100 }, (_, i) => trie.word(i));
    const makeScorer = () =>
      new FakeBigramScorer(
        0.5,
        1,
        words,
        Object.fromEntries(words.map((w, i) => [`${words[(i * 7) % 100]} ${w}`, -1])),
        -4,
        -7,
      );
    for (const withScorer of [false, true]) {
      const run = async (sizes: number[]) => {
        const dec = new LexiconBeamDecoder(UNITS, trie, defaultLexiconBeamConfig(), withScorer ? makeScorer() : null);
        for (const c of chunked(lp, K, sizes)) await dec.next(c.logProbs, c.steps);
        return { partial: dec.partial(), trailing: dec.trailingBlankSteps(), final: await dec.finalize() };
      };
      const expected = await run([240]);
      expect(expected.final.words.length).toBeGreaterThan(3);
      for (const sizes of [[1], [5], [3, 17, 1, 64]]) expect(await run(sizes)).toEqual(expected);
    }
  });

  it("serializes overlapping next() calls and copies the caller's buffer", async () => {
    const scorer = bigram();
    const dec = decoder(scorer);
    const buf = logProbsFrom(PHONES, THEIR_CAR.slice(0, 8));
    const first = dec.next(buf, 8);
    const second = dec.next(logProbsFrom(PHONES, THEIR_CAR.slice(8)), THEIR_CAR.length - 8);
    buf.fill(0); // reused by the caller before the decoder finished
    await Promise.all([first, second]);
    expect((await dec.finalize()).text).toBe('their car');
  });

  it('decodes the full CMUdict trie with random-ish posteriors (K=40) well under real time', () => {
    const path = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
    if (!existsSync(path)) return;
    const { trie } = buildLexiconTrie({ alphabet: PHONES, lexicon: readFileSync(path, 'utf8') });
    const steps = 33 * 30; // 30 s of audio at ~33 steps/s
    const lp = randomLogProbs(K, steps, 9);
    const results: string[] = [];
    for (const beamWidth of [8, 12, 16]) {
      const dec = new LexiconBeamDecoder(UNITS, trie, { ...defaultLexiconBeamConfig(), beamWidth });
      dec.nextSync(lp, 200); // warm-up
      dec.reset();
      const cpu0 = process.cpuUsage(); // CPU time: robust to other jobs on a shared machine
      dec.nextSync(lp, steps);
      dec.finalizeSync();
      const cpu = process.cpuUsage(cpu0);
      const msPerStep = (cpu.user + cpu.system) / 1000 / steps;
      results.push(`beam ${beamWidth}: ${(msPerStep * 1000).toFixed(0)} µs/step (RTF ${(msPerStep / 30).toFixed(4)})`);
      expect(msPerStep).toBeLessThan(1.5); // RTF 0.05 at 30 ms per step, for the whole pipeline
    }
    console.log('lexicon beam decoder, full CMUdict:', results.join('; '));
  });

  it('with the unigram prior (and its look-ahead), a common word beats a rare one the acoustics slightly prefer', () => {
    const lexicon = 'at AE T\nutt AH T\n';
    const counts = 'at\t1000\nutt\t1\n';
    const { trie } = buildLexiconTrie({ alphabet: PHONES, lexicon, wordCounts: counts });
    const f: Frame[] = ['_', { AH: 0.5, AE: 0.4 }, 'T', '_'];
    const run = (unigramWeight: number) => {
      const dec = new LexiconBeamDecoder(UNITS, trie, {
        ...defaultLexiconBeamConfig(),
        secondsPerStep: 0.02,
        unigramWeight,
      });
      dec.nextSync(logProbsFrom(PHONES, f), f.length);
      return dec.finalizeSync().text;
    };
    expect(run(0)).toBe('utt');
    expect(run(1)).toBe('at');
  });

  it('with a blank penalty, keeps a word whose phones the posteriors under-rate against blank (search only: confidences unchanged)', () => {
    // "car" spoken, but the model gives each phone 0.3 and blank 0.6 at its frame: all-blank is 2^3 times likelier
    const weak = (ph: string): Frame => ({ [ph]: 0.3, _: 0.6 });
    const f: Frame[] = ['_', weak('K'), weak('AA'), weak('R'), '_'];
    const run = (blankPenalty: number) => {
      const { trie } = buildLexiconTrie({ alphabet: PHONES, lexicon: LEXICON, wordCounts: COUNTS });
      const dec = new LexiconBeamDecoder(UNITS, trie, {
        ...defaultLexiconBeamConfig(),
        secondsPerStep: 0.02,
        blankPenalty,
      });
      dec.nextSync(logProbsFrom(PHONES, f), f.length);
      return dec.finalizeSync();
    };
    expect(run(0).text).toBe('');
    // each blank frame now costs 1 more: 5 for all-blank, 2 for "car" (log 8 ≈ 2.08 behind): "car" wins
    const r = run(1);
    expect(r.text).toBe('car');
    expect(r.words[0].confidence).toBeCloseTo(0.3, 5);
    // clear posteriors are read the same with or without it
    for (const blankPenalty of [0, 1]) {
      const { trie } = buildLexiconTrie({ alphabet: PHONES, lexicon: LEXICON, wordCounts: COUNTS });
      const dec = new LexiconBeamDecoder(UNITS, trie, { ...defaultLexiconBeamConfig(), blankPenalty });
      dec.nextSync(logProbsFrom(PHONES, THERE_IS), THERE_IS.length);
      expect(dec.finalizeSync().text).toBe('there is');
    }
  });
});
