/**
 * Renderer entry: picks the host (Electron or browser), reads the settings, builds the app and
 * loads the models (the one in settings, else the bundled default).
 */
import { selectHost } from '../host/select-host';
import { App } from './app';
import { defaultSettings } from '../shared/settings-schema';

async function main(): Promise<void> {
  const host = selectHost();
  const settings = await host.settings.load().catch(() => defaultSettings());
  const app = new App(host, settings);
  await app.start();
}

main().catch((error: unknown) => {
  const banner = document.getElementById('banners');
  if (banner) banner.textContent = `Earshot failed to start: ${error instanceof Error ? error.message : String(error)}`;
  console.error(error);
});
