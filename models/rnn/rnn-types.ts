/**
 * The RNN stack's types, apart from the backend registry (rnn-stack.ts: createRnnStack) so that the backends
 * can implement them without importing the registry that imports them.
 *
 * A stack of unidirectional RNN layers (vanilla, GRU, LSTM) plus the softmax output layer, run by
 * one backend. Streaming use:
 *
 *   const stack = await createRnnStack(spec.layers, weights, { backend: 'webasm' });
 *   const state = stack.initialState();                    // zeros, batch 1
 *   const logProbs = await stack.forward(x, steps, state); // steps×K; state now holds a<steps>
 *   ...next chunk: forward(x2, steps2, state) continues the same sequence
 *   stack.dispose();
 *
 * Language-model scoring of many beam candidates at once: stepBatch(x, B, stateB) with
 * stateB.batch = B (one row per candidate history).
 *
 * Equations (per layer, PyTorch semantics so exported weights give the same numbers):
 *   vanilla  a<t> = g1(W_a [a<t-1>; x<t>] + b_a),  W_a = [W_aa | W_ax], g1 = tanh | relu
 *   gru      r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *            n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h
 *   lstm     i,f,g,o = σ,σ,tanh,σ(W_ax x + b_ax + W_aa h + b_aa),  c' = f ⊙ c + i ⊙ g,  h' = o ⊙ tanh(c')
 *   output   y<t> = softmax(W_ya a<t> + b_y), returned as log-softmax.
 */
import type { LayerSpec } from '../package/model-spec';
import type { BackendName } from './backend';

export interface RnnState {
  /** Independent sequences held: 1 for forward(), B for stepBatch(). */
  batch: number;
  /** Per layer, batch×H row-major: a<t> (vanilla) or h (gru, lstm). */
  h: Float32Array[];
  /** Per layer, batch×H row-major LSTM cell state; empty arrays for vanilla and gru layers. */
  c: Float32Array[];
}

export interface RnnStack {
  readonly backend: BackendName;
  /** I of the first layer. */
  readonly inputSize: number;
  /** K, the softmax size. */
  readonly outputSize: number;
  readonly layers: LayerSpec[];
  /** All-zero state for `batch` sequences (default 1). */
  initialState(batch?: number): RnnState;
  /** Deep copy (e.g. to fork a beam's LM history). */
  cloneState(s: RnnState): RnnState;
  /**
   * Many-to-many over one sequence: x is steps×I row-major; returns steps×K log-probabilities
   * (log-softmax of W_ya a<t> + b_y). state (batch 1) is updated in place and carried across calls,
   * so forward(x[0:5]) then forward(x[5:9]) equals forward(x[0:9]) (bit-for-bit on the reference
   * backend: same float operations in the same order).
   * Fails (rejects) if x is shorter than steps×I or the state does not fit the stack.
   */
  forward(x: Float32Array, steps: number, state: RnnState): Promise<Float32Array>;
  /**
   * One step for B independent sequences at once: x is B×I, state.batch = B; returns B×K
   * log-probabilities; state updated in place.
   */
  stepBatch(x: Float32Array, batch: number, state: RnnState): Promise<Float32Array>;
  /** Frees GPU resources (kernels, textures, buffers). The stack must not be used afterwards. */
  dispose(): void;
}
