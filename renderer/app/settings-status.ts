/**
 * The settings dialog's status line after the engine took a change: "Applied.", and the
 * Settings → Pronunciations lines it could not use (EngineInfo.lexiconProblems), each with its
 * line number and reason, so that a typo is not answered with a silent "Applied.". A word typed
 * alone for which the letters → phonemes model proposed a pronunciation (shown with a Use button
 * below the field) is named with that proposal instead: "zorblax: no pronunciation — proposed
 * Z AO R B L AA K S, press Use".
 */
import type { EngineInfo } from '../worker/protocol';

export function appliedStatus(
  recording: boolean,
  problems: EngineInfo['lexiconProblems'] | undefined,
): { text: string; tone: 'info' | 'error' } {
  const applied = recording ? 'Applied: recognition continues with the new settings.' : 'Applied.';
  if (!problems || problems.length === 0) return { text: applied, tone: 'info' };
  const proposed = problems.filter((p) => p.proposal !== undefined);
  const others = problems.filter((p) => p.proposal === undefined);
  let text = applied;
  if (proposed.length > 0) text += ` ${proposalStatus(proposed)}.`;
  if (others.length > 0) {
    const n = others.length;
    const lines = others.map((p) => `line ${p.line}: ${p.reason}`).join('; ');
    text += ` Pronunciations: ${n} line${n === 1 ? ' was' : 's were'} not used (${lines}).`;
  }
  return { text, tone: others.length > 0 ? 'error' : 'info' };
}

/** "zorblax: no pronunciation — proposed Z AO R B L AA K S, press Use" (one clause per proposal). */
export function proposalStatus(proposed: EngineInfo['lexiconProblems']): string {
  const clauses = proposed.map((p) => `${p.text.trim()}: no pronunciation — proposed ${p.proposal}`);
  return `${clauses.join('; ')}, press Use`;
}
