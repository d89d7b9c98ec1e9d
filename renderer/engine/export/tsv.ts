/**
 * The CLI's one-line-per-file result format: `FILE<TAB>TEXT`. Tabs and line breaks inside either
 * field become single spaces so that a line always holds exactly two fields.
 */

export function toTsvLine(file: string, text: string): string {
  return `${clean(file)}\t${clean(text)}`;
}

/** Splits a `FILE<TAB>TEXT` line; null when it has no tab. */
export function parseTsvLine(line: string): { file: string; text: string } | null {
  const tab = line.indexOf('\t');
  if (tab < 0) return null;
  return { file: line.slice(0, tab), text: line.slice(tab + 1).replace(/\r?\n$/, '') };
}

function clean(field: string): string {
  return field.replace(/[\t\r\n]+/g, ' ').trim();
}
