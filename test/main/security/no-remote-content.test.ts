/**
 * No remote content: the page and its stylesheet load nothing from the network (the CSP would
 * block it, but the app must not even ask), and external links cannot appear as markup.
 */
import { describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const renderer = join(dirname(fileURLToPath(import.meta.url)), '../../../renderer');

async function uiFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'engine') out.push(...(await uiFiles(path)));
    } else if (/\.(html|css|ts)$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('no remote content in the renderer', () => {
  it('index.html, the CSS and the UI code reference no http(s) or protocol-relative URLs', async () => {
    const offenders: string[] = [];
    for (const file of await uiFiles(renderer)) {
      const text = await readFile(file, 'utf8');
      // comments may mention hosts; code, markup and CSS url() may not
      const code = text
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '')
        .replace(/<!--[\s\S]*?-->/g, '');
      if (/(["'(]\s*)(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i.test(code) || /@import\s+url\(\s*["']?https?:/i.test(code))
        offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });

  it('the page keeps its CSP placeholder, which the build fills from main/security/csp.ts', async () => {
    const html = await readFile(join(renderer, 'index.html'), 'utf8');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="%EARSHOT_CSP%"/);
    expect(html).not.toMatch(/<script(?![^>]*type="module" src="\.\/)/); // one local module script, no inline script
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
    expect(html).not.toMatch(/\sstyle=/i); // no inline styles
  });
});
