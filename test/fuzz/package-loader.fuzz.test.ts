/**
 * Smoke version of the loader fuzzer (test/bench/fuzz.ts, 1,000+ cases): 100 seeded mutated model
 * packages through loadModelPackage → createEngine → a stream. Each must load and run, or fail
 * with a clear error (a named loader error or a readable message, never a TypeError/RangeError from
 * deep inside), and must not fail after it loaded. A failing case prints its index and label:
 * replay it with `npx tsx test/bench/fuzz.ts --only package:INDEX --seed 7`.
 */
import { expect, it } from 'vitest';
import { runPackageCase, type CaseResult } from './fuzz-cases';
import { caseRandom } from './fuzz-worker';
import { basePackages, mutatePackage } from './package-mutations';

const SEED = 7;
const CASES = 100;

it(`${CASES} mutated model packages load and run, or fail with a clear error`, async () => {
  const bases = basePackages();
  const results: CaseResult[] = [];
  for (let i = 0; i < CASES; i++) results.push(await runPackageCase(i, mutatePackage(caseRandom(SEED, i), bases)));
  const problems = results.filter((r) => r.outcome !== 'ok' && r.outcome !== 'clean-error');
  expect(
    problems.map((r) => `#${r.index} ${r.outcome} [${r.stage}] ${r.errorName}: ${r.message} ← ${r.label}`),
  ).toEqual([]);
  // the mix is worth testing: some cases get through to the recognizer, most are refused
  expect(results.filter((r) => r.outcome === 'ok').length).toBeGreaterThan(0);
  expect(results.filter((r) => r.outcome === 'clean-error').length).toBeGreaterThan(CASES / 2);
}, 60_000);
