/**
 * The tensors a model.json promises, with their shapes: the contract documented in model-spec.ts, as code.
 */

import { type ModelJson, gatesPerCell } from './model-spec';

export interface ExpectedTensor {
  shape: number[];
  /** How the shape follows from model.json, for error messages: '3 gates × hiddenSize 64, inputSize 120'. */
  why: string;
}

/**
 * Name → expected shape, in a stable order (embedding, layers, output).
 * `outputRows` = K: the CTC alphabet size, or the LM vocabulary size.
 */
export function expectedTensorShapes(json: ModelJson, outputRows: number): Map<string, ExpectedTensor> {
  const shapes = new Map<string, ExpectedTensor>();
  const rowsWhy = json.output.type === 'lm' ? `vocabulary size ${outputRows}` : `alphabet size ${outputRows}`;
  if (json.output.type === 'lm') {
    shapes.set('embedding', { shape: [outputRows, json.output.embeddingSize], why: `${rowsWhy}, embeddingSize ${json.output.embeddingSize}` });
  }
  json.layers.forEach((layer, l) => {
    const gates = gatesPerCell(layer.cell);
    const rows = gates * layer.hiddenSize;
    const rowsText = `${gates} gate${gates > 1 ? 's' : ''} × hiddenSize ${layer.hiddenSize}`;
    shapes.set(`layers.${l}.W_ax`, { shape: [rows, layer.inputSize], why: `${layer.cell}: ${rowsText}, inputSize ${layer.inputSize}` });
    shapes.set(`layers.${l}.W_aa`, { shape: [rows, layer.hiddenSize], why: `${layer.cell}: ${rowsText}, hiddenSize ${layer.hiddenSize}` });
    if (layer.cell === 'vanilla') {
      shapes.set(`layers.${l}.b_a`, { shape: [layer.hiddenSize], why: `vanilla: hiddenSize ${layer.hiddenSize}` });
    } else {
      shapes.set(`layers.${l}.b_ax`, { shape: [rows], why: `${layer.cell}: ${rowsText}` });
      shapes.set(`layers.${l}.b_aa`, { shape: [rows], why: `${layer.cell}: ${rowsText}` });
    }
  });
  const lastHidden = json.layers[json.layers.length - 1].hiddenSize;
  shapes.set('output.W_ya', { shape: [outputRows, lastHidden], why: `${rowsWhy}, last hiddenSize ${lastHidden}` });
  shapes.set('output.b_y', { shape: [outputRows], why: rowsWhy });
  return shapes;
}
