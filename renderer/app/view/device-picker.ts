/**
 * The input-device <select>. Keeps the saved choice when the list refreshes (devicechange), and
 * shows a saved-but-absent device as "(disconnected)" instead of silently switching.
 */
import type { InputDevice } from '../../capture/input-devices';

export class DevicePicker {
  constructor(private readonly select: HTMLSelectElement) {}

  /** null = system default. */
  get value(): string | null {
    return this.select.value === '' ? null : this.select.value;
  }

  onChange(listener: (deviceId: string | null) => void): void {
    this.select.addEventListener('change', () => listener(this.value));
  }

  render(devices: InputDevice[], selected: string | null): void {
    const options = [new Option('System default', '')];
    for (const d of devices) options.push(new Option(d.label, d.deviceId));
    if (selected && !devices.some((d) => d.deviceId === selected))
      options.push(new Option('Saved input (disconnected)', selected));
    this.select.replaceChildren(...options);
    this.select.value = selected ?? '';
  }

  set disabled(disabled: boolean) {
    this.select.disabled = disabled;
  }
}
