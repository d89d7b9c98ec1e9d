/**
 * The list of audio inputs for the device picker. Labels are empty until the page has had
 * microphone permission once; the picker then shows "Microphone 1, 2…" until the first Start.
 */

export interface InputDevice {
  deviceId: string;
  label: string;
}

export async function listInputDevices(): Promise<InputDevice[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  const inputs = devices.filter(
    (d) => d.kind === 'audioinput' && d.deviceId !== '' && d.deviceId !== 'default' && d.deviceId !== 'communications',
  );
  return inputs.map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Microphone ${i + 1}` }));
}

/** Calls `listener` when inputs are plugged in or removed; returns the unsubscribe function. */
export function onInputDevicesChanged(listener: () => void): () => void {
  const media = navigator.mediaDevices;
  if (!media) return () => undefined;
  media.addEventListener('devicechange', listener);
  return () => media.removeEventListener('devicechange', listener);
}
