/**
 * createRecognizer, the models createEngine streams through: what it reports of the lexicon and hotwords.
 * Streaming itself (block sizes, resampling, level and features, rates refused, audio arriving mid-step)
 * is tested through the engine (../engine.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseModelPackage } from '../../../../models/package/load-package';
import { buildLexiconTrie } from '../../../../renderer/engine/decoding/lexicon-trie';
import { createRecognizer, defaultRecognizerConfig } from '../../../../renderer/engine/pipeline/recognizer';
import { makePhonemeCtcModel, testPackageFiles } from '../../../fixtures/make-test-models';

describe('Recognizer', () => {
  it('uses a lexicon built elsewhere (options.lexicon) instead of building one from the package', async () => {
    const pkg = parseModelPackage(testPackageFiles(makePhonemeCtcModel({ seed: 13 })));
    const out = pkg.json.output as { alphabet: string[] };
    const lexicon = buildLexiconTrie({ alphabet: out.alphabet, lexicon: 'gobbet G AO B AH T\n' });
    const config = { ...defaultRecognizerConfig(), backend: 'reference' as const, hotwords: ['gobbet', 'cat'] };
    const own = await createRecognizer(pkg, null, config);
    expect(own.info.unknownHotwords).toEqual(['gobbet']);
    // no lexicon text needed then
    const given = await createRecognizer({ ...pkg, files: {} }, null, config, { lexicon });
    expect(given.info.unknownHotwords).toEqual(['cat']);
    await expect(createRecognizer({ ...pkg, files: {} }, null, config)).rejects.toThrow(/needs a lexicon file/);
    own.dispose();
    given.dispose();
  });
});
