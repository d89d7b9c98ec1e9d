/**
 * Spelling for sounds outside the lexicon: the encoder-decoder package (kind 'spelling', models/recipe/spell)
 * run on the RNN backends. Phonemes → letters ('p2g'); the same code runs letters → phonemes ('g2p').
 *
 *   const sp = await createSpeller(pkg, { backend: 'js' });
 *   await sp.convert(['T', 'IH', 'L', 'AE', 'N', 'D'])   // ['t','i','l','a','n','d']  (greedy decoding)
 *   await sp.spell('T IH L AE N D')                        // 'tiland'
 *
 * Encoder: a GRU stack reads the source symbols in reverse order; its last hidden state c stands for the
 * whole input. Decoder: starts from c and reads [embedding of the previous output (<s> first); c] each
 * step; softmax over the target symbols, the last of which ends the output.
 * The encoder runs as an RnnStack like every other RNN here; the stack API computes an output layer after
 * each step, and the encoder has none of its own, so it is handed the decoder's (same hidden size, which
 * validation checks): those per-step outputs are never read.
 */
import type { LoadedPackage } from '../package/load-package';
import type { Seq2SeqOutputSpec } from '../package/model-spec';
import type { BackendName } from '../rnn/backend';
import { createRnnStack } from '../rnn/rnn-stack';
import type { RnnStack } from '../rnn/rnn-types';
import type { TensorMap } from '../rnn/tensor';

export interface SpellerOptions {
  backend?: BackendName;
}

export interface Speller {
  readonly name: string;
  readonly direction: 'p2g' | 'g2p';
  /** Source symbols → target symbols (without the end symbol); unknown source symbols are an error. */
  convert(source: readonly string[]): Promise<string[]>;
  /** convert() plus the decoder's log-probability row at every step (the parity tests' view). */
  convertWithRows(source: readonly string[]): Promise<{ output: string[]; rows: Float32Array[] }>;
  /** p2g: 'T IH L' → 'til'; g2p: 'til' → 'T IH L'. Null when the input has a symbol the model lacks. */
  spell(input: string): Promise<string | null>;
  dispose(): void;
}

export async function createSpeller(pkg: LoadedPackage, options: SpellerOptions = {}): Promise<Speller> {
  const { json } = pkg;
  if (json.kind !== 'spelling' || json.output.type !== 'seq2seq' || json.encoder === undefined) {
    throw new Error(`${pkg.source} is a ${json.kind} model, not a spelling model`);
  }
  const backend = options.backend ?? 'reference';
  const encoderTensors: TensorMap = new Map();
  for (const [name, t] of pkg.tensors) {
    if (name.startsWith('encoder.layers.')) encoderTensors.set(name.slice('encoder.'.length), t);
  }
  encoderTensors.set('output.W_ya', pkg.tensors.get('output.W_ya')!);
  encoderTensors.set('output.b_y', pkg.tensors.get('output.b_y')!);
  const encoder = await createRnnStack(json.encoder, encoderTensors, { backend });
  let decoder: RnnStack;
  try {
    decoder = await createRnnStack(json.layers, pkg.tensors, { backend });
  } catch (e) {
    encoder.dispose();
    throw e;
  }
  return new RnnSpeller(pkg, json.output, encoder, decoder);
}

class RnnSpeller implements Speller {
  readonly name: string;
  readonly direction: 'p2g' | 'g2p';
  private readonly sourceIndex = new Map<string, number>();
  private readonly E: number;
  private readonly encEmbedding: Float32Array;
  private readonly decEmbedding: Float32Array;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    pkg: LoadedPackage,
    private readonly spec: Seq2SeqOutputSpec,
    private readonly encoder: RnnStack,
    private readonly decoder: RnnStack,
  ) {
    this.name = pkg.json.name;
    this.direction = spec.direction;
    spec.source.forEach((s, i) => this.sourceIndex.set(s, i));
    this.E = spec.embeddingSize;
    this.encEmbedding = pkg.tensors.get('encoder.embedding')!.data;
    this.decEmbedding = pkg.tensors.get('decoder.embedding')!.data;
  }

  async convert(source: readonly string[]): Promise<string[]> {
    return (await this.convertWithRows(source, false)).output;
  }

  convertWithRows(source: readonly string[], keepRows = true): Promise<{ output: string[]; rows: Float32Array[] }> {
    const ids = source.map((s) => {
      const id = this.sourceIndex.get(s);
      if (id === undefined) throw new Error(`${this.name}: unknown input symbol '${s}'`);
      return id;
    });
    const rows: Float32Array[] = [];
    const run = this.queue.then(async () => ({ output: await this.greedy(ids, keepRows ? rows : null), rows }));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async greedy(ids: number[], rows: Float32Array[] | null): Promise<string[]> {
    const E = this.E;
    const { target, maxLength } = this.spec;
    const end = target.length - 1;
    const start = target.length; // the <s> row of decoder.embedding
    if (ids.length === 0) return [];
    const x = new Float32Array(ids.length * E);
    // the embeddings go into x in reverse order
    ids.forEach((id, t) => x.set(this.encEmbedding.subarray(id * E, (id + 1) * E), (ids.length - 1 - t) * E));
    const encState = this.encoder.initialState(1);
    await this.encoder.forward(x, ids.length, encState);
    const c = encState.h[encState.h.length - 1];
    const H = c.length;
    const state = this.decoder.initialState(1);
    for (let l = 0; l < state.h.length; l++) state.h[l].set(c);
    const input = new Float32Array(E + H);
    input.set(c, E);
    const out: string[] = [];
    let prev = start;
    for (let u = 0; u < maxLength; u++) {
      input.set(this.decEmbedding.subarray(prev * E, (prev + 1) * E), 0);
      const row = await this.decoder.stepBatch(input, 1, state);
      rows?.push(Float32Array.from(row.subarray(0, target.length)));
      let arg = 0;
      for (let j = 1; j < target.length; j++) if (row[j] > row[arg]) arg = j;
      if (arg === end) break;
      out.push(target[arg]);
      prev = arg;
    }
    return out;
  }

  async spell(input: string): Promise<string | null> {
    const symbols =
      this.direction === 'p2g'
        ? input.trim().toUpperCase().split(/\s+/).filter(Boolean)
        : [...input.trim().toLowerCase()];
    if (symbols.length === 0 || symbols.some((s) => !this.sourceIndex.has(s))) return null;
    const out = await this.convert(symbols);
    if (out.length === 0) return null;
    return this.direction === 'p2g' ? out.join('') : out.join(' ');
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

/** The phonemes of a decoder's unknown-word output `/T IH L/`, or null for any other word. */
export function phonemesOfUnknown(word: string): string | null {
  const m = /^\/([A-Z]+(?: [A-Z]+)*)\/$/.exec(word);
  return m ? m[1] : null;
}
