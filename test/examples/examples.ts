/**
 * README's examples, reproduced: the examples in examples.json (each a command, the files and
 * setup commands it needs, and what it printed when recorded) are run with the bundled models and
 * compared with what was recorded, and README's Examples section is generated from the same file.
 *
 *   npm run examples                  run every example: PASS/FAIL each, and whether README is in sync
 *   npm run examples -- --write       record what the commands print now, rewrite README's section
 *   npm run examples -- --only ID     one example
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeText } from '../../renderer/engine/metrics/error-rate';

/** The words of the output are those said (case and punctuation, the readable text's, aside). */
export function sameWords(output: string, said: string): boolean {
  return normalizeText(output) === normalizeText(said);
}

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const EXAMPLES_FILE = join(ROOT, 'test/examples/examples.json');
const README = join(ROOT, 'README.md');
const BIN = join(ROOT, 'main/cli/bin.mjs');

export interface Example {
  id: string;
  title: string;
  note?: string;
  /** Files written into the example's folder first: name → text. */
  files?: Record<string, string>;
  /** Commands run before `command` (making the audio): argv arrays. */
  setup?: string[][];
  /** argv; `earshot` is this checkout's CLI (what `npx earshot` runs). */
  command: string[];
  /** What the speech says, when the input is speech. */
  said?: string;
  /** What the command printed when recorded (trailing white space trimmed). */
  stdout: string;
  stderr: string;
  /** Its exit code when recorded. */
  code?: number;
}

export interface ExamplesFile {
  about: string;
  examples: Example[];
}

export interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

export function loadExamples(file = EXAMPLES_FILE): ExamplesFile {
  return JSON.parse(readFileSync(file, 'utf8')) as ExamplesFile;
}

/** ANSI escape sequences (colours, cursor moves) in a program's output. */
// eslint-disable-next-line no-control-regex -- ESC is the character to match
const ANSI_ESCAPE = /\x1b\[[0-9;]*[A-Za-z]/g;

function clean(text: string): string {
  return text
    .replace(ANSI_ESCAPE, '')
    .replace(/[ \t]+$/gm, '')
    .trimEnd();
}

/** Runs one example in a fresh folder: its files, its setup, then its command. */
export function runExample(example: Example): Outcome {
  const dir = mkdtempSync(join(tmpdir(), `earshot-example-${example.id}-`));
  try {
    for (const [name, text] of Object.entries(example.files ?? {})) writeFileSync(join(dir, name), text);
    for (const [cmd, ...args] of example.setup ?? []) execFileSync(cmd, args, { cwd: dir, stdio: 'pipe' });
    const [cmd, ...args] = example.command;
    const argv = cmd === 'earshot' ? [process.execPath, BIN, ...args] : [cmd, ...args];
    const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, encoding: 'utf8', timeout: 300_000 });
    if (r.error) throw r.error;
    return { stdout: clean(r.stdout), stderr: clean(r.stderr), code: r.status ?? -1 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function matches(example: Example, outcome: Outcome): boolean {
  return outcome.stdout === example.stdout && outcome.stderr === example.stderr && outcome.code === (example.code ?? 0);
}

function shellWord(word: string): string {
  return /^[\w./:=@%+-]+$/.test(word) ? word : `"${word.replace(/(["\\$`])/g, '\\$1')}"`;
}

function commandLine(argv: string[]): string {
  return (argv[0] === 'earshot' ? ['npx', ...argv] : argv).map(shellWord).join(' ');
}

export const BLOCK_BEGIN =
  '<!-- examples:begin: generated from test/examples/examples.json by `npm run examples -- --write`; `npm run examples` checks it -->';
export const BLOCK_END = '<!-- examples:end -->';

/** README's Examples section body, from the recorded outputs. */
export function readmeBlock(file: ExamplesFile): string {
  const out: string[] = [BLOCK_BEGIN];
  for (const ex of file.examples) {
    out.push(`- **${ex.title}**${ex.note ? `, ${ex.note}` : ''}:`, '');
    for (const [name, text] of Object.entries(ex.files ?? {})) {
      out.push(
        `      $ cat ${name}`,
        ...text
          .trimEnd()
          .split('\n')
          .map((l) => `      ${l}`),
      );
    }
    for (const argv of ex.setup ?? []) out.push(`      $ ${commandLine(argv)}`);
    out.push(`      $ ${commandLine(ex.command)}`);
    for (const line of [ex.stdout, ex.stderr].filter(Boolean).join('\n').split('\n'))
      if (line) out.push(`      ${line}`);
    if ((ex.code ?? 0) !== 0) out.push(`      (exit code ${ex.code})`);
    out.push('');
    if (ex.said !== undefined) {
      out.push(
        sameWords(ex.stdout, ex.said)
          ? '  Word for word.'
          : `  The model gets this one wrong: the speech says "${ex.said}".`,
        '',
      );
    }
  }
  out.push(BLOCK_END);
  return out.join('\n');
}

/** The README text between the markers (markers included), or null when there is none. */
export function currentBlock(readme: string): string | null {
  const begin = readme.indexOf(BLOCK_BEGIN);
  const end = readme.indexOf(BLOCK_END);
  return begin >= 0 && end > begin ? readme.slice(begin, end + BLOCK_END.length) : null;
}

/** JSON with arrays of strings on one line (setup commands stay readable). */
function formatJson(value: unknown): string {
  return (
    JSON.stringify(value, null, 2).replace(
      /\[\s+((?:"(?:[^"\\]|\\.)*",?\s*)+)\]/g,
      (_, items: string) =>
        `[${items
          .split(/",\s+"/)
          .join('", "')
          .trim()}]`,
    ) + '\n'
  );
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const write = args.includes('--write');
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const file = loadExamples();
  let failed = 0;
  for (const ex of file.examples) {
    if (only !== undefined && ex.id !== only) continue;
    const t0 = Date.now();
    const got = runExample(ex);
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    const exact =
      ex.said === undefined
        ? ''
        : sameWords(got.stdout, ex.said)
          ? '  (word for word)'
          : `  (model error: said "${ex.said}")`;
    if (matches(ex, got)) {
      process.stdout.write(`PASS ${ex.id}  ${seconds} s: ${got.stdout.split('\n')[0]}${exact}\n`);
    } else if (write) {
      process.stdout.write(`NEW  ${ex.id}  ${seconds} s: ${got.stdout.split('\n')[0]}${exact}\n`);
    } else {
      failed++;
      process.stdout.write(`FAIL ${ex.id}  ${seconds} s\n`);
      for (const key of ['stdout', 'stderr'] as const) {
        if (got[key] !== ex[key])
          process.stdout.write(
            `  ${key} README: ${JSON.stringify(ex[key])}\n  ${key} now:    ${JSON.stringify(got[key])}\n`,
          );
      }
      if (got.code !== (ex.code ?? 0)) process.stdout.write(`  exit code README: ${ex.code ?? 0}, now: ${got.code}\n`);
    }
    if (write) Object.assign(ex, { stdout: got.stdout, stderr: got.stderr, code: got.code });
  }
  const readme = readFileSync(README, 'utf8');
  const block = currentBlock(readme);
  if (write) {
    writeFileSync(EXAMPLES_FILE, formatJson(file));
    if (block === null) throw new Error(`README has no examples block (${BLOCK_BEGIN} … ${BLOCK_END})`);
    writeFileSync(README, readme.replace(block, readmeBlock(file)));
    process.stdout.write("recorded the outputs in test/examples/examples.json and rewrote README's Examples section\n");
    return 0;
  }
  if (block !== readmeBlock(file)) {
    failed++;
    process.stdout.write(
      'FAIL README: its Examples section is not what examples.json gives (npm run examples -- --write)\n',
    );
  } else {
    process.stdout.write('PASS README: the Examples section shows these outputs\n');
  }
  process.stdout.write(failed ? `${failed} failed\n` : 'all examples reproduce\n');
  return failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`examples: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
