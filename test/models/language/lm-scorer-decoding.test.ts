import { describe, expect, it } from 'vitest';
import { createLmScorer } from '../../../models/language/lm-scorer';
import { parseModelPackage } from '../../../models/package/load-package';
import { ARPABET_39 } from '../../../renderer/engine/decoding/lexicon';
import { defaultLexiconBeamConfig, LexiconBeamDecoder } from '../../../renderer/engine/decoding/lexicon-beam-decoder';
import { buildLexiconTrie } from '../../../renderer/engine/decoding/lexicon-trie';
import { makeWordLm, TEST_LEXICON, TEST_WORD_COUNTS, testPackageFiles } from '../../fixtures/make-test-models';
import { logProbsFrom, type Frame } from '../../renderer/engine/decoding/posterior-builder';
import { DirectLm } from './direct-lm';

const PHONES = ['_', ...ARPABET_39];

describe('the RNN LM scorer inside the lexicon beam decoder', () => {
  for (const seed of [3, 4, 5, 6]) {
    it(`spells the homophone T UW after "the" as the LM ranks to / two / too (test LM seed ${seed}), alpha·log P + beta applied once`, async () => {
      const pkg = parseModelPackage(testPackageFiles(makeWordLm({ seed })));
      const direct = new DirectLm(pkg);
      const after = direct.logProbs(['the']);
      const ranked = ['to', 'two', 'too'].sort((a, b) => after[direct.id(b)] - after[direct.id(a)]);
      const scorer = await createLmScorer(pkg);
      try {
        const { trie } = buildLexiconTrie({
          alphabet: PHONES,
          lexicon: TEST_LEXICON.toLowerCase(),
          wordCounts: TEST_WORD_COUNTS,
        });
        const dec = new LexiconBeamDecoder({ alphabet: PHONES, blank: 0 }, trie, defaultLexiconBeamConfig(), scorer);
        // one frame per phoneme: the word is emitted at exactly one step (a held phoneme can re-emit it at
        // the next step, merged into the first emission, and that copy carries no alternatives)
        const f: Frame[] = ['_', 'TH', 'AH', '_', 'T', 'UW', '_'];
        await dec.next(logProbsFrom(PHONES, f), f.length);
        const result = await dec.finalize();
        expect(result.words.map((w) => w.word)).toEqual(['the', ranked[0]]);
        // the alternatives it beat carry the decoder's LM term: alpha·log P(w | the) + beta (0.5, 1.0 in the test LM)
        const alternatives = result.words[1].alternatives ?? [];
        expect(alternatives.map((a) => a.word)).toEqual(ranked.slice(1));
        for (const a of alternatives) expect(a.score).toBeCloseTo(0.5 * after[direct.id(a.word)] + 1.0, 4);
      } finally {
        scorer.dispose();
      }
    });
  }
});
