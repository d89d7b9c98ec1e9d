/** Command-line options of the bench scripts: `--name value`, possibly repeated. */

/** Every value given for `--name`, in order. */
export function argValues(argv: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length - 1; i++) if (argv[i] === `--${name}`) out.push(argv[i + 1]);
  return out;
}

/** The first value given for `--name`, or undefined. */
export function arg(argv: readonly string[], name: string): string | undefined {
  return argValues(argv, name)[0];
}
