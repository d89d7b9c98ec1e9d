import { describe, expect, it } from 'vitest';
import {
  newSessionRecord,
  parseStoredSegments,
  pickRecoverable,
  SessionKeeper,
} from '../../../renderer/app/session/session-keeper';
import { isSessionRecord } from '../../../renderer/shared/session-schema';
import type { SessionRecord, SessionSummary } from '../../../renderer/shared/earshot-api';
import type { Segment } from '../../../renderer/worker/protocol';

const seg = (id: number, text: string): Segment => ({
  id,
  start: id,
  end: id + 0.5,
  text,
  words: [{ word: text, start: id, end: id + 0.5, confidence: 0.7 }],
  final: true,
});

describe('autosave', () => {
  it('makes records the main-side store accepts', () => {
    const record = newSessionRecord(new Date('2024-05-01T09:30:00Z'), 'Talk: draft / v2');
    expect(isSessionRecord(record)).toBe(true);
    expect(record.title).toBe('Talk: draft / v2');
    expect(newSessionRecord(new Date('2024-05-01T09:30:00Z')).title).toBe('Session 2024-05-01 09:30');
  });

  it('writes every save in order, skips empty sessions, and reports failures without stopping', async () => {
    const written: SessionRecord[] = [];
    const reports: (string | null)[] = [];
    let fail = false;
    const keeper = new SessionKeeper(
      {
        write: async (r) => {
          if (fail) throw new Error('disk full');
          written.push(r);
        },
      },
      newSessionRecord(new Date()),
      (e) => reports.push(e ? e.message : null),
    );
    await keeper.save([], 0, { finished: false }); // nothing said yet: nothing written
    expect(written).toHaveLength(0);
    await keeper.save([seg(0, 'a')], 1, { finished: false });
    fail = true;
    await keeper.save([seg(0, 'a'), seg(1, 'b')], 2);
    fail = false;
    await keeper.save([seg(0, 'a'), seg(1, 'b')], 2, { finished: true });
    expect(written.map((r) => [r.segments.length, r.finished])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect((written[1] as SessionRecord & { audioSeconds: number }).audioSeconds).toBe(2);
    expect(reports).toEqual([null, 'disk full', null]);
  });

  it('offers the newest unfinished session that has text', () => {
    const s = (id: string, updatedAt: string, finished: boolean, segmentCount: number): SessionSummary => ({
      id,
      startedAt: updatedAt,
      updatedAt,
      finished,
      title: id,
      segmentCount,
    });
    expect(
      pickRecoverable([
        s('a', '2024-01-01', false, 3),
        s('b', '2024-02-01', false, 0),
        s('c', '2024-03-01', true, 9),
        s('d', '2024-01-15', false, 1),
      ])?.id,
    ).toBe('d');
    expect(pickRecoverable([s('c', '2024-03-01', true, 9)])).toBeNull();
  });

  it('reads stored segments back, dropping malformed ones and bad words', () => {
    const parsed = parseStoredSegments([
      seg(2, 'b'),
      { id: 'x' },
      null,
      { ...seg(1, 'a'), words: [{ word: 'a' }, seg(1, 'a').words[0]] },
    ]);
    expect(parsed.map((s) => s.id)).toEqual([1, 2]);
    expect(parsed[0].words).toHaveLength(1);
    expect(parsed.every((s) => s.final)).toBe(true);
  });
});
