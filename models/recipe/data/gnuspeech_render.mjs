#!/usr/bin/env node
/**
 * gnuspeech_render.mjs: a corpus-building TOOL, never part of the app.
 *
 * Renders sentences with GnuSpeech (npm `@echogarden/gnuspeech-wasm`, GPL-3), which the recipe
 * installs on its own under data/cache/gnuspeech (`npm install --prefix`), outside the app's
 * package.json, node_modules and bundle. This script talks to that package's WebAssembly module
 * through its exported C entry point and its in-memory file system; nothing here is GnuSpeech code.
 *
 *   node gnuspeech_render.mjs PACKAGE_DIR
 *
 * reads one JSON request per stdin line and answers one JSON line per request:
 *   {"text": "...", "out": "/abs/out.wav",
 *    "voice":   {"base": "male", "vocal_tract_length": 15.0, "reference_glottal_pitch": 0.0, ...},
 *    "control": {"tempo": 1.0, "pitch_offset": -4.0, ...},
 *    "trm":     {"output_rate": 22050.0, ...}}
 *   -> {"ok": true, "out": "...", "bytes": N}   or   {"ok": false, "error": "..."}
 *
 * `voice` starts from the package's voice_<base>.txt and overrides its keys; `control` and `trm`
 * override keys of trm_control_model.txt and trm.txt. Keys that the files do not have are an error,
 * so a misspelt parameter never silently does nothing. GnuSpeech's random intonation and drift
 * read /dev/urandom; the caller turns them off (random_intonation = 0, intonation_drift = 0) when
 * it wants the same wav for the same request.
 */
import { createInterface } from 'node:readline';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DATA = '/data/en';

function override(content, values, file) {
  let out = content;
  for (const [key, value] of Object.entries(values ?? {})) {
    const re = new RegExp(`^(#?)\\s*${key}\\s*=.*$`, 'm');
    if (!re.test(out)) throw new Error(`${file} has no key ${key}`);
    out = out.replace(re, `${key} = ${value}`);
  }
  return out;
}

function cString(m, s) {
  const bytes = new TextEncoder().encode(s);
  const ptr = m._malloc(bytes.length + 1);
  m.HEAPU8.set(bytes, ptr);
  m.HEAPU8[ptr + bytes.length] = 0;
  return ptr;
}

async function main() {
  const pkg = process.argv[2];
  if (!pkg) {
    process.stderr.write('usage: gnuspeech_render.mjs PACKAGE_DIR (node_modules/@echogarden/gnuspeech-wasm)\n');
    process.exit(2);
  }
  const { default: init } = await import(pathToFileURL(join(pkg, 'wasm', 'gnuspeech.js')).href);
  const m = await init();
  const read = (name) => new TextDecoder().decode(m.FS.readFile(`${DATA}/${name}`));
  const base = { control: read('trm_control_model.txt'), trm: read('trm.txt') };
  const voices = {};
  for (const v of ['male', 'female', 'large_child', 'small_child', 'baby']) voices[v] = read(`voice_${v}.txt`);

  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    if (!line.trim()) continue;
    let reply;
    try {
      const req = JSON.parse(line);
      const vbase = req.voice?.base ?? 'male';
      if (!(vbase in voices)) throw new Error(`unknown voice base ${vbase}`);
      const { base: _b, ...vkeys } = req.voice ?? {};
      m.FS.writeFile(`${DATA}/voice_job.txt`, override(voices[vbase], vkeys, `voice_${vbase}.txt`));
      m.FS.writeFile(`${DATA}/trm_control_model.txt`,
        override(override(base.control, { voice_name: 'job' }, 'trm_control_model.txt'), req.control, 'trm_control_model.txt'));
      m.FS.writeFile(`${DATA}/trm.txt`, override(base.trm, req.trm, 'trm.txt'));
      const ptrs = [cString(m, req.text), cString(m, './out.wav'), cString(m, DATA), cString(m, './out-params.txt')];
      try {
        m._GnuSpeech_synthesizeToFile(ptrs[0], ptrs[1], ptrs[2], ptrs[3], 0);
      } finally {
        for (const p of ptrs) m._free(p);
      }
      const wav = m.FS.readFile('./out.wav');
      m.FS.unlink('./out.wav');
      try { m.FS.unlink('./out-params.txt'); } catch { /* not written */ }
      if (wav.length <= 44) throw new Error('empty output');
      writeFileSync(req.out, wav);
      reply = { ok: true, out: req.out, bytes: wav.length };
    } catch (e) {
      reply = { ok: false, error: String(e?.message ?? e) };
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  }
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});
