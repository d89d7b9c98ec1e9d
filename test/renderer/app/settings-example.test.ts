import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkUserLexicon } from '../../../renderer/engine/decoding/lexicon';

const ROOT = resolve(__dirname, '../../..');

describe('Settings → Pronunciations help', () => {
  it('gives an example the bundled model takes as it is: ARPAbet capitals without stress digits, as README says', () => {
    const html = readFileSync(resolve(ROOT, 'renderer/index.html'), 'utf8');
    const help = /<p id="lexicon-help"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? '';
    const example = /e\.g\.\s+<code>([^<]+)<\/code>/.exec(help)?.[1];
    expect(example).toBeDefined();
    expect(example).not.toMatch(/\d/);
    const alphabet = JSON.parse(readFileSync(resolve(ROOT, 'models/default/acoustic/model.json'), 'utf8')).output
      .alphabet as string[];
    expect(checkUserLexicon(`${example}\n`, { alphabet })).toEqual([]);
    expect(readFileSync(resolve(ROOT, 'README.md'), 'utf8')).toMatch(/ARPAbet without stress digits/);
  });
});
