/**
 * The benchmark chart as a standalone SVG (no dependencies, no scripts, opens in any browser):
 *
 *   top     real-time factor per backend, one horizontal bar stacked by stage (features, acoustic,
 *           decoder, LM; CPU time), a tick for the whole pipeline's wall-clock RTF, and a dashed
 *           line at the target
 *   bottom  latency distribution: the cumulative share of partial updates shown within x ms of
 *           their block's arrival, one curve per block size, p50 and p95 marked
 */

export interface ChartBar {
  label: string;
  segments: { name: string; value: number }[];
  /** Drawn as a tick over the bar (e.g. wall-clock RTF). */
  marker?: { name: string; value: number };
}

export interface ChartSeries {
  label: string;
  /** Milliseconds. */
  samples: number[];
}

export interface ChartInput {
  title: string;
  subtitle: string;
  bars: ChartBar[];
  /** Vertical dashed line on the RTF axis. */
  target?: { label: string; value: number };
  latency: ChartSeries[];
}

const STAGE_COLORS: Record<string, string> = {
  features: '#4e79a7',
  acoustic: '#f28e2b',
  decoder: '#59a14f',
  lm: '#b07aa1',
  total: '#9c755f',
};
const SERIES_COLORS = ['#e15759', '#4e79a7', '#59a14f', '#f28e2b'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  return v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toFixed(3);
}

export function benchChartSvg(input: ChartInput): string {
  const width = 940;
  const left = 190;
  const right = 30;
  const plotW = width - left - right;
  const barH = 22;
  const gap = 10;
  const top1 = 78;
  const barsH = input.bars.length * (barH + gap);
  const out: string[] = [];
  const text = (x: number, y: number, s: string, attrs = '') =>
    out.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(s)}</text>`);

  // --- RTF bars
  const totals = input.bars.map((b) =>
    Math.max(
      b.segments.reduce((s, g) => s + g.value, 0),
      b.marker?.value ?? 0,
    ),
  );
  const xMax = niceMax(Math.max(...totals, input.target?.value ?? 0) * 1.05);
  const xOf = (v: number) => left + (plotW * v) / xMax;
  const axis1 = top1 + barsH;
  text(
    left,
    top1 - 14,
    'Real-time factor (seconds of compute per second of audio; lower is better)',
    'font-weight="bold"',
  );
  for (let i = 0; i <= 5; i++) {
    const v = (xMax * i) / 5;
    out.push(`<line x1="${xOf(v)}" y1="${top1 - 4}" x2="${xOf(v)}" y2="${axis1}" stroke="#ddd"/>`);
    text(xOf(v), axis1 + 14, fmt(v), 'text-anchor="middle" fill="#555"');
  }
  input.bars.forEach((b, i) => {
    const y = top1 + i * (barH + gap);
    text(left - 8, y + barH * 0.7, b.label, 'text-anchor="end"');
    let x0 = 0;
    for (const g of b.segments) {
      if (!(g.value > 0)) continue;
      const color = STAGE_COLORS[g.name] ?? '#999';
      out.push(
        `<rect x="${xOf(x0)}" y="${y}" width="${Math.max(0.5, xOf(x0 + g.value) - xOf(x0))}" height="${barH}" fill="${color}"><title>${esc(`${b.label} ${g.name}: ${fmt(g.value)}`)}</title></rect>`,
      );
      x0 += g.value;
    }
    text(xOf(x0) + 4, y + barH * 0.7, fmt(x0), 'fill="#333" font-size="11"');
    if (b.marker && b.marker.value > 0) {
      const mx = xOf(b.marker.value);
      out.push(
        `<line x1="${mx}" y1="${y - 3}" x2="${mx}" y2="${y + barH + 3}" stroke="#000" stroke-width="2"><title>${esc(`${b.label} ${b.marker.name}: ${fmt(b.marker.value)}`)}</title></line>`,
      );
    }
  });
  if (input.target) {
    const tx = xOf(input.target.value);
    out.push(`<line x1="${tx}" y1="${top1 - 6}" x2="${tx}" y2="${axis1}" stroke="#c00" stroke-dasharray="5,4"/>`);
    text(tx + 4, top1 - 2, input.target.label, 'fill="#c00" font-size="11"');
  }
  // legend
  const legendY = axis1 + 34;
  let lx = left;
  for (const name of ['features', 'acoustic', 'decoder', 'lm', 'total']) {
    out.push(`<rect x="${lx}" y="${legendY - 10}" width="12" height="12" fill="${STAGE_COLORS[name]}"/>`);
    text(lx + 16, legendY, name === 'total' ? 'whole process' : `${name} (CPU)`);
    lx += name === 'total' ? 120 : 110;
  }
  out.push(`<line x1="${lx}" y1="${legendY - 12}" x2="${lx}" y2="${legendY + 2}" stroke="#000" stroke-width="2"/>`);
  text(lx + 6, legendY, 'whole pipeline, wall clock');

  // --- latency CDF
  const top2 = legendY + 50;
  const plot2H = 220;
  const all = input.latency.flatMap((s) => s.samples);
  const lMax = niceMax(all.length ? Math.max(...all) : 100);
  const lx2 = (v: number) => left + (plotW * Math.min(v, lMax)) / lMax;
  const ly2 = (f: number) => top2 + plot2H * (1 - f);
  text(
    left,
    top2 - 14,
    'Latency: block arrival → displayed text updated (share of updates within x ms)',
    'font-weight="bold"',
  );
  for (let i = 0; i <= 5; i++) {
    const v = (lMax * i) / 5;
    out.push(`<line x1="${lx2(v)}" y1="${top2}" x2="${lx2(v)}" y2="${top2 + plot2H}" stroke="#ddd"/>`);
    text(lx2(v), top2 + plot2H + 14, `${fmt(v)} ms`, 'text-anchor="middle" fill="#555"');
  }
  for (const f of [0, 0.5, 0.95, 1]) {
    out.push(
      `<line x1="${left}" y1="${ly2(f)}" x2="${left + plotW}" y2="${ly2(f)}" stroke="${f === 0.5 || f === 0.95 ? '#bbb' : '#ddd'}"${f === 0.5 || f === 0.95 ? ' stroke-dasharray="3,3"' : ''}/>`,
    );
    text(left - 8, ly2(f) + 4, `${Math.round(f * 100)}%`, 'text-anchor="end" fill="#555"');
  }
  input.latency.forEach((series, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length];
    const s = [...series.samples].sort((a, b) => a - b);
    if (s.length === 0) return;
    const pts: string[] = [`${lx2(0).toFixed(1)},${ly2(0).toFixed(1)}`];
    s.forEach((v, k) => {
      pts.push(`${lx2(v).toFixed(1)},${ly2(k / s.length).toFixed(1)}`);
      pts.push(`${lx2(v).toFixed(1)},${ly2((k + 1) / s.length).toFixed(1)}`);
    });
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
    const ly = top2 + plot2H + 36 + i * 18;
    out.push(`<line x1="${left}" y1="${ly - 4}" x2="${left + 20}" y2="${ly - 4}" stroke="${color}" stroke-width="2"/>`);
    text(left + 26, ly, `${series.label}: p50 ${fmt(q(0.5))} ms, p95 ${fmt(q(0.95))} ms, ${s.length} updates`);
  });

  const height = top2 + plot2H + 40 + input.latency.length * 18 + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="20" y="26" font-size="16" font-weight="bold">${esc(input.title)}</text>`,
    `<text x="20" y="46" fill="#555">${esc(input.subtitle)}</text>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}
