/**
 * Command-line options of the recipe's TypeScript tools (eval/peers.ts, eval/tune_lm.ts, eval/homophones.ts) and of
 * the benches that parse the same way (test/bench/lm-*.ts).
 */

/**
 * The value after `--name` in argv, taken out of argv together with the flag, so that what is left are the
 * positional arguments and bare flags; undefined when the option is absent.
 */
export function takeOption(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv.splice(i, 2)[1] : undefined;
}
