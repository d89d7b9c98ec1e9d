/**
 * One microphone capture: getUserMedia → MediaStreamSource → capture worklet, whose 16 kHz mono
 * blocks go straight to the engine worker's port. Reports levels for the meter and the device
 * going away (unplugged, revoked) so the UI can stop cleanly and say so.
 */
import workletUrl from './capture.worklet?worker&url';
import { CAPTURE_PROCESSOR_NAME } from './capture-processor-name';
import type { UiToWorklet, WorkletToUi } from '../worker/protocol';

export interface MicrophoneEvents {
  onLevel(rmsDb: number, peak: number): void;
  /** The track ended without stop() being called: device unplugged or permission revoked. */
  onDeviceLost(label: string | null): void;
}

export interface StartedMicrophone {
  /** deviceId of the track actually opened (the default device resolves to a real id). */
  deviceId: string | null;
  label: string | null;
  sampleRate: number;
}

export class MicrophoneCapture {
  private context: AudioContext | null = null;
  private media: MediaStream | null = null;
  private node: AudioWorkletNode | null = null;
  private stopping = false;

  constructor(private readonly events: MicrophoneEvents) {}

  /** Opens the device and starts posting audio into `enginePort`. Throws getUserMedia's errors unchanged. */
  async start(deviceId: string | null, enginePort: MessagePort): Promise<StartedMicrophone> {
    this.stopping = false;
    const media = await navigator.mediaDevices.getUserMedia({
      audio: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        channelCount: { ideal: 1 },
        // the models were trained on unprocessed speech; browser DSP would change its spectrum
        echoCancellation: false,
        noiseSuppression: false,
        autoGainControl: false,
      },
    });
    this.media = media;
    try {
      const context = new AudioContext({ latencyHint: 'interactive' });
      this.context = context;
      await context.audioWorklet.addModule(workletUrl);
      const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR_NAME, {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        channelCountMode: 'explicit',
        channelCount: 2,
        channelInterpretation: 'speakers',
      });
      this.node = node;
      node.port.onmessage = (event: MessageEvent<WorkletToUi>) => {
        if (event.data.type === 'level') this.events.onLevel(event.data.rmsDb, event.data.peak);
      };
      node.port.postMessage({ type: 'connect', port: enginePort } satisfies UiToWorklet, [enginePort]);
      context.createMediaStreamSource(media).connect(node);
      if (context.state === 'suspended') await context.resume();
      const track = media.getAudioTracks()[0];
      track?.addEventListener('ended', () => {
        if (!this.stopping) this.events.onDeviceLost(track.label || null);
      });
      return {
        deviceId: track?.getSettings().deviceId ?? null,
        label: track?.label || null,
        sampleRate: context.sampleRate,
      };
    } catch (error) {
      await this.release();
      throw error;
    }
  }

  /** Flushes buffered audio to the engine (followed by the end marker), then releases the device. */
  async stop(): Promise<void> {
    this.stopping = true;
    const node = this.node;
    if (node) {
      const flushed = new Promise<void>((resolve) => {
        const previous = node.port.onmessage;
        node.port.onmessage = (event: MessageEvent<WorkletToUi>) => {
          if (event.data.type === 'flushed') resolve();
          else previous?.call(node.port, event);
        };
      });
      node.port.postMessage({ type: 'flush' } satisfies UiToWorklet);
      // a dead audio thread (device gone) must not hang Stop
      await Promise.race([flushed, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
    await this.release();
  }

  get active(): boolean {
    return this.media !== null;
  }

  private async release(): Promise<void> {
    this.node?.disconnect();
    this.node = null;
    for (const track of this.media?.getTracks() ?? []) track.stop();
    this.media = null;
    const context = this.context;
    this.context = null;
    if (context && context.state !== 'closed') await context.close().catch(() => undefined);
  }
}
