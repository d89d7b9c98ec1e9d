/**
 * Runs a command as a child process and reports its peak resident memory and CPU time, as the
 * operating system counts them: through `/usr/bin/time -v` when installed (ru_maxrss of the child
 * and its descendants' largest), otherwise by polling the child's /proc/PID/status VmHWM and
 * /proc/PID/stat every 20 ms (a peak between two polls is still caught: VmHWM is a high-water mark).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface ChildUsage {
  command: string;
  exitCode: number | null;
  wallSeconds: number;
  /** User + system CPU seconds; null when unknown. */
  cpuSeconds: number | null;
  /** Peak resident set, MiB. */
  peakRssMiB: number | null;
  /** 'time -v' or '/proc VmHWM'. */
  method: string;
  stdout: string;
  stderr: string;
}

const TIME = '/usr/bin/time';

function parseTimeV(text: string): { cpu: number | null; rssKiB: number | null } {
  const num = (re: RegExp) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : null;
  };
  const user = num(/User time \(seconds\): ([\d.]+)/);
  const sys = num(/System time \(seconds\): ([\d.]+)/);
  return {
    cpu: user !== null && sys !== null ? user + sys : null,
    rssKiB: num(/Maximum resident set size \(kbytes\): (\d+)/),
  };
}

function procStatus(pid: number): { hwmKiB: number | null; cpuTicks: number | null } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], [12] are utime, stime (fields 14 and 15 of proc(5), counted after the name)
    return { hwmKiB: hwm ? Number(hwm[1]) : null, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return { hwmKiB: null, cpuTicks: null };
  }
}

/** Runs `cmd args` to completion (killed after `timeoutSeconds`) and measures it. */
export function runMeasured(
  cmd: string,
  args: string[],
  options: { timeoutSeconds?: number; cwd?: string } = {},
): Promise<ChildUsage> {
  const useTime = existsSync(TIME);
  const argv = useTime ? [TIME, '-v', cmd, ...args] : [cmd, ...args];
  const command = [cmd, ...args].join(' ');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    let peakKiB: number | null = null;
    let ticks: number | null = null;
    const poll = useTime
      ? null
      : setInterval(() => {
          const s = procStatus(child.pid!);
          if (s.hwmKiB !== null) peakKiB = Math.max(peakKiB ?? 0, s.hwmKiB);
          if (s.cpuTicks !== null) ticks = s.cpuTicks;
        }, 20);
    const timer = setTimeout(() => child.kill('SIGKILL'), 1000 * (options.timeoutSeconds ?? 600));
    child.on('error', (e) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      const wallSeconds = (performance.now() - t0) / 1000;
      if (useTime) {
        const { cpu, rssKiB } = parseTimeV(stderr);
        resolve({
          command,
          exitCode: code,
          wallSeconds,
          cpuSeconds: cpu,
          peakRssMiB: rssKiB !== null ? rssKiB / 1024 : null,
          method: 'time -v',
          stdout,
          stderr,
        });
      } else {
        resolve({
          command,
          exitCode: code,
          wallSeconds,
          cpuSeconds: ticks !== null ? ticks / 100 : null,
          peakRssMiB: peakKiB !== null ? peakKiB / 1024 : null,
          method: '/proc VmHWM',
          stdout,
          stderr,
        });
      }
    });
  });
}
