import { describe, expect, it } from 'vitest';
import {
  APP_EXPORT_FORMAT_NAMES,
  isAppExportFormatName,
  isTranscriptFormatName,
  renderTranscript,
  TRANSCRIPT_FORMAT_NAMES,
  transcriptFormat,
} from '../../../../renderer/engine/export/formats';
import { parseTranscriptJson } from '../../../../renderer/engine/export/json';
import { parseSrt } from '../../../../renderer/engine/export/srt-parse';
import { parseTsvLine } from '../../../../renderer/engine/export/tsv';
import { parseVtt } from '../../../../renderer/engine/export/vtt-parse';
import type { Segment } from '../../../../renderer/engine/transcript/segment';
import { segment } from './segments-fixture';

/** Two finals and a partial ending in a tentative word, which no format may contain. */
function transcript(): Segment[] {
  const partial = segment(2, 4, 5.5, 'over there zebra');
  partial.final = false;
  partial.words[2].tentative = true;
  return [segment(0, 0.5, 1.5, 'hello world'), segment(1, 2, 3, 'again'), partial];
}

describe('transcript format registry', () => {
  it('lists the CLI formats in its order, and the app offers all but tsv', () => {
    expect(TRANSCRIPT_FORMAT_NAMES).toEqual(['txt', 'tsv', 'srt', 'vtt', 'json']);
    expect(APP_EXPORT_FORMAT_NAMES).toEqual(['txt', 'srt', 'vtt', 'json']);
  });

  it('gives each format its name, extension, media type and labels, no two alike', () => {
    const specs = TRANSCRIPT_FORMAT_NAMES.map((name) => transcriptFormat(name));
    for (const [i, spec] of specs.entries()) {
      expect(spec.name).toBe(TRANSCRIPT_FORMAT_NAMES[i]);
      expect(spec.extension).toMatch(/^[a-z0-9]+$/);
      expect(spec.mime).toMatch(/^(text|application)\/[a-z0-9.+-]+$/);
      expect(spec.label).toContain(`(.${spec.extension})`);
      expect(spec.filterName).not.toBe('');
    }
    for (const key of ['extension', 'mime', 'label', 'filterName'] as const)
      expect(new Set(specs.map((s) => s[key])).size).toBe(specs.length);
    expect(transcriptFormat('vtt').mime).toBe('text/vtt');
    expect(transcriptFormat('json').mime).toBe('application/json');
  });

  it('renders every format without the tentative word, and each parses back', () => {
    const segments = transcript();
    for (const name of TRANSCRIPT_FORMAT_NAMES) {
      const text = renderTranscript(name, segments, { source: 'talk.wav' });
      expect(text, name).not.toContain('zebra');
      expect(text.endsWith('\n'), name).toBe(true);
    }
    expect(renderTranscript('txt', segments, { source: 'x' })).toBe('hello world\nagain\nover there\n');
    expect(parseSrt(renderTranscript('srt', segments, { source: 'x' })).map((c) => c.lines.join(' '))).toEqual([
      'hello world',
      'again',
      'over there',
    ]);
    expect(parseVtt(renderTranscript('vtt', segments, { source: 'x' })).map((c) => c.start)).toEqual([0.5, 2, 4]);
    const json = parseTranscriptJson(renderTranscript('json', segments, { source: 'x' }));
    expect(json.segments.map((s) => s.text)).toEqual(['hello world', 'again', 'over there']);
  });

  it('tsv is one FILE<TAB>TEXT line: the source names the file, a tab in the file name becomes a space', () => {
    const line = renderTranscript('tsv', transcript(), { source: 'my\tclip.wav' });
    expect(line.split('\n')).toEqual([expect.any(String), '']);
    expect(parseTsvLine(line)).toEqual({ file: 'my clip.wav', text: 'hello world again over there' });
    expect(renderTranscript('tsv', [], { source: 'silent.wav' })).toBe('silent.wav\t\n');
  });

  it('knows its names and nothing else', () => {
    for (const name of TRANSCRIPT_FORMAT_NAMES) expect(isTranscriptFormatName(name)).toBe(true);
    for (const other of ['TXT', 'docx', '', 'toString', '__proto__', 1, null])
      expect(isTranscriptFormatName(other)).toBe(false);
    expect(isAppExportFormatName('srt')).toBe(true);
    expect(isAppExportFormatName('tsv')).toBe(false);
  });
});
