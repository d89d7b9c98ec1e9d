/**
 * Autosave: the open session as a SessionRecord, written through the host (main's session store,
 * or IndexedDB in a browser) after every final segment and every edit, so a crash or kill loses at
 * most the current partial. Writes are chained so they land in order; a failed write is reported
 * and the next change tries again.
 *
 * `finished` is false while audio is being transcribed (a run is open); the next start offers to
 * recover a session left unfinished.
 */
import type { SessionRecord, SessionSummary } from '../../host/host';
import type { Segment } from '../../worker/protocol';

export interface SessionWriter {
  write(record: SessionRecord): Promise<void>;
}

export interface StoredSession extends SessionRecord {
  /** Audio seconds the session's runs consumed (where the next run starts on the timeline). */
  audioSeconds?: number;
}

export function newSessionRecord(now: Date, title?: string): StoredSession {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  return {
    id: `s${now.getTime().toString(36)}${Math.floor(Math.random() * 1296)
      .toString(36)
      .padStart(2, '0')}`,
    startedAt: iso,
    updatedAt: iso,
    finished: true,
    title: (title ?? `Session ${stamp}`).slice(0, 200),
    segments: [],
    audioSeconds: 0,
  };
}

export class SessionKeeper {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly writer: SessionWriter,
    private record: StoredSession,
    private readonly report: (error: Error | null) => void,
  ) {}

  get current(): Readonly<StoredSession> {
    return this.record;
  }

  /** Makes `record` the open session (a new one, or one from history). */
  open(record: StoredSession): void {
    this.record = record;
    this.written = false;
  }

  rename(title: string): void {
    this.record.title = title.slice(0, 200);
  }

  /**
   * Copies the transcript into the record and writes it. A session with no segments is not
   * written (starting and stopping without speech leaves nothing behind) unless it was saved before.
   */
  save(segments: readonly Segment[], audioSeconds: number, state: { finished?: boolean } = {}): Promise<void> {
    if (state.finished !== undefined) this.record.finished = state.finished;
    if (segments.length === 0 && !this.written) return this.chain;
    this.written = true;
    this.record.segments = segments.map((s) => ({ ...s }));
    this.record.audioSeconds = audioSeconds;
    this.record.updatedAt = new Date().toISOString();
    const snapshot = structuredClone(this.record);
    this.chain = this.chain.then(() =>
      this.writer.write(snapshot).then(
        () => this.report(null),
        (error: unknown) => this.report(error instanceof Error ? error : new Error(String(error))),
      ),
    );
    return this.chain;
  }

  private written = false;

  /** Marks the record as already on disk (opened from history), so emptying it is saved too. */
  markWritten(): void {
    this.written = true;
  }
}

/** The session to offer for recovery: the newest one left unfinished that holds some text. */
export function pickRecoverable(sessions: readonly SessionSummary[]): SessionSummary | null {
  return (
    [...sessions]
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .find((s) => !s.finished && s.segmentCount > 0) ?? null
  );
}

/** Segments read back from storage, dropping anything malformed (a hand-edited or damaged file). */
export function parseStoredSegments(values: readonly unknown[]): Segment[] {
  const out: Segment[] = [];
  for (const value of values) {
    if (typeof value !== 'object' || value === null) continue;
    const v = value as Record<string, unknown>;
    if (
      typeof v.id !== 'number' ||
      typeof v.start !== 'number' ||
      typeof v.end !== 'number' ||
      typeof v.text !== 'string'
    )
      continue;
    const words = Array.isArray(v.words)
      ? v.words.filter(
          (w): w is Segment['words'][number] =>
            typeof w === 'object' &&
            w !== null &&
            typeof (w as Record<string, unknown>).word === 'string' &&
            typeof (w as Record<string, unknown>).start === 'number' &&
            typeof (w as Record<string, unknown>).end === 'number' &&
            typeof (w as Record<string, unknown>).confidence === 'number',
        )
      : [];
    out.push({ id: v.id, start: v.start, end: v.end, text: v.text, words, final: true });
  }
  return out.sort((a, b) => a.id - b.id);
}
