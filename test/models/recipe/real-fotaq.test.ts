import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Flight of the Amazon Queen extractor (models/recipe/data/real/fotaq.py) on a tiny synthetic game file built in
// the game's layout by real_fotaq_check.py: no game data in the repository, no apt download.
const REPO = resolve(__dirname, '../../..');
const PY = '/usr/bin/python3';
const CHECK = join(REPO, 'test/models/recipe/real_fotaq_check.py');
const sox = spawnSync('sox', ['--version'], { stdio: 'ignore' }).status === 0;
const soxMp3 = sox && / mp3 /.test(spawnSync('sox', ['-h'], { encoding: 'utf8' }).stdout ?? '');

interface Check {
  header: string[];
  rows: string[][];
  audio: Record<
    string,
    { expected_hz: number; hz: number; rate: number; peak: number; seconds: number; expected_seconds: number }
  >;
  meta: {
    clips: number;
    mapping: { exact: number; matched: number; dropped: number; sound_effects_skipped: number };
    speakers: number;
    groups: number;
  };
}

function run(mode: string): Check {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-fotaq-'));
  return JSON.parse(execFileSync(PY, [CHECK, dir, mode], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
}

const EXPECTED = [
  // id, speaker, group, text: dialogue key 7, person line 1 cut at its commands (segment 1 is empty), Joe's line
  // 6, a cutaway's Joe record in two segments and its spoken-text record whole, Joe response 1, description 1.
  ['fotaq-070001p2', 'Test', 'Test', 'Hello there.'],
  ['fotaq-070001p3', 'Test', 'Test', 'How are you?'],
  ['fotaq-070006j1', 'Joe', 'Joe', "I'm fine, thanks."],
  ['fotaq-c1a__011', 'Joe', 'Joe', 'Nice day.'],
  ['fotaq-c1a__012', 'Joe', 'Joe', 'Too hot though.'],
  ['fotaq-c1a__021', '', 'scene:C1A', 'The end is near.'],
  ['fotaq-joe00011', 'Joe', 'Joe', "I can't do that."],
  ['fotaq-joe00411', 'Joe', 'Joe', 'A plain wooden box.'],
];

describe.skipIf(!sox)('real speech: FOTAQ extractor on a synthetic game file', () => {
  it('maps clip names to the dialogue, scene and Joe lines exactly and converts the audio to 16 kHz', () => {
    const out = run('raw');
    expect(out.header).toEqual(['id', 'wav', 'duration_s', 'speaker', 'group', 'text', 'mapping']);
    expect(out.rows.map((r) => [r[0], r[3], r[4], r[5]])).toEqual(EXPECTED);
    expect(out.rows.every((r) => r[6] === 'exact' && r[1] === `wav/${r[0]}.wav`)).toBe(true);
    // the sound effect is skipped, the clip outside every naming scheme is left out without PocketSphinx
    expect(out.meta.mapping).toEqual({ exact: 8, matched: 0, dropped: 1, sound_effects_skipped: 1 });
    expect(out.meta.clips).toBe(8);
    for (const a of Object.values(out.audio)) {
      expect(a.rate).toBe(16000);
      expect(Math.abs(a.seconds - a.expected_seconds)).toBeLessThan(0.002); // 11,025 Hz PCM in, same length out
      expect(Math.abs(a.hz - a.expected_hz)).toBeLessThan(1); // the tone keeps its pitch
      expect(a.peak).toBeGreaterThan(0.65);
    }
    expect(Object.keys(out.audio)).toHaveLength(8);
  }, 20_000);

  it.skipIf(!soxMp3)(
    "decodes MP3 speech entries (the Debian release's compression)",
    () => {
      const out = run('mp3');
      expect(out.rows.map((r) => r[5])).toEqual(EXPECTED.map((r) => r[3]));
      for (const a of Object.values(out.audio)) {
        expect(a.rate).toBe(16000);
        expect(a.seconds - a.expected_seconds).toBeGreaterThanOrEqual(0); // encoder delay and padding only
        expect(a.seconds - a.expected_seconds).toBeLessThan(0.15);
        expect(Math.abs(a.hz / a.expected_hz - 1)).toBeLessThan(0.12); // 16 kbit/s: same tone, roughly
      }
    },
    20_000,
  );
});
