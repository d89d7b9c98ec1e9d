/**
 * Turns getUserMedia / AudioContext failures into messages that say what happened and what to do.
 * `kind` lets the UI pick the banner (and the e2e test find it).
 */

export type CaptureErrorKind =
  'permission-denied' | 'no-device' | 'device-busy' | 'device-lost' | 'insecure-context' | 'unsupported' | 'unknown';

export interface CaptureProblem {
  kind: CaptureErrorKind;
  title: string;
  detail: string;
}

export interface CaptureHelp {
  /** Where to grant microphone permission in this host (desktop app vs browser). */
  permissionHowTo: string;
}

export function describeCaptureError(error: unknown, help: CaptureHelp): CaptureProblem {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return {
        kind: 'permission-denied',
        title: 'Microphone access was denied',
        detail: `Earshot needs permission to use the microphone. ${help.permissionHowTo} Then press Start again. Your transcript is kept.`,
      };
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return {
        kind: 'no-device',
        title: 'No microphone found',
        detail: 'The selected input is not available. Plug in a microphone or choose another input, then press Start.',
      };
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return {
        kind: 'device-busy',
        title: 'The microphone could not be opened',
        detail:
          'Another application may be using it, or the system blocked it. Close other recording apps or choose another input, then press Start.',
      };
    case 'TypeError':
      if (typeof navigator !== 'undefined' && !navigator.mediaDevices) {
        return {
          kind: 'insecure-context',
          title: 'Microphone unavailable here',
          detail: 'Microphone capture needs a secure page (https or localhost).',
        };
      }
      break;
  }
  return {
    kind: 'unknown',
    title: 'Could not start recording',
    detail: `${error instanceof Error ? error.message : String(error)}. Your transcript is kept.`,
  };
}

export function deviceLostProblem(label: string | null): CaptureProblem {
  return {
    kind: 'device-lost',
    title: 'Microphone disconnected',
    detail: `${label ? `“${label}”` : 'The input device'} stopped delivering audio. Recording was stopped and the transcript is kept. Reconnect it or choose another input, then press Start.`,
  };
}
