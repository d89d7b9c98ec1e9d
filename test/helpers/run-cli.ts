import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** The CLI as users run it (`npx earshot` → main/cli/bin.mjs). */
export const EARSHOT_BIN = resolve(__dirname, '../../main/cli/bin.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `earshot ARGS…` in `cwd` and returns its exit code and output (a non-zero exit is a result, not a throw). */
export async function runEarshot(cwd: string, ...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [EARSHOT_BIN, ...args], { cwd, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as CliResult;
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}
