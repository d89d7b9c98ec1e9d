import { describe, expect, it } from 'vitest';
import { emptyHintLines } from '../../../renderer/app/view/empty-hint';
import { hearingStatus } from '../../../renderer/app/view/hearing-status';

describe('status line under the spectrogram', () => {
  it('names the file and how far its import is, not "Listening…"', () => {
    expect(hearingStatus({ recording: 'idle', file: { name: 'talk.wav', fraction: 0.426 } })).toBe(
      'Transcribing talk.wav… 42 %',
    );
    expect(hearingStatus({ recording: 'idle', file: { name: 'talk.wav', fraction: 1 } })).toBe(
      'Transcribing talk.wav… 100 %',
    );
    expect(hearingStatus({ recording: 'idle', file: { name: 'talk.ogg', fraction: null } })).toBe('Reading talk.ogg…');
  });

  it('says what the microphone is doing, and nothing at rest (it never repeats the partial)', () => {
    expect(hearingStatus({ recording: 'recording', file: null })).toBe('Listening…');
    expect(hearingStatus({ recording: 'starting', file: null })).toBe('Starting the microphone…');
    expect(hearingStatus({ recording: 'stopping', file: null })).toBe('Finishing the last words…');
    expect(hearingStatus({ recording: 'idle', file: null })).toBe('');
  });
});

describe('empty transcript hint', () => {
  it('keeps the "press Space" hint for a ready model only', () => {
    expect(emptyHintLines('ready')).toBeNull();
    for (const state of ['loading', 'missing', 'failed'] as const) {
      const lines = emptyHintLines(state)!;
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join(' ')).not.toMatch(/Space|press/i);
    }
    expect(emptyHintLines('failed')!.join(' ')).toMatch(/could not be loaded.*Models/);
    expect(emptyHintLines('missing')!.join(' ')).toMatch(/Models/);
  });
});
