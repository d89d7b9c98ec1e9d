import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The small real-speech extractors (kajongg, qabcs, warzone2100) on tiny inputs built here in each game's layout
// (Ogg Vorbis clips made with sox, the game's text files written by the test): no game data, no apt download.
const REPO = resolve(__dirname, '../../..');
const REAL = join(REPO, 'models/recipe/data/real');
const PY = '/usr/bin/python3';
const ok = spawnSync('sh', ['-c', `command -v sox && test -x ${PY}`], { stdio: 'ignore' }).status === 0;

/** An Ogg Vorbis tone of `seconds` at `rate` Hz. */
function ogg(path: string, seconds: number, rate: number, freq: number): void {
  execFileSync('sox', ['-n', '-r', String(rate), '-c', '1', path, 'synth', String(seconds), 'sine', String(freq)]);
}

function py(code: string): string {
  return execFileSync(PY, ['-c', code], { cwd: REAL, encoding: 'utf8' });
}

function clips(out: string): string[][] {
  return readFileSync(join(out, 'clips.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

/** Sample rate, channels, bits and seconds of a WAV, read by Python's wave module. */
function wavInfo(path: string): number[] {
  return JSON.parse(
    py(`import json, wave
w = wave.open("${path}")
print(json.dumps([w.getframerate(), w.getnchannels(), w.getsampwidth() * 8, round(w.getnframes() / w.getframerate(), 2)]))`),
  );
}

describe.skipIf(!ok)('small real-speech extractors', () => {
  it('kajongg: voice folders of coded clips -> the spoken words, one speaker and group per voice', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-kaj-'));
    const voices = join(dir, 'voices');
    for (const v of ['female1', 'male2', 'de/male1']) mkdirSync(join(voices, v), { recursive: true });
    ogg(join(voices, 'female1/s3.ogg'), 0.5, 44100, 300);
    ogg(join(voices, 'female1/violatesoriginalcall.ogg'), 1.0, 44100, 400);
    ogg(join(voices, 'female1/xyz.ogg'), 0.3, 44100, 500); // an unknown code: left out and reported
    ogg(join(voices, 'male2/dg.ogg'), 0.7, 44100, 200);
    ogg(join(voices, 'male2/wn.ogg'), 0.4, 44100, 250);
    ogg(join(voices, 'de/male1/b1.ogg'), 0.4, 44100, 250); // German voices are not read
    const out = join(dir, 'out');
    const res = JSON.parse(
      py(`import json, kajongg
rows, unknown = kajongg.extract("${voices}", "${out}", log=lambda m: None)
print(json.dumps(dict(unknown=unknown, b1=kajongg.wording("b1"), c9=kajongg.wording("c9"), we=kajongg.wording("we"))))`),
    );
    expect(res).toEqual({ unknown: ['female1/xyz.ogg'], b1: 'Bamboo 1', c9: 'Character 9', we: 'East' });
    expect(clips(out)).toEqual([
      ['id', 'wav', 'duration_s', 'speaker', 'group', 'text'],
      ['kajongg_female1_s3', 'wav/kajongg_female1_s3.wav', '0.500', 'female1', 'female1', 'Circle 3'],
      [
        'kajongg_female1_violatesoriginalcall',
        'wav/kajongg_female1_violatesoriginalcall.wav',
        '1.000',
        'female1',
        'female1',
        'Violates the Original Call',
      ],
      ['kajongg_male2_dg', 'wav/kajongg_male2_dg.wav', '0.700', 'male2', 'male2', 'Green Dragon'],
      ['kajongg_male2_wn', 'wav/kajongg_male2_wn.wav', '0.400', 'male2', 'male2', 'North'],
    ]);
    expect(wavInfo(join(out, 'wav/kajongg_male2_dg.wav'))).toEqual([16000, 1, 16, 0.7]);
  });

  it('qabcs: abc1.json names and letters, en_gb inheriting from en and marked synthetic', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-qabcs-'));
    const abcs = join(dir, 'abcs');
    for (const d of ['en/sounds/alpha', 'en/sounds/words', 'en_gb/sounds/alpha', 'en_gb/sounds/words'])
      mkdirSync(join(abcs, d), { recursive: true });
    writeFileSync(
      join(abcs, 'en/abc1.json'),
      JSON.stringify({
        general: { language: 'English (US)' },
        letters: [
          {
            D: {
              sound_letter: 'D.ogg',
              food: { pic: 'food/donut.png', name: 'DONUT', sound_pic: 'donut.ogg' },
              misc: { name: 'HOT DOG', sound_pic: 'hot_dog.ogg' },
            },
          },
        ],
      }),
    );
    writeFileSync(
      join(abcs, 'en_gb/abc1.json'),
      JSON.stringify({
        general: { language: 'English (UK)', inheritsFrom: 'en/abc1.json' },
        letters: [{ D: { food: { name: 'DOUGHNUT' } } }, { Z: { sound_letter: 'Z.ogg' } }],
      }),
    );
    ogg(join(abcs, 'en/sounds/alpha/d.ogg'), 0.4, 44100, 300);
    ogg(join(abcs, 'en/sounds/words/donut.ogg'), 0.6, 44100, 300);
    ogg(join(abcs, 'en/sounds/words/hot_dog.ogg'), 0.8, 44100, 300);
    ogg(join(abcs, 'en_gb/sounds/alpha/z.ogg'), 0.5, 24000, 300);
    ogg(join(abcs, 'en_gb/sounds/words/doughnut.ogg'), 0.6, 24000, 300);
    const out = join(dir, 'out');
    py(`import qabcs; qabcs.extract("${abcs}", "${out}")`);
    expect(
      clips(out)
        .slice(1)
        .map((r) => [r[0], r[2], r[3], r[4], r[5]]),
    ).toEqual([
      ['qabcs_en_alpha_d', '0.400', '', 'en', 'D'],
      ['qabcs_en_words_donut', '0.600', '', 'en', 'DONUT'],
      ['qabcs_en_words_hot_dog', '0.800', '', 'en', 'HOT DOG'],
      ['qabcs_en_gb_alpha_z', '0.500', 'synthetic', 'en_gb_synthetic', 'Zed'],
      ['qabcs_en_gb_words_doughnut', '0.600', 'synthetic', 'en_gb_synthetic', 'DOUGHNUT'],
    ]);
    expect(wavInfo(join(out, 'wav/qabcs_en_gb_words_doughnut.wav'))).toEqual([16000, 1, 16, 0.6]);
  });

  it('warzone2100: tutorial.js console table inside base.wz -> clip texts; entries without a message left out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-wz-'));
    const src = join(dir, 'src');
    mkdirSync(join(src, 'audio/tutorial'), { recursive: true });
    mkdirSync(join(src, 'script'));
    ogg(join(src, 'audio/tutorial/tut1.ogg'), 1.5, 11025, 300);
    ogg(join(src, 'audio/tutorial/tut2.ogg'), 0.5, 11025, 300);
    ogg(join(src, 'audio/tutorial/tut3.ogg'), 2.0, 11025, 300);
    writeFileSync(
      join(src, 'script/tutorial.js'),
      `function setUpConsoleAndAudioVar()
{
\tconsoleVar = [
\t\t{"audio": "tut1.ogg", "clear": false, "message": _("In this training session you'll learn"), "state": 0, "wait": 1},
\t\t{"audio": "tut2.ogg", "clear": false, "message": undefined, "state": 2, "wait": 2},
\t\t//==PART TWO==
\t\t{"audio": "tut3.ogg", "clear": true, "message": _("Please wait whilst the factory manufactures the new unit(s)"), "state": 8, "wait": 3, "func": "addTheArtifact"},
\t\t{"audio": "tut9.ogg", "clear": false, "message": _("No clip for this one"), "state": 9, "wait": 1},
\t];
}`,
    );
    const wz = join(dir, 'base.wz');
    py(`import os, zipfile
with zipfile.ZipFile("${wz}", "w") as z:
    for root, _, files in os.walk("${src}"):
        for f in files:
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, "${src}"))`);
    const out = join(dir, 'out');
    const info = JSON.parse(
      py(`import json, warzone2100
rows, info = warzone2100.extract("${wz}", "${out}")
print(json.dumps(info))`),
    );
    expect(info).toEqual({
      script_entries: 4,
      entries_without_text: 1,
      missing_audio: ['tut9.ogg'],
      tutorial_clips_not_in_script: 0,
    });
    expect(clips(out).slice(1)).toEqual([
      [
        'warzone2100_tut1',
        'wav/warzone2100_tut1.wav',
        '1.500',
        'narrator',
        'narrator',
        "In this training session you'll learn",
      ],
      [
        'warzone2100_tut3',
        'wav/warzone2100_tut3.wav',
        '2.000',
        'narrator',
        'narrator',
        'Please wait whilst the factory manufactures the new unit(s)',
      ],
    ]);
    expect(wavInfo(join(out, 'wav/warzone2100_tut3.wav'))).toEqual([16000, 1, 16, 2.0]);
  });
});
