import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  currentBlock,
  loadExamples,
  matches,
  readmeBlock,
  ROOT,
  runExample,
  sameWords,
  type Example,
} from './examples';

describe('README examples (npm run examples)', () => {
  const file = loadExamples();

  it('README shows exactly the recorded outputs of test/examples/examples.json', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(currentBlock(readme)).toBe(readmeBlock(file));
  });

  it('says where the model gets a spoken example wrong', () => {
    // readable text ("The cat ... bat.") is right when its words are the speech's
    const examples = file.examples.filter((e) => e.said !== undefined);
    const wrong = examples.filter((e) => !sameWords(e.stdout, e.said!));
    for (const e of wrong)
      expect(readmeBlock(file)).toContain(`The model gets this one wrong: the speech says "${e.said}".`);
    expect(readmeBlock(file).split('Word for word.').length - 1).toBe(examples.length - wrong.length);
    for (const e of file.examples) expect(e.stdout !== '' || e.stderr !== '').toBe(true); // every example was recorded
  });

  it('passes an example whose command prints what was recorded, and fails one that does not', () => {
    const example: Example = {
      id: 'echo',
      title: 'echo',
      command: [process.execPath, '-e', 'console.log("hello"); console.error("note"); process.exitCode = 1'],
      stdout: 'hello',
      stderr: 'note',
      code: 1,
    };
    const outcome = runExample(example);
    expect(matches(example, outcome)).toBe(true);
    expect(matches({ ...example, stdout: 'hullo' }, outcome)).toBe(false);
    expect(matches({ ...example, code: 0 }, outcome)).toBe(false);
  });

  it('the --lexicon example reproduces with the bundled models', () => {
    const example = file.examples.find((e) => e.id === 'lexicon-problems')!;
    expect(runExample(example)).toEqual({ stdout: example.stdout, stderr: example.stderr, code: example.code ?? 0 });
  }, 60_000);
});
