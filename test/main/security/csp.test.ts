import { describe, expect, it } from 'vitest';
import { cspForPath, documentCsp, documentCspMeta, isEngineWorkerPath, workerCsp } from '../../../main/security/csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values]),
  );
}

describe('Content-Security-Policy', () => {
  it('the document policy has no eval, no inline script and no remote sources', () => {
    for (const policy of [documentCsp(), documentCspMeta()]) {
      expect(policy).not.toContain("'unsafe-eval'");
      expect(policy).not.toContain("'unsafe-inline'");
      expect(policy).not.toMatch(/https?:|wss?:|\*/);
      const d = directives(policy);
      expect(d.get('default-src')).toEqual(["'none'"]);
      expect(d.get('script-src')).toEqual(["'self'"]);
      expect(d.get('object-src')).toEqual(["'none'"]);
      expect(d.get('base-uri')).toEqual(["'none'"]);
    }
  });

  it('only the engine worker may eval (gpu.js compiles kernels), and it has no remote sources either', () => {
    const policy = workerCsp();
    expect(directives(policy).get('script-src')).toEqual(["'self'", "'unsafe-eval'", "'wasm-unsafe-eval'"]);
    expect(policy).not.toMatch(/https?:|wss?:|\*|'unsafe-inline'/);
    expect(cspForPath('/assets/engine.worker-D7SWRbyJ.js')).toBe(policy);
    expect(cspForPath('/worker/engine.worker.ts')).toBe(policy);
    expect(cspForPath('/index.html')).toBe(documentCsp());
    expect(cspForPath('/assets/index-B6QOCIqA.js')).toBe(documentCsp());
    expect(isEngineWorkerPath('/assets/capture.worklet-3PNHpl5M.js')).toBe(false);
    expect(isEngineWorkerPath('/evil/engine.worker.js.map')).toBe(false);
  });

  it('the dev policy admits only the local dev server socket', () => {
    const dev = documentCsp({ devServerOrigin: 'http://localhost:5173' });
    expect(directives(dev).get('connect-src')).toEqual(["'self'", 'ws://localhost:5173']);
    expect(dev).not.toContain("'unsafe-eval'");
  });
});
