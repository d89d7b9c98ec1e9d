import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from '../../../main/menu/menu-template';
import {
  EXPORT_FORMATS,
  exportRequest,
  fileBaseName,
  isExportFormat,
  runExport,
} from '../../../renderer/app/export/export-transcript';
import { transcriptFormat } from '../../../renderer/engine/export/formats';
import { parseSrt } from '../../../renderer/engine/export/srt-parse';
import { parseVtt } from '../../../renderer/engine/export/vtt-parse';
import { parseTranscriptJson } from '../../../renderer/engine/export/json';
import type { SaveFileRequest } from '../../../renderer/shared/earshot-api';
import { MENU_COMMANDS, type MenuCommand } from '../../../renderer/shared/ipc-channels';
import type { Segment } from '../../../renderer/worker/protocol';

const segments: Segment[] = [
  {
    id: 0,
    start: 0.5,
    end: 1.6,
    text: 'hello world',
    final: true,
    words: [
      { word: 'hello', start: 0.5, end: 1, confidence: 0.9 },
      { word: 'world', start: 1.1, end: 1.6, confidence: 0.4 },
    ],
  },
  {
    id: 1,
    start: 3,
    end: 3.5,
    text: 'again',
    final: true,
    words: [{ word: 'again', start: 3, end: 3.5, confidence: 0.8 }],
  },
];

describe('export', () => {
  it('builds each format with a safe file name and a filter', () => {
    expect(fileBaseName('Talk: 2024/05/01')).toBe('Talk- 2024-05-01');
    expect(fileBaseName('..')).toBe('transcript');
    const srt = exportRequest(segments, 'srt', 'Talk');
    expect(srt.suggestedName).toBe('Talk.srt');
    expect(srt.filters).toEqual([{ name: 'SubRip subtitles', extensions: ['srt'] }]);
    expect(srt.mime).toBe('application/x-subrip');
    expect(parseSrt(srt.data as string).map((c) => c.lines.join(' '))).toEqual(['hello world', 'again']);
    expect(parseVtt(exportRequest(segments, 'vtt', 'Talk').data as string)[1].start).toBe(3);
    expect(parseTranscriptJson(exportRequest(segments, 'json', 'Talk').data as string).segments[0].words[1]).toEqual({
      word: 'world',
      start: 1.1,
      end: 1.6,
      confidence: 0.4,
    });
    expect(exportRequest(segments, 'txt', 'Talk').data).toBe('hello world\nagain\n');
  });

  it('turns each outcome into a notice; a failed write is an error that says the transcript is unchanged', async () => {
    const saved: SaveFileRequest[] = [];
    expect(
      await runExport(async (r) => (saved.push(r), { status: 'saved', fileName: 'Talk.txt' }), segments, 'txt', 'Talk'),
    ).toMatchObject({ tone: 'info', detail: 'Saved Talk.txt.' });
    expect(await runExport(async () => ({ status: 'cancelled' }), segments, 'txt', 'Talk')).toBeNull();
    const failed = await runExport(
      async () => ({
        status: 'failed',
        message: 'Could not write Talk.txt: the disk is full. Free some space and try again.',
      }),
      segments,
      'txt',
      'Talk',
    );
    expect(failed).toMatchObject({ tone: 'error', title: 'Export failed' });
    expect(failed!.detail).toMatch(/disk is full.*transcript is unchanged/);
    const thrown = await runExport(
      async () => {
        throw new Error('IPC gone');
      },
      segments,
      'srt',
      'Talk',
    );
    expect(thrown).toMatchObject({ tone: 'error', detail: expect.stringMatching(/IPC gone/) });
    expect(await runExport(async () => ({ status: 'saved', fileName: 'x' }), [], 'txt', 'Talk')).toMatchObject({
      title: 'Nothing to export yet',
    });
    expect(saved).toHaveLength(1);
  });

  it('offers the app formats of the registry everywhere: the export menu, the menu commands and the application menu', () => {
    expect(EXPORT_FORMATS).toEqual(['txt', 'srt', 'vtt', 'json']);
    expect(isExportFormat('tsv')).toBe(false);
    const html = readFileSync(new URL('../../../renderer/index.html', import.meta.url), 'utf8');
    const items = [...html.matchAll(/data-format="([^"]+)">([^<]+)</g)].map((m) => ({ format: m[1], label: m[2] }));
    expect(items).toEqual(EXPORT_FORMATS.map((format) => ({ format, label: transcriptFormat(format).label })));
    expect(MENU_COMMANDS.filter((c) => c.startsWith('export-'))).toEqual(EXPORT_FORMATS.map((f) => `export-${f}`));
    const sent: MenuCommand[] = [];
    const walk = (items: ReturnType<typeof buildMenuTemplate>): void => {
      for (const item of items) {
        (item.click as (() => void) | undefined)?.();
        if (Array.isArray(item.submenu)) walk(item.submenu);
      }
    };
    walk(
      buildMenuTemplate({
        appName: 'Earshot',
        isMac: false,
        isDev: false,
        send: (c) => sent.push(c),
        showAbout: () => undefined,
      }),
    );
    expect(sent.filter((c) => c.startsWith('export-'))).toEqual(EXPORT_FORMATS.map((f) => `export-${f}`));
  });
});
