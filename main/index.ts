/**
 * Electron main process: window, security policy, app:// protocol, menu, IPC. Thin wiring only;
 * every decision (CSP, trusted origins, permissions, window flags, request → file mapping, IPC
 * validation, stores) lives in a plain module with Node tests.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerAppHandlers } from './ipc/app-handlers';
import { IpcHandlerRegistry } from './ipc/handlers';
import { EventChannel, type MenuCommand } from '../renderer/shared/ipc-channels';
import { buildMenuTemplate } from './menu/menu-template';
import { resolveAppRequest } from './protocol/app-request';
import { cspForPath, SECURITY_HEADERS } from './security/csp';
import { devServerUrlFrom } from './security/dev-server';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  isPermissionCheckAllowed,
  isPermissionRequestAllowed,
  trustedOrigins,
} from './security/origin-policy';
import {
  installWebContentsGuards,
  isAllowedNetworkRequest,
  NETWORK_REQUEST_PATTERNS,
  openExternalAfterAsking,
} from './security/web-contents-policy';
import { ModelRegistry } from './store/model-registry';
import { SessionStore } from './store/session-store';
import { SettingsStore } from './store/settings-store';
import { runAsSingleInstance } from './window/single-instance';
import { mainWindowOptions, windowIconPath } from './window/window-options';

// electron-vite dev sets this to the vite dev server; in a build the renderer comes from app://
// and a packaged app ignores the variable (dev-server.ts says why)
const devServerUrl = devServerUrlFrom(process.env, app.isPackaged);
const trusted = trustedOrigins(devServerUrl);
const outDir = join(import.meta.dirname, '..');
const rendererDir = join(outDir, 'renderer');
const preloadPath = join(outDir, 'preload', 'index.cjs');

// Must run before 'ready': app:// behaves like https (standard origin, secure context for
// getUserMedia and workers, fetch support), instead of file:// with its opaque 'null' origin.
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
  },
]);

let mainWindow: BrowserWindow | null = null;

function sendMenuCommand(command: MenuCommand): void {
  const target = BrowserWindow.getFocusedWindow() ?? mainWindow;
  target?.webContents.send(EventChannel.menuCommand, command);
}

function serveAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const resolved = resolveAppRequest(request.url, rendererDir);
    if (!resolved.ok) return new Response(null, { status: resolved.status });
    const response = await net.fetch(pathToFileURL(resolved.filePath).toString());
    if (!response.ok) return new Response(null, { status: 404 });
    return new Response(response.body, { status: 200, headers: resolved.headers });
  });
}

function applySessionPolicy(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(
      isPermissionRequestAllowed(
        permission,
        {
          requestingUrl: details.requestingUrl,
          isMainFrame: details.isMainFrame,
          mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
        },
        trusted,
      ),
    );
  });
  ses.setPermissionCheckHandler((contents, permission, requestingOrigin, details) =>
    isPermissionCheckAllowed(
      permission,
      {
        requestingOrigin,
        requestingUrl: details.requestingUrl,
        isMainFrame: details.isMainFrame,
        embeddingOrigin: details.embeddingOrigin,
        mediaType: details.mediaType,
        pageUrl: contents && !contents.isDestroyed() ? contents.getURL() : null,
      },
      trusted,
    ),
  );
  ses.setDevicePermissionHandler(() => false);
  // no remote content: the app needs no network, so requests to anywhere but the dev server fail
  ses.webRequest.onBeforeRequest({ urls: NETWORK_REQUEST_PATTERNS }, (details, callback) => {
    callback({ cancel: !isAllowedNetworkRequest(details.url, trusted) });
  });
  // Dev server responses get the same CSP headers the app:// handler sends in a build.
  if (devServerUrl) {
    ses.webRequest.onHeadersReceived({ urls: [`${new URL(devServerUrl).origin}/*`] }, (details, callback) => {
      const pathname = new URL(details.url).pathname;
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [cspForPath(pathname, { devServerOrigin: devServerUrl })],
          ...Object.fromEntries(Object.entries(SECURITY_HEADERS).map(([k, v]) => [k, [v]])),
        },
      });
    });
  }
}

function hardenWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    // links open in the user's browser (https only, after they agreed to the URL), never in-app
    installWebContentsGuards(
      contents,
      trusted,
      (url) => void openExternalAfterAsking(url, askToOpenLink, (link) => shell.openExternal(link)),
    );
  });
}

async function askToOpenLink(url: string): Promise<boolean> {
  const options: Electron.MessageBoxOptions = {
    type: 'question',
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    title: 'Open link',
    message: 'Open this link in your web browser?',
    detail: url,
  };
  const result = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
  return result.response === 0;
}

async function createMainWindow(): Promise<void> {
  const icon = windowIconPath({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
  });
  const window = new BrowserWindow(mainWindowOptions(preloadPath, icon));
  mainWindow = window;
  window.on('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  await window.loadURL(devServerUrl ?? APP_ENTRY_URL);
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const settings = new SettingsStore(join(dataDir, 'settings.json'));
  await settings.load();
  const sessions = new SessionStore(join(dataDir, 'sessions'));
  const models = new ModelRegistry(join(dataDir, 'models.json'));

  const registry = new IpcHandlerRegistry(ipcMain, trusted, (error) => console.warn(error.message));
  registerAppHandlers(registry, {
    settings,
    sessions,
    models,
    dialogs: {
      async chooseSavePath(suggestedName, filters) {
        const options = { defaultPath: join(app.getPath('documents'), suggestedName), filters };
        const result = mainWindow
          ? await dialog.showSaveDialog(mainWindow, options)
          : await dialog.showSaveDialog(options);
        return result.canceled || !result.filePath ? null : result.filePath;
      },
      async chooseAudioFile() {
        const options: Electron.OpenDialogOptions = {
          title: 'Import audio file',
          properties: ['openFile'],
          filters: [
            { name: 'Audio', extensions: ['wav', 'mp3', 'ogg', 'oga', 'opus', 'flac', 'm4a', 'aac', 'webm'] },
            { name: 'All files', extensions: ['*'] },
          ],
        };
        const result = mainWindow
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
      async chooseModel(kind) {
        const options: Electron.OpenDialogOptions =
          kind === 'folder'
            ? { title: 'Open model package folder', properties: ['openDirectory'] }
            : {
                title: 'Open model package (.zip)',
                properties: ['openFile'],
                filters: [{ name: 'Model package', extensions: ['zip'] }],
              };
        const result = mainWindow
          ? await dialog.showOpenDialog(mainWindow, options)
          : await dialog.showOpenDialog(options);
        return result.canceled ? null : (result.filePaths[0] ?? null);
      },
    },
  });
  const missing = registry.missingChannels();
  if (missing.length > 0) throw new Error(`IPC channels without a handler: ${missing.join(', ')}`);

  if (!devServerUrl) serveAppProtocol();
  applySessionPolicy();
  hardenWebContents();
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        appName: app.name,
        isMac: process.platform === 'darwin',
        isDev: devServerUrl !== undefined,
        send: sendMenuCommand,
        showAbout: () =>
          void dialog.showMessageBox({
            type: 'info',
            title: `About ${app.name}`,
            message: `${app.name} ${app.getVersion()}`,
            detail: 'Real-time speech to text, on your machine.',
          }),
      }),
    ),
  );
  await createMainWindow();

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) void createMainWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// one instance at a time (single-instance.ts): a second launch focuses this one and quits
runAsSingleInstance(
  app,
  () => mainWindow,
  () => {
    start().catch((error: unknown) => {
      console.error(error);
      dialog.showErrorBox('Earshot could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
  },
);
