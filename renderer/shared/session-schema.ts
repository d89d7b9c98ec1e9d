/**
 * An autosaved transcription session: what the renderer writes after every final segment and
 * what "recover session" reads back. Segments are kept opaque here (their type belongs to the
 * engine's transcript module); main only checks the envelope and the size.
 */

export interface SessionRecord {
  /** Letters, digits, '-' and '_' only: it becomes a file name. */
  id: string;
  startedAt: string; // ISO 8601
  updatedAt: string; // ISO 8601
  /** True once the user stopped cleanly; an unfinished session after a restart is offered for recovery. */
  finished: boolean;
  title: string;
  segments: unknown[];
}

export interface SessionSummary {
  id: string;
  startedAt: string;
  updatedAt: string;
  finished: boolean;
  title: string;
  segmentCount: number;
}

export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_SESSION_BYTES = 32 * 1024 * 1024;

export function isSessionRecord(value: unknown): value is SessionRecord {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    SESSION_ID_PATTERN.test(v.id) &&
    typeof v.startedAt === 'string' &&
    typeof v.updatedAt === 'string' &&
    typeof v.finished === 'boolean' &&
    typeof v.title === 'string' &&
    v.title.length <= 512 &&
    Array.isArray(v.segments)
  );
}

export function summarizeSession(record: SessionRecord): SessionSummary {
  const { id, startedAt, updatedAt, finished, title } = record;
  return { id, startedAt, updatedAt, finished, title, segmentCount: record.segments.length };
}
