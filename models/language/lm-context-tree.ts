/**
 * LM states as a tree of word histories, computed lazily in batches, with a bounded cache.
 *
 * A node is one history: <eos> w1 … wn (the sentence start is the node after <eos>). It knows its
 * parent and the word that led to it, so it can always be recomputed; its computed part is
 *   state      the RNN state after the history (per layer h, and c for LSTM layers)
 *   logProbs   log P(· | history), one natural-log value per vocabulary row (V floats)
 * and it remembers its children by word id, so the same (history, word) gives the same node.
 *
 * `withComputed(nodes, read)` computes every node that lacks its state in ONE `stepBatch` call: the
 * embedding rows of the nodes' words, the parents' states stacked as a batch, and the returned
 * B×V log-softmax rows, whatever the nodes' depths. (Only a node whose parent was evicted from
 * the cache needs its parent first: one more stepBatch per missing generation, which only a
 * hypothesis that outlives a full cache, e.g. through a long silence, causes.)
 *
 * Memory: a computed node holds V + H floats (≈ 41 kB for V = 10,002, H = 256). At most
 * `maxComputed` nodes stay computed (least recently used evicted first; the start node is
 * pinned), so hours of streaming keep memory flat. An evicted node drops its state, its row
 * and its children; it stays valid and is recomputed from its parent when used again.
 */
import { exactFloat16, float16IntoFloat32 } from '../package/float16';
import type { LoadedPackage } from '../package/load-package';
import type { BackendName } from '../rnn/backend';
import { createRnnStack } from '../rnn/rnn-stack';
import type { RnnStack, RnnState } from '../rnn/rnn-types';
import type { Int8Rows } from '../rnn/tensor';
import { LmVocabulary } from './lm-vocabulary';

export interface LmNodeState {
  /** Per layer, H floats. */
  h: Float32Array[];
  /** Per layer, H floats for LSTM layers, empty otherwise. */
  c: Float32Array[];
}

/** One word history. Public fields are read-only to users of the tree. */
export class LmNode {
  state: LmNodeState | null = null;
  logProbs: Float32Array | null = null;
  children: Map<number, LmNode> | null = null;
  /** Words from <eos> (the start node has depth 0). */
  readonly depth: number;

  constructor(
    /** Unique per tree; equal ids ⇔ same node. */
    readonly id: number,
    /** The history without its last word; null for the origin (the all-zero state before <eos>). */
    readonly parent: LmNode | null,
    /** Vocabulary row of the last word (the RNN input that led here). */
    readonly wordId: number,
    /** The tree this node belongs to. */
    readonly tree: LmContextTree,
  ) {
    this.depth = parent === null ? -1 : parent.depth + 1;
  }

  get computed(): boolean {
    return this.state !== null;
  }
}

export interface LmContextTreeOptions {
  /** Default 'reference'. */
  backend?: BackendName;
  /**
   * Computed nodes kept (each ≈ 4·(V + H) bytes); default 128 (≈ 5 MB at V = 10,002). A decoder's
   * beam needs a few dozen at a time: on 140 s of held-out speech, 128 recomputed 2.6 % more nodes
   * than 512 (which held 21 MB), with identical transcripts.
   */
  maxComputed?: number;
  /** A node keeps at most this many children (then forgets them all; they stay valid). Default 4096. */
  maxChildren?: number;
  /**
   * Sparse scoring, for self-normalised packages (output.selfNormalized): nodes hold their RNN state only,
   * the RNN runs without its output layer, and logProbOf(node, word) is that word's logit less the package's
   * mean log Z: H multiply-adds per word read rather than a V×H output layer and softmax per node. Log-probs
   * of a whole row (node.logProbs) are then never computed. Default false.
   */
  sparse?: boolean;
}

export interface LmTreeStats {
  /** stepBatch calls made. */
  stepBatchCalls: number;
  /** Nodes computed (rows of all stepBatch calls). */
  nodesComputed: number;
  /** Nodes evicted from the cache. */
  evictions: number;
  /** Computed nodes now held. */
  computedNow: number;
  /** Milliseconds spent inside stepBatch. */
  stepBatchMs: number;
}

export class LmContextTree {
  readonly vocabulary: LmVocabulary;
  /** E: input size of the RNN. */
  readonly embeddingSize: number;
  /** The history "<eos>": where every sentence starts. Pinned: never evicted. */
  start!: LmNode;
  private readonly origin: LmNode;
  /**
   * `embedding` (V, E) row-major: row v is the RNN input for word v. Kept as the package's int8 rows
   * when it stores them (a quarter of the memory, the same numbers: q · scale), else as float16 bits
   * when every value is exactly a float16 (a package exported in F16: half the memory, the same
   * numbers), else as the float32 tensor itself. Read rows with embeddingRow().
   */
  private readonly embedding8: Int8Rows | null;
  private readonly embedding16: Uint16Array | null;
  private readonly embedding32: Float32Array | null;
  private readonly maxComputed: number;
  private readonly maxChildren: number;
  /** Sparse scoring: the output layer (V×H row-major, V biases) and the constant standing in for log Z. */
  private readonly sparseOutput: { W: Float32Array; b: Float32Array; H: number; logZ: number } | null;
  /** Computed nodes, least recently used first (Map keeps insertion order). */
  private readonly lru = new Map<LmNode, true>();
  private nextId = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  readonly stats: LmTreeStats = { stepBatchCalls: 0, nodesComputed: 0, evictions: 0, computedNow: 0, stepBatchMs: 0 };

  private constructor(
    readonly stack: RnnStack,
    pkg: LoadedPackage,
    options: LmContextTreeOptions,
  ) {
    this.vocabulary = LmVocabulary.fromPackage(pkg);
    const emb = pkg.tensors.get('embedding');
    if (emb === undefined || emb.shape.length !== 2 || emb.shape[0] !== this.vocabulary.size) {
      throw new Error(`${pkg.source}: the embedding tensor must be [V=${this.vocabulary.size}, E]`);
    }
    this.embeddingSize = emb.shape[1];
    this.embedding8 = emb.int8 ?? null;
    this.embedding16 = this.embedding8 === null ? exactFloat16(emb.data) : null;
    this.embedding32 = this.embedding8 === null && this.embedding16 === null ? emb.data : null;
    if (stack.inputSize !== this.embeddingSize) {
      throw new Error(`${pkg.source}: layers[0].inputSize ${stack.inputSize} ≠ embedding size ${this.embeddingSize}`);
    }
    this.sparseOutput = options.sparse ? sparseOutputOf(pkg) : null;
    const rows = this.sparseOutput ? this.sparseOutput.W.length / this.sparseOutput.H : stack.outputSize;
    if (rows !== this.vocabulary.size) {
      throw new Error(`${pkg.source}: the output layer has ${rows} rows, the vocabulary ${this.vocabulary.size} words`);
    }
    this.maxComputed = Math.max(2, options.maxComputed ?? 128);
    this.maxChildren = Math.max(1, options.maxChildren ?? 4096);
    this.origin = new LmNode(this.nextId++, null, -1, this);
    const zero = stack.initialState(1);
    this.origin.state = { h: zero.h, c: zero.c };
  }

  /** Builds the RNN on the chosen backend and computes the start node. */
  static async create(pkg: LoadedPackage, options: LmContextTreeOptions = {}): Promise<LmContextTree> {
    if (pkg.json.kind !== 'language' || pkg.json.output.type !== 'lm') {
      throw new Error(
        `${pkg.source} is ${pkg.json.kind === 'acoustic' ? 'an acoustic' : `a ${pkg.json.kind}`} model, not a language model`,
      );
    }
    // Sparse: the RNN's own output layer is one zero row (its output is not read); the words' rows are read here.
    const tensors = options.sparse ? withoutOutputLayer(pkg) : pkg.tensors;
    const stack = await createRnnStack(pkg.json.layers, tensors, { backend: options.backend ?? 'reference' });
    try {
      const tree = new LmContextTree(stack, pkg, options);
      tree.start = tree.child(tree.origin, tree.vocabulary.eos);
      await tree.withComputed([tree.start], () => undefined);
      return tree;
    } catch (e) {
      stack.dispose();
      throw e;
    }
  }

  /**
   * log P(word | node's history): the node's row of log-probs, or in sparse mode the word's logit less the
   * package's mean log Z (self-normalised). The node must be computed (inside withComputed's read).
   */
  logProbOf(node: LmNode, wordId: number): number {
    if (node.logProbs !== null) return node.logProbs[wordId];
    const out = this.sparseOutput;
    if (out === null || node.state === null) throw new Error(`LM context ${node.id} is not computed`);
    const h = node.state.h[node.state.h.length - 1];
    const { W, b, H } = out;
    let sum = b[wordId];
    for (let i = 0, at = wordId * H; i < H; i++, at++) sum += W[at] * h[i];
    return sum - out.logZ;
  }

  /** Writes the embedding of word `wordId` (E floats) into `out` at `offset`. */
  embeddingRow(wordId: number, out: Float32Array, offset: number): void {
    const E = this.embeddingSize;
    if (this.embedding8 !== null) {
      const { q, scale } = this.embedding8;
      const s = scale[wordId];
      for (let c = 0; c < E; c++) out[offset + c] = q[wordId * E + c] * s;
    } else if (this.embedding32 !== null) out.set(this.embedding32.subarray(wordId * E, (wordId + 1) * E), offset);
    else float16IntoFloat32(this.embedding16!, wordId * E, (wordId + 1) * E, out, offset);
  }

  /** The node for history(parent) + word; created (not computed) on first use. */
  child(parent: LmNode, wordId: number): LmNode {
    if (parent.children === null) parent.children = new Map();
    let node = parent.children.get(wordId);
    if (node === undefined) {
      if (parent.children.size >= this.maxChildren) parent.children.clear();
      node = new LmNode(this.nextId++, parent, wordId, this);
      parent.children.set(wordId, node);
    }
    return node;
  }

  /** The node after `<eos> words…` (words as vocabulary rows). */
  path(wordIds: readonly number[]): LmNode {
    let node = this.start;
    for (const id of wordIds) node = this.child(node, id);
    return node;
  }

  /**
   * Computes every node in `nodes` that lacks its state and log-probs (one stepBatch for all of
   * them, plus one per generation of evicted ancestors), then runs `read` while they are all
   * computed, then trims the cache to its cap. Calls are serialized: concurrent callers never
   * interleave on the RNN, and no trim can evict a node between its computation and its `read`.
   */
  withComputed<T>(nodes: readonly LmNode[], read: () => T): Promise<T> {
    const run = this.queue.then(async () => {
      await this.materializeNow(nodes);
      const result = read();
      this.trim();
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Runs `work` (e.g. a direct stepBatch on `stack`) in turn with the tree's own RNN calls. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.disposed) throw new Error('LmContextTree: used after dispose()');
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async materializeNow(nodes: readonly LmNode[]): Promise<void> {
    if (this.disposed) throw new Error('LmContextTree: used after dispose()');
    // Missing nodes (and missing ancestors of theirs). Each round computes, in one stepBatch, every
    // missing node whose parent has a state: normally all of them, at whatever depth.
    const missing = new Set<LmNode>();
    for (const n of nodes) {
      if (n.tree !== this) throw new Error(`LM context ${n.id} belongs to another language model`);
      for (let m: LmNode | null = n; m !== null && m.state === null; m = m.parent) missing.add(m);
    }
    while (missing.size > 0) {
      const ready = [...missing].filter((m) => m.parent!.state !== null);
      await this.computeBatch(ready);
      for (const m of ready) missing.delete(m);
    }
    for (const n of nodes) this.touch(n);
  }

  /** One stepBatch: the nodes' words from their parents' states (all parents computed). */
  private async computeBatch(batch: LmNode[]): Promise<void> {
    const B = batch.length;
    const E = this.embeddingSize;
    const V = this.vocabulary.size;
    const x = new Float32Array(B * E);
    const state: RnnState = this.stack.initialState(B);
    batch.forEach((node, b) => {
      this.embeddingRow(node.wordId, x, b * E);
      const ps = node.parent!.state!;
      ps.h.forEach((h, l) => state.h[l].set(h, b * h.length));
      ps.c.forEach((c, l) => state.c[l].set(c, b * c.length));
      this.touch(node.parent!); // a parent used now is not the next to go
    });
    const t0 = performance.now();
    const rows = await this.stack.stepBatch(x, B, state);
    this.stats.stepBatchMs += performance.now() - t0;
    this.stats.stepBatchCalls++;
    this.stats.nodesComputed += B;
    batch.forEach((node, b) => {
      node.state = {
        h: state.h.map((h) => h.slice((b * h.length) / B, ((b + 1) * h.length) / B)),
        c: state.c.map((c) => c.slice((b * c.length) / B, ((b + 1) * c.length) / B)),
      };
      if (this.sparseOutput === null) node.logProbs = rows.slice(b * V, (b + 1) * V);
      this.touch(node);
    });
    this.stats.computedNow = this.lru.size;
  }

  private touch(node: LmNode): void {
    if (node.state === null || node === this.origin) return;
    this.lru.delete(node);
    this.lru.set(node, true);
  }

  /**
   * Evicts least recently used nodes down to the cap (after a read: a batch larger than the cap is still read whole).
   */
  private trim(): void {
    for (const node of this.lru.keys()) {
      if (this.lru.size <= this.maxComputed) break;
      if (node === this.start) continue;
      this.lru.delete(node);
      node.state = null;
      node.logProbs = null;
      node.children = null;
      this.stats.evictions++;
    }
    this.stats.computedNow = this.lru.size;
  }

  /** Forgets every computed node but the start (e.g. between recordings). */
  clear(): void {
    for (const node of this.lru.keys()) {
      if (node === this.start) continue;
      node.state = null;
      node.logProbs = null;
      node.children = null;
    }
    this.lru.clear();
    this.lru.set(this.start, true);
    this.start.children = null;
    this.stats.computedNow = this.lru.size;
  }

  /** Frees the RNN (GPU resources). The tree must not be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.lru.clear();
    this.stack.dispose();
  }
}

/** The output layer of a self-normalised LM package, for sparse scoring. */
function sparseOutputOf(pkg: LoadedPackage): { W: Float32Array; b: Float32Array; H: number; logZ: number } {
  const output = pkg.json.output;
  if (output.type !== 'lm' || output.selfNormalized === undefined) {
    throw new Error(`${pkg.source}: sparse LM scoring needs a self-normalised model (output.selfNormalized)`);
  }
  const W = pkg.tensors.get('output.W_ya');
  const b = pkg.tensors.get('output.b_y');
  if (W === undefined || W.shape.length !== 2 || b === undefined || b.shape[0] !== W.shape[0]) {
    throw new Error(`${pkg.source}: the output layer (output.W_ya, output.b_y) is missing or misshapen`);
  }
  return { W: W.data, b: b.data, H: W.shape[1], logZ: output.selfNormalized.logZ };
}

/** The package's tensors with the output layer cut to one zero row (in sparse mode the RNN's own output is unread). */
function withoutOutputLayer(pkg: LoadedPackage): LoadedPackage['tensors'] {
  const W = pkg.tensors.get('output.W_ya');
  const H = W && W.shape.length === 2 ? W.shape[1] : 0;
  const tensors = new Map(pkg.tensors);
  tensors.set('output.W_ya', { shape: [1, H], data: new Float32Array(H) });
  tensors.set('output.b_y', { shape: [1], data: new Float32Array(1) });
  return tensors;
}
