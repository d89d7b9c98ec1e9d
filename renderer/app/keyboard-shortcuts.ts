/**
 * In-app shortcuts. Start/Stop: Space (when focus is not in a control that uses Space itself) or
 * Ctrl+R / Cmd+R. Find: Ctrl+F / Cmd+F. Inside Electron the menu shows Ctrl/Cmd+R too but does not
 * register it, so the key is handled here, once, on both hosts.
 */

export interface ShortcutActions {
  toggleRecording(): void;
  find(): void;
}

/** Elements where Space types or activates something: leave the key to them. */
function spaceBelongsToTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ['INPUT', 'TEXTAREA', 'SELECT', 'BUTTON', 'A', 'SUMMARY'].includes(target.tagName);
}

export function isToggleRecordingKey(event: KeyboardEvent): boolean {
  if (event.repeat || event.altKey) return false;
  const mod = event.ctrlKey || event.metaKey;
  if (mod && !event.shiftKey && event.key.toLowerCase() === 'r') return true;
  return !mod && !event.shiftKey && event.code === 'Space' && !spaceBelongsToTarget(event.target);
}

export function isFindKey(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'f';
}

export function installShortcuts(target: Window, actions: ShortcutActions): () => void {
  const onKeyDown = (event: KeyboardEvent): void => {
    if (isToggleRecordingKey(event)) {
      event.preventDefault(); // Ctrl+R would otherwise reload the page, Space scroll it
      actions.toggleRecording();
    } else if (isFindKey(event)) {
      event.preventDefault();
      actions.find();
    }
  };
  target.addEventListener('keydown', onKeyDown);
  return () => target.removeEventListener('keydown', onKeyDown);
}
