/**
 * The small argv parser the Node tools share (the CLI, the recipe's tools): `--flag`, `--key value`,
 * `--key=value`, short aliases (`-o value`), repeated keys collected, positionals kept in order (a lone
 * `-` is a positional: standard input).
 */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
  flags: Set<string>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(
  argv: readonly string[],
  spec: { values: readonly string[]; flags: readonly string[]; short?: Readonly<Record<string, string>> },
): ParsedArgs {
  const out: ParsedArgs = { positionals: [], options: new Map(), flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    if (a.length > 1 && a[0] === '-' && a[1] !== '-') {
      const long = spec.short?.[a.slice(1)];
      if (long === undefined) throw new UsageError(`unknown option ${a}`);
      a = `--${long}`;
    }
    if (a === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (spec.flags.includes(key)) {
        if (eq > 0) throw new UsageError(`--${key} takes no value`);
        out.flags.add(key);
      } else if (spec.values.includes(key)) {
        const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
        if (value === undefined) throw new UsageError(`--${key} needs a value`);
        out.options.set(key, [...(out.options.get(key) ?? []), value]);
      } else {
        throw new UsageError(`unknown option --${key}`);
      }
    } else {
      out.positionals.push(a);
    }
  }
  return out;
}

export function lastValue(args: ParsedArgs, key: string): string | undefined {
  const v = args.options.get(key);
  return v ? v[v.length - 1] : undefined;
}
