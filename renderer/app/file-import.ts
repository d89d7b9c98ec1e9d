/**
 * Importing an audio file: read it, decode it, and stream it through the engine worker in blocks,
 * with a progress bar and Cancel. WAV is decoded in the worker by the engine's own reader (every
 * PCM and float layout); anything else goes through the platform's decodeAudioData (MP3, OGG,
 * FLAC, AAC, Opus… whatever this Chromium supports), resampled by it to 16 kHz.
 *
 * The text lands in the same transcript view as live dictation. Cancel keeps what was transcribed.
 */
import { isWav } from '../engine/audio/wav';
import { INPUT_SAMPLE_RATE, type FileAudio, type Timeline } from '../worker/protocol';
import type { EngineClient, FileFailedEvent, FileProgressEvent, StoppedEvent } from './engine-client';
import { formatClock } from './format-time';
import type { Banners } from './view/banners';

/** Largest file accepted: decoding holds the whole file in memory. */
const MAX_FILE_BYTES = 1024 * 1024 * 1024;

export interface FileImportElements {
  panel: HTMLElement;
  name: HTMLElement;
  bar: HTMLProgressElement;
  text: HTMLElement;
  cancel: HTMLButtonElement;
}

export interface FileImportDeps {
  engine: EngineClient;
  banners: Banners;
  el: FileImportElements;
  /** Why a file cannot be imported now (recording, no model), or null. */
  blocker(): string | null;
  /** Prepares the session for this file and says where its segments go. */
  beginRun(fileName: string): Timeline;
  onActive(active: boolean): void;
  /** The import moved on: the file and the share of it done (null while decoding). */
  onProgress(file: { name: string; fraction: number | null }): void;
  /** Whether the run that just ended added any words to the transcript. */
  heardWords(): boolean;
}

/** A file to import: a dropped File, or the bytes the host's open dialog returned. */
export interface AudioSource {
  name: string;
  size: number;
  bytes(): Promise<Uint8Array>;
}

export function fileSource(file: File): AudioSource {
  return { name: file.name, size: file.size, bytes: async () => new Uint8Array(await file.arrayBuffer()) };
}

export function bytesSource(name: string, data: Uint8Array): AudioSource {
  return { name, size: data.byteLength, bytes: async () => data };
}

interface Job {
  name: string;
  requestId: number | null;
  cancelled: boolean;
}

export class FileImport {
  private job: Job | null = null;

  constructor(private readonly deps: FileImportDeps) {
    deps.el.cancel.addEventListener('click', () => this.cancel());
  }

  get active(): boolean {
    return this.job !== null;
  }

  async importFile(file: AudioSource): Promise<void> {
    const blocker = this.deps.blocker();
    if (blocker) {
      this.deps.banners.show({
        id: 'import',
        tone: 'warning',
        title: `Cannot import ${file.name} now`,
        detail: blocker,
        timeoutMs: 8000,
      });
      return;
    }
    if (file.size > MAX_FILE_BYTES) {
      this.deps.banners.show({
        id: 'import',
        tone: 'error',
        title: `${file.name} is too large`,
        detail: `Files up to ${MAX_FILE_BYTES >> 30} GiB can be imported. Split it, or convert it to a compressed format.`,
      });
      return;
    }
    const job: Job = { name: file.name, requestId: null, cancelled: false };
    this.job = job;
    this.deps.banners.dismiss('import');
    this.deps.onActive(true);
    this.showProgress(null, `Decoding ${file.name}…`);
    let audio: FileAudio;
    try {
      audio = await decodeFile(file);
    } catch (error) {
      this.finish();
      this.deps.banners.show({
        id: 'import',
        tone: 'error',
        title: `Could not read ${file.name}`,
        detail: describeDecodeError(error),
      });
      return;
    }
    if (job.cancelled) {
      this.finish();
      return;
    }
    job.requestId = this.deps.engine.transcribeFile(audio, this.deps.beginRun(file.name));
    this.showProgress(0, 'Starting…');
  }

  cancel(): void {
    const job = this.job;
    if (!job || job.cancelled) return;
    job.cancelled = true;
    this.deps.el.cancel.disabled = true;
    this.deps.el.text.textContent = 'Cancelling…';
    if (job.requestId !== null) this.deps.engine.cancelFile(job.requestId);
  }

  onProgress(event: FileProgressEvent): void {
    if (!this.job || event.requestId !== this.job.requestId || this.job.cancelled) return;
    const fraction = event.totalSeconds > 0 ? event.processedSeconds / event.totalSeconds : 1;
    this.showProgress(fraction, `${formatClock(event.processedSeconds)} of ${formatClock(event.totalSeconds)}`);
  }

  onFailed(event: FileFailedEvent): void {
    if (!this.job || event.requestId !== this.job.requestId) return;
    const name = this.job.name;
    this.finish();
    this.deps.banners.show({
      id: 'import',
      tone: 'error',
      title: `Could not transcribe ${name}`,
      detail: event.message,
    });
  }

  onStopped(event: StoppedEvent): void {
    if (!this.job || event.requestId !== this.job.requestId) return;
    const name = this.job.name;
    this.finish();
    const heard = formatClock(event.stats.secondsReceived);
    const words = this.deps.heardWords();
    this.deps.banners.show(
      event.cancelled
        ? {
            id: 'import',
            tone: 'info',
            title: 'Import cancelled',
            detail: words
              ? `The first ${heard} of ${name} were transcribed and kept.`
              : `No speech was found in the first ${heard} of ${name}.`,
            timeoutMs: 8000,
          }
        : words
          ? {
              id: 'import',
              tone: 'info',
              title: 'Import finished',
              detail: `${name} (${heard}) is transcribed.`,
              timeoutMs: 6000,
            }
          : {
              id: 'import',
              tone: 'warning',
              title: 'No speech found',
              detail: `The model heard no words in ${name} (${heard}). If it holds speech, check that it plays, and that it is not too quiet.`,
            },
    );
  }

  private showProgress(fraction: number | null, text: string): void {
    const { panel, name, bar, text: label, cancel } = this.deps.el;
    panel.hidden = false;
    name.textContent = this.job?.name ?? '';
    if (fraction === null)
      bar.removeAttribute('value'); // indeterminate while decoding
    else bar.value = fraction;
    bar.setAttribute('aria-valuetext', text);
    label.textContent = text;
    cancel.disabled = false;
    if (this.job) this.deps.onProgress({ name: this.job.name, fraction });
  }

  private finish(): void {
    this.job = null;
    this.deps.el.panel.hidden = true;
    this.deps.onActive(false);
  }
}

/** WAV as bytes for the worker; anything else decoded here, by the platform. */
async function decodeFile(file: AudioSource): Promise<FileAudio> {
  const bytes = await file.bytes();
  if (isWav(bytes)) return { kind: 'wav', bytes };
  const context = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate: INPUT_SAMPLE_RATE });
  // decodeAudioData detaches the buffer it gets: give it a copy of exactly these bytes
  const buffer = await context.decodeAudioData(bytes.slice().buffer);
  const channels: Float32Array[] = [];
  for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(buffer.getChannelData(c).slice());
  return { kind: 'pcm', sampleRate: buffer.sampleRate, channels };
}

function describeDecodeError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'EncodingError') return 'This is not an audio format this system can decode. Try WAV, MP3, OGG or FLAC.';
  return error instanceof Error ? error.message : String(error);
}
