/**
 * The input picker: the connected microphones, the one saved in settings, and what to open when
 * recording starts (the saved one if it is connected, else the system default). A saved input that
 * goes away while idle is said in a banner; one that goes away while recording is the live session's.
 */
import { listInputDevices, onInputDevicesChanged, type InputDevice } from '../capture/input-devices';
import type { Settings } from '../host/host';
import { byId } from './dom';
import type { LiveSession } from './live-session';
import type { Banners } from './view/banners';
import { DevicePicker } from './view/device-picker';

export interface DeviceControlDeps {
  banners: Banners;
  live(): LiveSession;
  settings(): Settings;
  saveSettings(patch: Partial<Settings>): Promise<Settings>;
}

export class DeviceControl {
  private readonly picker = new DevicePicker(byId<HTMLSelectElement>('device'));
  private devices: InputDevice[] = [];

  constructor(private readonly deps: DeviceControlDeps) {}

  /** Start-up: follow the picker and the system's device list, and fill the picker. */
  async start(): Promise<void> {
    this.picker.onChange((deviceId) => void this.deps.saveSettings({ deviceId }));
    onInputDevicesChanged(() => void this.refresh());
    await this.refresh();
  }

  /** The picker is locked while a run holds the microphone. */
  set disabled(disabled: boolean) {
    this.picker.disabled = disabled;
  }

  async refresh(): Promise<void> {
    const { banners } = this.deps;
    const live = this.deps.live();
    const previous = this.devices;
    this.devices = await listInputDevices().catch(() => []);
    live.onDevicesChanged(this.devices.map((d) => d.deviceId));
    const saved = this.deps.settings().deviceId;
    this.picker.render(this.devices, saved);
    // the chosen input went away while idle (recording has its own 'ended' handling)
    const wasThere = previous.find((d) => d.deviceId === saved);
    if (saved && wasThere && !this.devices.some((d) => d.deviceId === saved) && live.current === 'idle') {
      banners.show({
        id: 'device',
        tone: 'warning',
        title: 'Input disconnected',
        detail: `“${wasThere.label}” is no longer connected. Recording will use the system default until it is back, or choose another input.`,
      });
    } else if (saved && this.devices.some((d) => d.deviceId === saved)) {
      banners.dismiss('device');
    }
  }

  /** The saved device if it is connected; otherwise the system default (with permission, ids are known). */
  deviceToOpen(): string | null {
    const saved = this.picker.value;
    if (!saved) return null;
    if (this.devices.length > 0 && !this.devices.some((d) => d.deviceId === saved)) return null;
    return saved;
  }
}
