import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cspForPath } from '../../main/security/csp';

const ROOT = resolve(__dirname, '../..');

describe('npm run web', () => {
  it("serves a built renderer on 127.0.0.1 with the app's CSP and prints the URL", async () => {
    const out = mkdtempSync(join(tmpdir(), 'earshot-web-'));
    writeFileSync(join(out, 'index.html'), '<!doctype html><title>Earshot</title>');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'scripts/web.ts', '--no-build', '--out', out, '--port', '0'],
      { cwd: ROOT },
    );
    try {
      const url = await new Promise<string>((found, fail) => {
        let text = '';
        child.stdout.on('data', (d) => {
          text += d;
          const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
          if (m) found(m[1]);
        });
        child.on('exit', (code) => fail(new Error(`web.ts exited with ${code} before serving`)));
        setTimeout(() => fail(new Error(`no URL printed: ${text}`)), 30_000);
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Earshot</title>');
      expect(page.headers.get('content-security-policy')).toBe(cspForPath('/'));
    } finally {
      child.kill();
    }
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.web).toBe('tsx scripts/web.ts');
  });
});
