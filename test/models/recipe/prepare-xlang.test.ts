import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * models/recipe/data/xlang (prepare_asterisk.py, ipa_map.py) on tiny local clips made here with sox and texts
 * in Spanish, French and German, through its --local entry point: espeak-ng IPA -> ARPAbet, the drop rules and
 * the manifests. No Debian package is downloaded.
 */
const REPO = resolve(__dirname, '../../..');
const XLANG = join(REPO, 'models/recipe/data/xlang');
const PY = '/usr/bin/python3';
const ok =
  spawnSync('sh', ['-c', `command -v sox && command -v espeak-ng && test -x ${PY}`], { stdio: 'ignore' }).status === 0;

/** A sine tone of `seconds` at 22,050 Hz (resampled to 16 kHz by the script). */
function tone(path: string, seconds: number): void {
  execFileSync('sox', ['-n', '-r', '22050', '-c', '1', path, 'synth', String(seconds), 'sine', '300']);
}

function py(code: string): string {
  return execFileSync(PY, ['-c', code], { cwd: XLANG, encoding: 'utf8' });
}

describe.skipIf(!ok)('xlang Asterisk prompts (local entry point)', () => {
  it('maps espeak-ng IPA onto ARPAbet and drops rows with an unmapped symbol or a language switch', () => {
    const res = JSON.parse(
      py(`import json, ipa_map as m
out = dict(casa=m.ipa_to_arpabet("k_ˈa_s_a", "es-419"), click=m.ipa_to_arpabet("ʘ_a k_a", "es"),
           fr_y=m.ipa_to_arpabet("t_ˈy", "fr"), ru_y=m.ipa_to_arpabet("t_ˈy", "ru"),
           gem=m.ipa_to_arpabet("b_ˈɛ_l_l_a", "it"), nasal=m.ipa_to_arpabet("b_ˈɔ̃ v_ˈɛ̃", "fr"),
           switch=m.ipa_to_arpabet("(en)_b_ˈiː_p_(it)", "it"), ru=m.ipa_to_arpabet("ɕ_ˈɪ tʲ_ˈɑ ja", "ru"))
print(json.dumps(out, ensure_ascii=False))`),
    );
    expect(res.casa).toEqual(['K AA S AA', {}, null]);
    expect(res.click).toEqual(['', { ʘ: 1 }, 'unmapped IPA']);
    expect(res.fr_y[0]).toBe('T UW');
    expect(res.ru_y[0]).toBe('T IH');
    expect(res.gem[0]).toBe('B EH L AA');
    expect(res.nasal[0]).toBe('B AO N | V EH N');
    expect(res.switch[2]).toBe('language switch (en)');
    expect(res.ru[0]).toBe('SH IH | T AA | Y AA');
  });

  it('writes manifests, 16 kHz wavs and a summary from a wav/text/voice list', () => {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-xlang-'));
    for (const [name, s] of [
      ['casa', 1.0],
      ['bonjour', 0.8],
      ['ich', 0.6],
      ['beep', 0.5],
      ['short', 0.2],
      ['digits', 0.7],
    ] as const)
      tone(join(dir, `${name}.wav`), s);
    const list = [
      'casa.wav\tcasa\tes-419',
      'bonjour.wav\tbonjour\tfr',
      'ich.wav\tich\tde', // German ç is not in the table: the row must go
      'beep.wav\t[tono simple]\tes-419', // non-speech
      'short.wav\tcasa\tes-419', // under 0.3 s
      'digits.wav\t12 34 5\tes-419', // mostly digits
    ];
    writeFileSync(join(dir, 'list.tsv'), list.join('\n') + '\n');
    const out = join(dir, 'out');
    execFileSync(
      PY,
      [join(XLANG, 'prepare_asterisk.py'), '--local', join(dir, 'list.tsv'), '--out', out, '--dev-share', '0'],
      { encoding: 'utf8', stdio: 'pipe' },
    );
    const rows = readFileSync(join(out, 'train.tsv'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toEqual([
      [
        'xl_local_es_419_casa_0',
        'local-es-419/wav/xl_local_es_419_casa_0.wav',
        '1.000',
        'xl-es-419-local',
        'none',
        'casa',
        'K AA S AA',
      ],
      [
        'xl_local_fr_bonjour_1',
        'local-fr/wav/xl_local_fr_bonjour_1.wav',
        '0.800',
        'xl-fr-local',
        'none',
        'bonjour',
        'B AO N ZH UW R',
      ],
    ]);
    expect(readFileSync(join(out, 'dev.tsv'), 'utf8')).toBe('');
    const wav = py(`import wave
w = wave.open("${join(out, rows[0][1])}")
print(w.getframerate(), w.getnchannels(), w.getsampwidth() * 8, w.getnframes())`);
    expect(wav.trim()).toBe('16000 1 16 16000');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.sources['local-de']).toMatchObject({
      seen: 1,
      clips: { train: 0, dev: 0 },
      dropped: { 'unmapped IPA': 1 },
      unmapped: { ç: 1 },
    });
    expect(summary.sources['local-es-419'].dropped).toEqual({
      'non-speech': 1,
      'shorter than 0.3 s': 1,
      'mostly digits or symbols': 1,
    });
    expect(summary.sources['local-es-419'].clips).toEqual({ train: 1, dev: 0 });
  });
});
