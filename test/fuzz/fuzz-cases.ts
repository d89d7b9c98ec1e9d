/**
 * Runs one fuzz case through the real entry points and classifies what happened.
 *
 *   package case  loadModelPackage(source) → createEngine({ acoustic: pkg }) → a stream fed 0.5 s of audio
 *                 (punctuation and spelling packages: createPunctuator / createSpeller → tag / spell a few inputs)
 *                 at two sample rates, 100 ms blocks, to the end of input
 *   audio case    the bytes written to a file → openAudioFile(path) read block by block (the CLI's
 *                 reader) and readAudioFile(path) (whole file), which must agree → an engine
 *                 stream fed the first 3 s in 100 ms blocks, to the end of input
 *
 * Outcomes:
 *   ok             everything ran
 *   clean-error    it failed with an Error whose message says what is wrong (one of the loaders'
 *                  named errors, or a plain Error with a readable message)
 *   unclear-error  it failed with a TypeError/RangeError/… from deep inside, a non-Error, an empty
 *                  message, or a message that is a JavaScript engine's complaint ("Cannot read
 *                  properties of undefined", "Invalid typed array length", …), even when wrapped
 *   pipeline-error audio that was read (or a package that was loaded) then failed in the engine:
 *                  a bug whatever the message
 * (Hangs and crashes are caught one level up: the fuzz script runs cases in a worker with a timeout.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAudioFile, readAudioFile } from '../../renderer/engine/node/audio-file';
import { loadModelPackage, parseModelPackage, type LoadedPackage } from '../../models/package/load-package';
import { lastValueFrom } from 'rxjs';
import { createEngine, type AudioBlock, type Engine } from '../../renderer/engine';
import { createPunctuator, type Punctuator } from '../../models/language/punctuator';
import { createSpeller, type Speller } from '../../models/language/speller';
import { makePhonemeCtcModel, testPackageFiles } from '../fixtures/make-test-models';
import { baseSignal, type AudioCase } from './audio-mutations';
import type { PackageCase } from './package-mutations';

export type Outcome = 'ok' | 'clean-error' | 'unclear-error' | 'pipeline-error' | 'hang' | 'crash';

export interface CaseResult {
  index: number;
  label: string;
  outcome: Outcome;
  /** Where it stopped: 'load', 'recognizer', 'stream' (packages); 'read', 'stream' (audio). */
  stage?: string;
  errorName?: string;
  message?: string;
  ms: number;
}

/** The JavaScript engine's own complaints: a message starting like this is not "clear". */
const ENGINE_COMPLAINT =
  /^(cannot (read|set) propert|undefined|null|\[object |[\w$.]+ is not (a function|defined|iterable|a constructor)|invalid (typed )?array length|offset is out of bounds|start offset|maximum call stack|array buffer allocation failed|unreachable|memory access out of bounds|out of memory|invalid string length|too many arguments|source is too large|RuntimeError)/i;
const UNCLEAR_NAMES = new Set([
  'TypeError',
  'RangeError',
  'ReferenceError',
  'SyntaxError',
  'EvalError',
  'URIError',
  'InternalError',
  'RuntimeError',
  'CompileError',
  'LinkError',
]);

export function classifyError(error: unknown): { clear: boolean; name: string; message: string } {
  if (!(error instanceof Error)) return { clear: false, name: typeof error, message: String(error) };
  const message = error.message ?? '';
  // a named loader error may quote an inner message after a colon; what counts is how it starts
  const clear = !UNCLEAR_NAMES.has(error.name) && message.trim().length >= 10 && !ENGINE_COMPLAINT.test(message.trim());
  return { clear, name: error.name, message };
}

function fail(
  index: number,
  label: string,
  stage: string,
  error: unknown,
  t0: number,
  afterSuccess: boolean,
): CaseResult {
  const c = classifyError(error);
  return {
    index,
    label,
    stage,
    errorName: c.name,
    message: c.message.slice(0, 300),
    ms: performance.now() - t0,
    outcome: afterSuccess ? 'pipeline-error' : c.clear ? 'clean-error' : 'unclear-error',
  };
}

/** Feeds `samples` to a fresh stream of the engine in 100 ms blocks (at most `maxSeconds`) to the end of input. */
async function stream(engine: Engine, sampleRate: number, samples: Float32Array, maxSeconds: number): Promise<void> {
  const end = Math.min(samples.length, Math.round(sampleRate * maxSeconds));
  const block = Math.max(1, Math.round(sampleRate / 10));
  function* blocks(): Generator<AudioBlock> {
    for (let i = 0; i < end; i += block) yield { sampleRate, samples: samples.subarray(i, Math.min(end, i + block)) };
  }
  await lastValueFrom(engine.streamBlocks(blocks()));
}

export async function runPackageCase(index: number, c: PackageCase): Promise<CaseResult> {
  const t0 = performance.now();
  let pkg: LoadedPackage;
  try {
    pkg = await loadModelPackage(c.source);
  } catch (e) {
    return fail(index, c.label, 'load', e, t0, false);
  }
  if (pkg.json.kind === 'punctuation' || pkg.json.kind === 'spelling') return runReadableCase(index, c, pkg, t0);
  let engine: Engine;
  try {
    engine = await createEngine(
      { acoustic: pkg },
      { backend: index % 2 ? 'js' : 'reference', decoder: index % 5 === 0 ? 'greedy' : 'beam' },
    );
  } catch (e) {
    // refusing a loaded package is fine when it says why (e.g. a language model is not an acoustic model)
    return fail(index, c.label, 'recognizer', e, t0, false);
  }
  try {
    await stream(engine, 16000, baseSignal(16000, 0.3), 1);
    await stream(engine, 44100, baseSignal(44100, 0.2), 1);
    return { index, label: c.label, outcome: 'ok', ms: performance.now() - t0 };
  } catch (e) {
    return fail(index, c.label, 'stream', e, t0, true);
  } finally {
    engine.dispose();
  }
}

/** A punctuation or spelling package: build it, then tag two segments / spell a few sound sequences. */
async function runReadableCase(index: number, c: PackageCase, pkg: LoadedPackage, t0: number): Promise<CaseResult> {
  const backend = index % 2 ? 'js' : 'reference';
  let model: Punctuator | Speller;
  try {
    model =
      pkg.json.kind === 'punctuation'
        ? await createPunctuator(pkg, { backend })
        : await createSpeller(pkg, { backend });
  } catch (e) {
    return fail(index, c.label, 'recognizer', e, t0, false);
  }
  try {
    if ('createStream' in model) {
      const s = model.createStream();
      await s.tag(['the', 'cat', 'zebra', 'is']);
      await s.peek(['where']);
      await s.tag(['you']);
    } else {
      for (const input of ['K AE T', 'AH', 'B AH B AH B AH B AH B AH B AH', 'XX', 'the']) await model.spell(input);
    }
    return { index, label: c.label, outcome: 'ok', ms: performance.now() - t0 };
  } catch (e) {
    return fail(index, c.label, 'stream', e, t0, true);
  } finally {
    model.dispose();
  }
}

let sharedEngine: Promise<Engine> | null = null;

/** The engine of the small phoneme test model every audio case is streamed through. */
export function audioEngine(): Promise<Engine> {
  sharedEngine ??= createEngine(
    { acoustic: parseModelPackage(testPackageFiles(makePhonemeCtcModel({ hiddenSizes: [8], seed: 31 }))) },
    { backend: 'js' },
  );
  return sharedEngine;
}

export async function runAudioCase(index: number, c: AudioCase, dir?: string): Promise<CaseResult> {
  const t0 = performance.now();
  const folder = dir ?? mkdtempSync(join(tmpdir(), 'earshot-fuzz-audio-'));
  const path = join(folder, `case-${index}.${c.ext}`);
  try {
    writeFileSync(path, c.bytes);
    // the CLI's block-by-block reader must agree with the whole-file one: same failure or same samples
    let streamed: number[] | null = null;
    let streamError: unknown = null;
    try {
      const opened = await openAudioFile(path);
      streamed = [];
      for await (const block of opened.blocks(1 + (index % 4000))) for (const v of block) streamed.push(v);
    } catch (e) {
      streamError = e;
    }
    let audio;
    try {
      audio = await readAudioFile(path);
    } catch (e) {
      if (streamed !== null)
        return {
          ...fail(index, c.label, 'read', e, t0, true),
          message: `openAudioFile read it, readAudioFile failed: ${String((e as Error)?.message)}`,
        };
      return fail(index, c.label, 'read', e, t0, false);
    }
    if (streamed === null) return fail(index, c.label, 'open', streamError, t0, true);
    if (streamed.length !== audio.samples.length || streamed.some((v, i) => !Object.is(v, audio.samples[i]))) {
      return {
        index,
        label: c.label,
        outcome: 'pipeline-error',
        stage: 'open',
        message: `openAudioFile gave ${streamed.length} samples that differ from readAudioFile's ${audio.samples.length}`,
        ms: performance.now() - t0,
      };
    }
    try {
      await stream(await audioEngine(), audio.sampleRate, audio.samples, 3);
      return { index, label: c.label, outcome: 'ok', ms: performance.now() - t0 };
    } catch (e) {
      return fail(index, c.label, 'stream', e, t0, true);
    }
  } finally {
    rmSync(dir ? path : folder, { recursive: true, force: true });
  }
}
