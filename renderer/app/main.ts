/**
 * Renderer entry: picks the host (Electron or browser), builds the views, wires the controller,
 * the device picker, the theme and the shortcuts, then loads the default model.
 */
import { listInputDevices, onInputDevicesChanged } from '../capture/input-devices';
import { selectHost } from '../host/select-host';
import type { MenuCommand } from '../host/host';
import { installShortcuts } from './keyboard-shortcuts';
import { LiveSession } from './live-session';
import { applyTheme, nextTheme } from './theme';
import { Banners } from './view/banners';
import { DevicePicker } from './view/device-picker';
import { LevelMeter } from './view/level-meter';
import { TranscriptView } from './view/transcript-view';

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`index.html lacks #${id}`);
  return element as T;
}

async function main(): Promise<void> {
  const host = selectHost();
  const root = byId<HTMLElement>('app');
  root.dataset.host = host.kind;
  const banners = new Banners(byId('banners'));
  const picker = new DevicePicker(byId<HTMLSelectElement>('device'));
  const themeButton = byId<HTMLButtonElement>('theme');

  let settings = await host.settings.load().catch(() => null);
  if (settings) applyTheme(settings.theme, themeButton);
  themeButton.addEventListener('click', () => {
    void (async () => {
      const theme = nextTheme(settings?.theme ?? 'system');
      applyTheme(theme, themeButton);
      settings = await host.settings.update({ theme }).catch(() => settings);
    })();
  });

  const refreshDevices = async (): Promise<void> => {
    const devices = await listInputDevices().catch(() => []);
    picker.render(devices, settings?.deviceId ?? null);
  };

  const session = new LiveSession(
    host,
    {
      root,
      recordButton: byId<HTMLButtonElement>('record'),
      elapsed: byId('elapsed'),
      engineStatus: byId('engine-status'),
      transcript: new TranscriptView(byId('transcript'), byId<HTMLOListElement>('finals'), byId('partial'), byId('empty-hint'), byId<HTMLButtonElement>('jump-latest')),
      meter: new LevelMeter(byId('level')),
      banners,
      onRecordingChanged: (recording) => {
        picker.disabled = recording;
        // device labels become readable once microphone permission exists: refresh on first use
        if (recording) void refreshDevices();
      },
    },
    () => picker.value,
  );

  picker.onChange((deviceId) => {
    void host.settings.update({ deviceId }).then((s) => (settings = s)).catch(() => undefined);
  });
  onInputDevicesChanged(() => void refreshDevices());
  await refreshDevices();

  installShortcuts(window, { toggleRecording: () => session.toggle() });
  host.onCommand((command: MenuCommand) => {
    if (command === 'toggle-recording') session.toggle();
    else if (command === 'clear-transcript') session.clearTranscript();
    else banners.show({ id: 'command', tone: 'info', title: 'Not available yet', detail: `“${command}” arrives with the model manager and export features.` });
  });

  await session.loadDefaultModel();
}

main().catch((error: unknown) => {
  const banner = document.getElementById('banners');
  if (banner) banner.textContent = `Earshot failed to start: ${error instanceof Error ? error.message : String(error)}`;
  console.error(error);
});
