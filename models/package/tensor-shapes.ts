/**
 * The tensors a model.json promises, with their shapes: the contract documented in model-spec.ts, as code.
 */

import { type LayerSpec, type ModelJson, gatesPerCell } from './model-spec';

export interface ExpectedTensor {
  shape: number[];
  /** How the shape follows from model.json, for error messages: '3 gates × hiddenSize 64, inputSize 120'. */
  why: string;
}

/**
 * Name → expected shape, in a stable order (embedding, layers, output).
 * `outputRows` = K: the CTC alphabet size, the LM vocabulary size, the tagger's cases × marks, the seq2seq targets.
 * `inputRows`: the tagger's input vocabulary size (its embedding rows).
 */
export function expectedTensorShapes(
  json: ModelJson,
  outputRows: number,
  inputRows?: number,
): Map<string, ExpectedTensor> {
  const shapes = new Map<string, ExpectedTensor>();
  const o = json.output;
  const rowsWhy =
    o.type === 'lm'
      ? `vocabulary size ${outputRows}`
      : o.type === 'tagger'
        ? `tags ${outputRows} (cases × marks)`
        : o.type === 'seq2seq'
          ? `target symbols ${outputRows}`
          : `alphabet size ${outputRows}`;
  if (o.type === 'lm') {
    shapes.set('embedding', {
      shape: [outputRows, o.embeddingSize],
      why: `${rowsWhy}, embeddingSize ${o.embeddingSize}`,
    });
  }
  if (o.type === 'tagger') {
    shapes.set('embedding', {
      shape: [inputRows ?? 0, o.embeddingSize],
      why: `vocabulary size ${inputRows}, embeddingSize ${o.embeddingSize}`,
    });
  }
  if (o.type === 'seq2seq') {
    shapes.set('encoder.embedding', {
      shape: [o.source.length, o.embeddingSize],
      why: `source symbols ${o.source.length}, embeddingSize ${o.embeddingSize}`,
    });
    addLayers(shapes, json.encoder ?? [], 'encoder.layers');
    shapes.set('decoder.embedding', {
      shape: [o.target.length + 1, o.embeddingSize],
      why: `target symbols ${o.target.length} + <s>, embeddingSize ${o.embeddingSize}`,
    });
  }
  addLayers(shapes, json.layers, 'layers');
  const lastHidden = json.layers[json.layers.length - 1].hiddenSize;
  shapes.set('output.W_ya', { shape: [outputRows, lastHidden], why: `${rowsWhy}, last hiddenSize ${lastHidden}` });
  shapes.set('output.b_y', { shape: [outputRows], why: rowsWhy });
  return shapes;
}

function addLayers(shapes: Map<string, ExpectedTensor>, layers: readonly LayerSpec[], prefix: string): void {
  layers.forEach((layer, l) => {
    const gates = gatesPerCell(layer.cell);
    const rows = gates * layer.hiddenSize;
    const rowsText = `${gates} gate${gates > 1 ? 's' : ''} × hiddenSize ${layer.hiddenSize}`;
    shapes.set(`${prefix}.${l}.W_ax`, {
      shape: [rows, layer.inputSize],
      why: `${layer.cell}: ${rowsText}, inputSize ${layer.inputSize}`,
    });
    shapes.set(`${prefix}.${l}.W_aa`, {
      shape: [rows, layer.hiddenSize],
      why: `${layer.cell}: ${rowsText}, hiddenSize ${layer.hiddenSize}`,
    });
    if (layer.cell === 'vanilla') {
      shapes.set(`${prefix}.${l}.b_a`, { shape: [layer.hiddenSize], why: `vanilla: hiddenSize ${layer.hiddenSize}` });
    } else {
      shapes.set(`${prefix}.${l}.b_ax`, { shape: [rows], why: `${layer.cell}: ${rowsText}` });
      shapes.set(`${prefix}.${l}.b_aa`, { shape: [rows], why: `${layer.cell}: ${rowsText}` });
    }
  });
}
