/**
 * The one error type the model package code throws.
 *
 * Every error names the package file it is about; tensor errors also name the tensor and give the
 * expected and found shapes, so a message alone tells a user (or a recipe author) what to fix.
 */

export interface ModelPackageErrorDetails {
  /** Package-relative path of the file at fault, e.g. 'model.json' or 'weights.safetensors'. */
  file: string;
  /** What is wrong, in words, e.g. 'wrong shape'. */
  problem: string;
  /** The tensor at fault (weights errors). */
  tensor?: string;
  /** The model.json field at fault, as a path: 'layers[1].inputSize'. */
  field?: string;
  /** What the package should hold there: a shape like '[192, 120]', a value, a count. */
  expected?: string;
  /** What the package holds there. */
  found?: string;
  /** The package's name (folder, zip path, or a caller's label). */
  source?: string;
}

export class ModelPackageError extends Error {
  override name = 'ModelPackageError';
  readonly file: string;
  readonly problem: string;
  readonly tensor?: string;
  readonly field?: string;
  readonly expected?: string;
  readonly found?: string;
  readonly source?: string;

  constructor(details: ModelPackageErrorDetails) {
    super(composeMessage(details));
    this.file = details.file;
    this.problem = details.problem;
    this.tensor = details.tensor;
    this.field = details.field;
    this.expected = details.expected;
    this.found = details.found;
    this.source = details.source;
  }

  /** The same error, its message prefixed with the package's name. */
  inSource(source: string): ModelPackageError {
    return new ModelPackageError({ ...this.details(), source });
  }

  details(): ModelPackageErrorDetails {
    const { file, problem, tensor, field, expected, found, source } = this;
    return { file, problem, tensor, field, expected, found, source };
  }
}

/**
 * E.g. 'Model package "pkg.zip": weights.safetensors: tensor "layers.0.W_ax": wrong shape: expected [192, 120],
 * found [192, 40]' (one line).
 */
function composeMessage(d: ModelPackageErrorDetails): string {
  let message = d.source !== undefined ? `Model package "${d.source}": ${d.file}` : d.file;
  if (d.tensor !== undefined) message += `: tensor "${d.tensor}"`;
  if (d.field !== undefined) message += `: ${d.field}`;
  message += `: ${d.problem}`;
  const parts: string[] = [];
  if (d.expected !== undefined) parts.push(`expected ${d.expected}`);
  if (d.found !== undefined) parts.push(`found ${d.found}`);
  if (parts.length > 0) message += `: ${parts.join(', ')}`;
  return message;
}

/** A shape for messages: [192, 120]; a scalar is []. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
