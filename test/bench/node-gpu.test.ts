/**
 * The pieces of the GPU-machine benchmark (test/bench/gpu-device.sh) that run without a GPU:
 * bench-step's --dawn options, loading Dawn where it can load (and a clear reason where it
 * cannot, e.g. a glibc older than dawn.node's 2.38), and the merge of one process per backend into
 * one result, where a crashed or timed-out backend keeps a row that says so.
 */
import { describe, expect, it } from 'vitest';
import { installNodeWebGpu, parseDawnArgs } from './node-gpu';
import { failureLine, formatMerged, mergeBackendRuns } from './gpu-device-report';

describe('bench-step --dawn options', () => {
  it('is off without --dawn, on with it, and collects every --dawn-flag in order', () => {
    expect(parseDawnArgs(['node', 'bench-step.ts', '--json'])).toBeNull();
    expect(parseDawnArgs(['node', 'bench-step.ts', '--dawn'])).toEqual([]);
    expect(
      parseDawnArgs(['--dawn', '--dawn-flag', 'backend=vulkan', '--json', '--dawn-flag', 'adapter=NVIDIA']),
    ).toEqual(['backend=vulkan', 'adapter=NVIDIA']);
  });

  it('takes a --dawn-flag alone as --dawn, and refuses one without a value', () => {
    expect(parseDawnArgs(['--dawn-flag', 'enable-dawn-features=allow_unsafe_apis'])).toEqual([
      'enable-dawn-features=allow_unsafe_apis',
    ]);
    expect(() => parseDawnArgs(['--dawn-flag'])).toThrow(/needs a value/);
    expect(() => parseDawnArgs(['--dawn-flag', '--json'])).toThrow(/needs a value/);
  });
});

describe('installNodeWebGpu', () => {
  it("puts a GPU object at navigator.gpu and takes it away again, or rejects with the loader's reason", async () => {
    const nav = () => (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    let uninstall: () => void;
    try {
      uninstall = await installNodeWebGpu([]);
    } catch (e) {
      // dawn.node did not load here (too old a glibc/libstdc++, no binary for this platform)
      expect(String(e)).toMatch(/GLIBC|cannot open|not found|No such file|ERR_/);
      expect(nav()?.gpu).toBeUndefined();
      return;
    }
    expect(typeof (nav()?.gpu as { requestAdapter?: unknown } | undefined)?.requestAdapter).toBe('function');
    uninstall();
    expect(nav()?.gpu).toBeUndefined();
  });
});

describe('gpu-device-report', () => {
  const ok = JSON.stringify({
    config: { node: 'v20.20.2', cpu: 'Test CPU', cpuCount: 16 },
    devices: {
      webgpu: {
        vendor: 'nvidia',
        architecture: 'hopper',
        device: 'NVIDIA H100',
        description: '',
        isFallbackAdapter: false,
        maxStorageBufferBindingSize: 1,
        maxComputeInvocationsPerWorkgroup: 1024,
      },
    },
    rows: [{ backend: 'webgpu', singleStepMs: 0.5, chunkStepMs: 0.25, maxErr: 2.4e-7, ranOn: ['webgpu'] }],
  });

  it('keeps the rows of runs that reported and gives the others an error row with exit status and cause', () => {
    const merged = mergeBackendRuns(
      [
        { backend: 'webgpu', stdout: `a driver's chatter\n${ok}`, stderr: '', rc: 0 },
        {
          backend: 'headlessgl',
          stdout: '',
          stderr: 'Warning: DawnExperimentalSubgroupLimits is deprecated\nSegmentation fault\n',
          rc: 139,
        },
        { backend: 'webasm', stdout: '{"rows": [', stderr: '', rc: 124 },
      ],
      { gpu: 'NVIDIA H100' },
    );
    expect(merged.rows.map((r) => r.backend)).toEqual(['webgpu', 'headlessgl', 'webasm']);
    expect(merged.rows[0].chunkStepMs).toBe(0.25);
    expect(merged.rows[1].error).toBe('exit 139 (signal 11): Segmentation fault');
    expect(merged.rows[2].error).toBe('exit 124 (timed out, or killed): (no output on stderr)');
    expect(merged.devices.webgpu).toMatchObject({ device: 'NVIDIA H100' });
    expect(merged.config).toMatchObject({ cpuCount: 16 });
    const text = formatMerged(merged);
    expect(text).toContain('gpu: NVIDIA H100');
    expect(text).toContain('webgpu device: nvidia / hopper / NVIDIA H100');
    expect(text).toMatch(/headlessgl +error: exit 139/);
  });

  it('picks the stderr line that names the failure, not the last line', () => {
    expect(failureLine('Error: GLIBCXX_3.4.32 not found\n    at Module._load (node:internal)\n')).toBe(
      'Error: GLIBCXX_3.4.32 not found',
    );
    expect(failureLine('')).toBe('(no output on stderr)');
  });
});
