/**
 * The test LM computed directly from its tensors, in float64, without the engine's RNN code:
 * the reference the scorer and the LanguageModel are checked against. GRU (PyTorch gate order r, z, n),
 * one or more layers, then log-softmax(W_ya h + b_y).
 */
import type { LoadedPackage } from '../../../models/package/load-package';

export class DirectLm {
  readonly words: string[];
  private readonly E: number;

  constructor(private readonly pkg: LoadedPackage) {
    this.words = pkg.files.vocabulary!;
    this.E = pkg.tensors.get('embedding')!.shape[1];
    for (const l of pkg.json.layers) if (l.cell !== 'gru') throw new Error('DirectLm implements GRU layers only');
  }

  id(word: string): number {
    const i = this.words.indexOf(word);
    return i >= 0 ? i : this.words.indexOf('<unk>');
  }

  /** log P(· | <eos> history) as float64, one value per vocabulary row. */
  logProbs(history: readonly string[]): Float64Array {
    const t = (name: string) => this.pkg.tensors.get(name)!.data;
    const layers = this.pkg.json.layers;
    const hs = layers.map((l) => new Float64Array(l.hiddenSize));
    const inputs = [this.words.indexOf('<eos>'), ...history.map((w) => this.id(w))];
    for (const word of inputs) {
      let x: Float64Array = Float64Array.from(t('embedding').subarray(word * this.E, (word + 1) * this.E));
      layers.forEach((layer, l) => {
        const H = layer.hiddenSize;
        const I = layer.inputSize;
        const [Wx, Wh, bx, bh] = ['W_ax', 'W_aa', 'b_ax', 'b_aa'].map((n) => t(`layers.${l}.${n}`));
        const h = hs[l];
        const gx = new Float64Array(3 * H);
        const gh = new Float64Array(3 * H);
        for (let r = 0; r < 3 * H; r++) {
          let sx = bx[r];
          for (let i = 0; i < I; i++) sx += Wx[r * I + i] * x[i];
          let sh = bh[r];
          for (let j = 0; j < H; j++) sh += Wh[r * H + j] * h[j];
          gx[r] = sx;
          gh[r] = sh;
        }
        const next = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          const r = 1 / (1 + Math.exp(-(gx[j] + gh[j])));
          const z = 1 / (1 + Math.exp(-(gx[H + j] + gh[H + j])));
          const n = Math.tanh(gx[2 * H + j] + r * gh[2 * H + j]);
          next[j] = (1 - z) * n + z * h[j];
        }
        hs[l] = next;
        x = next;
      });
    }
    const h = hs[hs.length - 1];
    const H = h.length;
    const W = t('output.W_ya');
    const b = t('output.b_y');
    const V = this.words.length;
    const logits = new Float64Array(V);
    for (let v = 0; v < V; v++) {
      let s = b[v];
      for (let j = 0; j < H; j++) s += W[v * H + j] * h[j];
      logits[v] = s;
    }
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((a, z) => a + Math.exp(z - max), 0));
    return logits.map((z) => z - lse);
  }
}
