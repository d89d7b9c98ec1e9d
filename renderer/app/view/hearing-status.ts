/**
 * The status line under the spectrogram: what the app is doing with audio right now. The words
 * being heard are not repeated here: the partial shows once, greyed, at the end of the transcript
 * where it will become final.
 */
export interface HearingActivity {
  /** live-session.ts's RecordingState (repeated so this file needs no DOM). */
  recording: 'idle' | 'starting' | 'recording' | 'stopping';
  /** The file being imported and how far (0..1; null while it is decoded), or null. */
  file: { name: string; fraction: number | null } | null;
}

/** "Listening…", "Transcribing talk.wav… 42 %", …; empty when idle. */
export function hearingStatus(activity: HearingActivity): string {
  const { file } = activity;
  if (file) {
    if (file.fraction === null) return `Reading ${file.name}…`;
    return `Transcribing ${file.name}… ${Math.floor(Math.min(1, Math.max(0, file.fraction)) * 100)} %`;
  }
  switch (activity.recording) {
    case 'starting':
      return 'Starting the microphone…';
    case 'recording':
      return 'Listening…';
    case 'stopping':
      return 'Finishing the last words…';
    default:
      return '';
  }
}
