/**
 * The import direction (issue 13), so that `npm test` and CI check it: the same dependency-cruiser run as
 * `npm run lint:deps` (.ci/dependency-cruiser.cjs), on the source tree and on a small tree that breaks every rule.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = join(REPO, '.ci/dependency-cruiser.cjs');
const KNOWN = join(REPO, '.ci/dependency-known-violations.json');
const DEPCRUISE = join(REPO, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: { name: string }[];
}
interface CruiseSummary {
  error: number;
  warn: number;
  ignore: number;
  totalCruised: number;
  violations: Violation[];
}

async function cruise(cwd: string, folders: string[]): Promise<CruiseSummary> {
  // exit status 1 means "violations found": the JSON on stdout says which
  const run = promisify(execFile)(
    process.execPath,
    [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', ...folders],
    { cwd, maxBuffer: 256 * 1024 * 1024 },
  ).catch((e: { stdout?: string; stderr?: string; message: string }) => {
    if (e.stdout) return { stdout: e.stdout };
    throw new Error(`dependency-cruiser failed: ${e.stderr || e.message}`);
  });
  return (JSON.parse((await run).stdout) as { summary: CruiseSummary }).summary;
}

const line = (v: Violation) =>
  `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (circle: ${v.cycle.map((c) => c.name).join(' -> ')})` : ''}`;

describe('import rules (.ci/dependency-cruiser.cjs)', () => {
  it('hold for main, renderer, models and the benches, apart from the listed known violations, each of which still occurs', async () => {
    const summary = await cruise(REPO, ['main', 'renderer', 'models', 'test/bench']);
    expect(summary.totalCruised).toBeGreaterThan(150); // the TypeScript sources were parsed, not only the .mjs files
    const broken = summary.violations.filter((v) => v.rule.severity !== 'ignore').map(line);
    expect(broken, 'import rule violations (npm run lint:deps)').toEqual([]);
    const seen = new Set(
      summary.violations.filter((v) => v.rule.severity === 'ignore').map((v) => `${v.rule.name} ${v.from} ${v.to}`),
    );
    const known = JSON.parse(readFileSync(KNOWN, 'utf8')) as Violation[];
    const gone = known.filter((v) => !seen.has(`${v.rule.name} ${v.from} ${v.to}`)).map(line);
    expect(gone, `fixed: remove these from ${KNOWN}`).toEqual([]);
  });

  const fixture = mkdtempSync(join(tmpdir(), 'earshot-deps-'));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));

  it('catch each kind of violation, type-only imports included', async () => {
    const files: Record<string, string> = {
      'tsconfig.node.json':
        '{ "compilerOptions": { "module": "ESNext", "moduleResolution": "Bundler" }, "include": ["**/*.ts"] }',
      'renderer/app/view.ts':
        "import { store } from '../../main/store';\nimport { shared } from '../shared/schema';\nexport const view = store + shared;\n",
      'renderer/shared/schema.ts': 'export const shared = 1;\n',
      'renderer/engine/decode.ts':
        "import { view } from '../app/view';\nimport type { Tensor } from '../../models/rnn/tensor';\nexport const decode = (t: Tensor) => view + t.n;\n",
      'renderer/engine/index.ts': "export { decode } from './decode';\n",
      'main/cli.ts': "import { decode } from '../renderer/engine/index';\nexport const cli = decode;\n",
      'test/bench/bench.ts':
        "import { decode } from '../../renderer/engine/decode';\nimport { decode as viaEntry } from '../../renderer/engine/index';\nimport type { Tensor } from '../../models/rnn/tensor';\nexport const bench = (t: Tensor) => decode(t) + viaEntry(t);\n",
      'main/store.ts':
        "import { shared } from '../renderer/shared/schema';\nimport { decode } from '../renderer/engine/decode';\nimport { view } from '../renderer/app/view';\nexport const store = shared + view + (decode ? 1 : 0);\n",
      'models/rnn/tensor.ts':
        "import type { Stack } from './stack';\nexport interface Tensor { n: number; stack?: Stack }\n",
      'models/rnn/stack.ts':
        "import type { Tensor } from './tensor';\nimport { decode } from '../../renderer/engine/decode';\nexport interface Stack { t: Tensor; d: typeof decode }\n",
      'models/recipe/tool.ts':
        "import { store } from '../../main/store';\nimport { decode } from '../../renderer/engine/decode';\nimport type { Tensor } from '../rnn/tensor';\nexport const tool = (t: Tensor) => store + decode(t);\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    }
    const summary = await cruise(fixture, ['main', 'renderer', 'models', 'test/bench']);
    const found = summary.violations
      .filter((v) => v.rule.name !== 'no-circular')
      .map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)
      .sort();
    // main/cli.ts and test/bench/bench.ts through the entry, and the bench's own use of the model runtime: allowed
    expect(found).toEqual([
      'callers-use-engine-entry: main/store.ts -> renderer/engine/decode.ts',
      'callers-use-engine-entry: models/recipe/tool.ts -> renderer/engine/decode.ts',
      'callers-use-engine-entry: test/bench/bench.ts -> renderer/engine/decode.ts',
      'callers-via-engine-not-runtime: models/recipe/tool.ts -> models/rnn/tensor.ts',
      'engine-not-up: renderer/engine/decode.ts -> renderer/app/view.ts',
      'main-only-shared-and-engine: main/store.ts -> renderer/app/view.ts',
      'model-runtime-not-up: models/rnn/stack.ts -> renderer/engine/decode.ts',
      'recipe-tools-via-engine: models/recipe/tool.ts -> main/store.ts',
      'renderer-not-main: renderer/app/view.ts -> main/store.ts',
    ]);
    const circles = summary.violations.filter((v) => v.rule.name === 'no-circular').map(line);
    // models/rnn: tensor <-> stack through type-only imports
    expect(
      circles.filter((c) => c.includes('models/rnn/tensor.ts') && c.includes('models/rnn/stack.ts')),
      circles.join('\n'),
    ).not.toEqual([]);
    expect(summary.error).toBe(summary.violations.length);
  });
});
