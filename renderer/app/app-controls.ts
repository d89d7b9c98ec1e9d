/**
 * Where user commands come in: the toolbar buttons, the export menu, the keyboard shortcuts and the
 * application menu (Electron's, sent through the host). Each one becomes a call on `AppCommands`;
 * what the commands do is the controllers' business.
 */
import type { Host, MenuCommand } from '../host/host';
import { byId } from './dom';
import { isExportFormat, type ExportFormat } from './export/export-transcript';
import { installShortcuts } from './keyboard-shortcuts';

export interface AppCommands {
  toggleRecording(): void;
  newSession(): void;
  importAudio(): void;
  openModelFolder(): void;
  openModelZip(): void;
  exportAs(format: ExportFormat): void;
  copyTranscript(): void;
  find(): void;
  showModels(): void;
  showHistory(): void;
  showSettings(): void;
  cycleTheme(): void;
}

export function wireControls(host: Host, commands: AppCommands): void {
  byId<HTMLButtonElement>('record').addEventListener('click', () => commands.toggleRecording());
  byId<HTMLButtonElement>('theme').addEventListener('click', () => commands.cycleTheme());
  byId('import-audio').addEventListener('click', () => commands.importAudio());
  byId('open-history').addEventListener('click', () => commands.showHistory());
  byId('open-models').addEventListener('click', () => commands.showModels());
  byId('open-settings').addEventListener('click', () => commands.showSettings());
  byId('new-session').addEventListener('click', () => commands.newSession());
  byId('copy-transcript').addEventListener('click', () => commands.copyTranscript());
  for (const close of document.querySelectorAll<HTMLButtonElement>('dialog [data-close]')) {
    close.addEventListener('click', () => close.closest('dialog')?.close());
  }
  wireExportMenu(commands);

  installShortcuts(window, {
    toggleRecording: () => {
      if (!document.querySelector('dialog[open]')) commands.toggleRecording();
    },
    find: () => commands.find(),
  });
  host.onCommand((command) => runMenuCommand(command, commands));
}

export function runMenuCommand(command: MenuCommand, commands: AppCommands): void {
  switch (command) {
    case 'toggle-recording':
      return commands.toggleRecording();
    case 'new-session':
      return commands.newSession();
    case 'import-audio':
      return commands.importAudio();
    case 'open-model-folder':
      return commands.openModelFolder();
    case 'open-model-zip':
      return commands.openModelZip();
    case 'export-txt':
    case 'export-srt':
    case 'export-vtt':
    case 'export-json': {
      const format = command.slice('export-'.length);
      if (isExportFormat(format)) commands.exportAs(format);
      return;
    }
    case 'copy-transcript':
      return commands.copyTranscript();
    case 'find':
      return commands.find();
    case 'show-models':
      return commands.showModels();
    case 'show-history':
      return commands.showHistory();
    case 'show-settings':
      return commands.showSettings();
  }
}

/** The toolbar's export menu: a button that opens a list of formats (arrow keys, Escape, a click outside closes it). */
function wireExportMenu(commands: AppCommands): void {
  const button = byId<HTMLButtonElement>('export-button');
  const menu = byId<HTMLElement>('export-menu');
  const items = [...menu.querySelectorAll<HTMLButtonElement>('[data-format]')];
  const setOpen = (open: boolean, focusFirst = false): void => {
    menu.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open && focusFirst) items[0]?.focus();
  };
  button.addEventListener('click', () => setOpen(menu.hidden !== false, true));
  for (const item of items) {
    item.addEventListener('click', () => {
      setOpen(false);
      button.focus();
      const format = item.dataset.format;
      if (isExportFormat(format)) commands.exportAs(format);
    });
  }
  menu.addEventListener('keydown', (event) => {
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.stopPropagation();
      setOpen(false);
      button.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      items[(index + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  });
  document.addEventListener('pointerdown', (event) => {
    if (!menu.hidden && !menu.contains(event.target as Node) && event.target !== button) setOpen(false);
  });
}
