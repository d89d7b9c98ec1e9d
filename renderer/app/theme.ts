/**
 * Light/dark theme: 'system' follows prefers-color-scheme (pure CSS); 'light'/'dark' pin it via
 * <html data-theme>. The button cycles system → light → dark.
 */
import type { ThemeSetting } from '../shared/settings-schema';

const ORDER: ThemeSetting[] = ['system', 'light', 'dark'];

export function applyTheme(theme: ThemeSetting, button: HTMLElement): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
  button.setAttribute('aria-label', `Theme: ${theme} (click to change)`);
  button.title = `Theme: ${theme}`;
}

export function nextTheme(theme: ThemeSetting): ThemeSetting {
  return ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length];
}
