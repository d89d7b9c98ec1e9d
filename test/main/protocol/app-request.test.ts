import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resolveAppRequest } from '../../../main/protocol/app-request';
import { documentCsp, workerCsp } from '../../../main/security/csp';

const dir = '/opt/earshot/out/renderer';

describe('app:// request resolution', () => {
  it('maps app URLs to files with their type and CSP', () => {
    const index = resolveAppRequest('app://earshot/', dir);
    expect(index).toMatchObject({ ok: true, filePath: join(dir, 'index.html') });
    if (!index.ok) throw new Error('unreachable');
    expect(index.headers['Content-Type']).toMatch(/text\/html/);
    expect(index.headers['Content-Security-Policy']).toBe(documentCsp());
    const worker = resolveAppRequest('app://earshot/assets/engine.worker-abc123.js', dir);
    expect(worker.ok && worker.headers['Content-Security-Policy']).toBe(workerCsp());
    const model = resolveAppRequest('app://earshot/models/default/acoustic/model.json?x=1', dir);
    expect(model).toMatchObject({ ok: true, filePath: join(dir, 'models/default/acoustic/model.json') });
  });

  it('refuses paths that escape the renderer folder and other hosts', () => {
    // the URL parser already folds %2e%2e segments, so this stays inside the folder
    expect(resolveAppRequest('app://earshot/%2e%2e/%2e%2e/main/index.js', dir)).toMatchObject({
      ok: true,
      filePath: join(dir, 'main/index.js'),
    });
    expect(resolveAppRequest('app://earshot/assets/..%2f..%2fmain.js', dir)).toEqual({ ok: false, status: 403 });
    expect(resolveAppRequest('app://earshot/a%5c..%5c..%5cx', dir)).toEqual({ ok: false, status: 403 });
    expect(resolveAppRequest('app://earshot/%00', dir)).toEqual({ ok: false, status: 403 });
    expect(resolveAppRequest('app://other/index.html', dir)).toEqual({ ok: false, status: 403 });
    expect(resolveAppRequest('app://earshot/%E0%A4%A', dir)).toEqual({ ok: false, status: 404 });
  });
});
