/**
 * The packaging config is not exercised by CI (no packages are built there), so its promises are
 * checked as text: the targets, what is shipped, and the macOS microphone permission.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('electron-builder.yml', () => {
  it('builds AppImage and deb, an NSIS installer and a dmg, from out/ only', async () => {
    const config = await readFile(join(root, 'electron-builder.yml'), 'utf8');
    for (const target of ['AppImage', 'deb', 'target: nsis', 'target: dmg']) expect(config).toContain(target);
    expect(config).toMatch(/files:\n\s+- out\/\*\*\/\*\n\s+- package\.json/);
    expect(config).toMatch(/^\s+- (['"])!node_modules\/\*\*\/\*\1$/m); // YAML, either quote style
    expect(config).toMatch(/publish: null/);
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('./out/main/index.js'); // the file the packages start
  });

  it('asks for the microphone on macOS, with the hardened-runtime entitlement', async () => {
    const config = await readFile(join(root, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/NSMicrophoneUsageDescription: \S/);
    expect(config).toContain('entitlements: build/entitlements.mac.plist');
    const plist = await readFile(join(root, 'build/entitlements.mac.plist'), 'utf8');
    expect(plist).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
  });

  it('flips the Electron fuses: no RunAsNode, NODE_OPTIONS or --inspect; the app only from a validated asar', async () => {
    const fuses = yamlBlock(await readFile(join(root, 'electron-builder.yml'), 'utf8'), 'electronFuses');
    expect(fuses).toMatchObject({
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
    });
    // the asar the integrity fuse checks must exist, and its hash must be embedded
    const config = await readFile(join(root, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/^asar: true$/m);
    expect(config).not.toMatch(/disableIntegrity/);
  });

  it('grants macOS only allow-jit for generated code, not unsigned executable memory', async () => {
    const plist = await readFile(join(root, 'build/entitlements.mac.plist'), 'utf8');
    const keys = [...plist.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map(
      (m) => m[1],
    );
    expect(keys.sort()).toEqual(['com.apple.security.cs.allow-jit', 'com.apple.security.device.audio-input']);
  });

  it('ships an app icon: 1024×1024 build/icon.png (mac, win), the Linux set, and the window icon as a resource', async () => {
    expect(pngSize(await readFile(join(root, 'build/icon.png')))).toEqual({ width: 1024, height: 1024 });
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(await readFile(join(root, `build/icons/${size}x${size}.png`)))).toEqual({
        width: size,
        height: size,
      });
    }
    expect(await readFile(join(root, 'build/icon.svg'), 'utf8')).toMatch(/<svg[^>]+viewBox="0 0 1024 1024"/);
    const config = await readFile(join(root, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/buildResources: build\b/); // build/icon.png is picked up for mac and win
    expect(config).toMatch(/^ {2}icon: build\/icons\b/m);
    expect(config).toMatch(/extraResources:\n {2}- from: build\/icons\/512x512\.png\n {4}to: icon\.png/);
  });
});

/** Width and height from a PNG's IHDR chunk (bytes 16..23, big-endian; PNG spec §11.2.2). */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(bytes.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The `key: value` lines of a top-level YAML mapping (two-space indented scalars only). */
function yamlBlock(yaml: string, name: string): Record<string, string> {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => l === `${name}:`);
  expect(start, `${name}: in electron-builder.yml`).toBeGreaterThanOrEqual(0);
  const out: Record<string, string> = {};
  for (const line of lines.slice(start + 1)) {
    const m = /^ {2}([A-Za-z]+): (\S+)$/.exec(line);
    if (!m) break;
    out[m[1]] = m[2];
  }
  return out;
}
