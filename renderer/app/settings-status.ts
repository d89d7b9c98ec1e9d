/**
 * The settings dialog's status line after the engine took a change: "Applied.", and the
 * Settings → Pronunciations lines it could not use (EngineInfo.lexiconProblems), each with its
 * line number and reason, so that a typo is not answered with a silent "Applied.".
 */
import type { EngineInfo } from '../worker/protocol';

export function appliedStatus(recording: boolean, problems: EngineInfo['lexiconProblems'] | undefined): { text: string; tone: 'info' | 'error' } {
  const applied = recording ? 'Applied: recognition continues with the new settings.' : 'Applied.';
  if (!problems || problems.length === 0) return { text: applied, tone: 'info' };
  const n = problems.length;
  const lines = problems.map((p) => `line ${p.line}: ${p.reason}`).join('; ');
  return { text: `${applied} Pronunciations: ${n} line${n === 1 ? ' was' : 's were'} not used (${lines}).`, tone: 'error' };
}
