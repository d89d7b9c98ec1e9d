import { describe, expect, it } from 'vitest';
import { takeOption } from '../../../models/recipe/cli-args';

describe('takeOption (recipe tools and LM benches)', () => {
  it('takes `--name value` out of argv, leaving the positional arguments and bare flags', () => {
    const argv = ['--model', 'm', 'set1.tsv', '--no-lm', '--limit', '5', 'set2.tsv'];
    expect(takeOption(argv, 'limit')).toBe('5');
    expect(takeOption(argv, 'model')).toBe('m');
    expect(argv).toEqual(['set1.tsv', '--no-lm', 'set2.tsv']);
  });

  it('answers undefined for an absent option and leaves argv alone; only the first of a repeated one is taken', () => {
    const argv = ['--json', 'a.json', 'set.tsv', '--json', 'b.json'];
    expect(takeOption(argv, 'model')).toBeUndefined();
    expect(takeOption(argv, 'json')).toBe('a.json');
    expect(argv).toEqual(['set.tsv', '--json', 'b.json']);
  });
});
