/** One panel of the soak chart: a few named series over the same time axis. */
export interface Panel {
  title: string;
  unit: string;
  series: Array<{ name: string; color: string; points: Array<[seconds: number, value: number]> }>;
}

const WIDTH = 760;
const PANEL_HEIGHT = 170;
const MARGIN = { left: 64, right: 150, top: 28, bottom: 30 };

/**
 * The panels stacked in one SVG (a line per series, axes with round ticks, a legend at the
 * right), small enough to commit beside docs/reliability.md and read on GitHub as an image.
 */
export function renderChart(panels: Panel[], durationSeconds: number): string {
  const height = panels.length * (PANEL_HEIGHT + MARGIN.top + MARGIN.bottom);
  const body = panels.map((panel, i) => renderPanel(panel, durationSeconds, i * (PANEL_HEIGHT + MARGIN.top + MARGIN.bottom))).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}

function renderPanel(panel: Panel, durationSeconds: number, top: number): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const y0 = top + MARGIN.top;
  const values = panel.series.flatMap((s) => s.points.map(([, v]) => v));
  const yMax = niceCeiling(Math.max(1, ...values));
  const x = (seconds: number) => MARGIN.left + (durationSeconds > 0 ? (seconds / durationSeconds) * plotWidth : 0);
  const y = (value: number) => y0 + PANEL_HEIGHT - (value / yMax) * PANEL_HEIGHT;
  const parts: string[] = [`<text x="${MARGIN.left}" y="${y0 - 10}" font-size="13" font-weight="bold">${escape(panel.title)} (${escape(panel.unit)})</text>`];
  for (let i = 0; i <= 4; i++) {
    const value = (yMax * i) / 4;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end" fill="#555">${formatNumber(value)}</text>`,
    );
  }
  const step = niceCeiling(durationSeconds / 6);
  for (let t = 0; t <= durationSeconds; t += step) {
    parts.push(`<text x="${x(t).toFixed(1)}" y="${y0 + PANEL_HEIGHT + 16}" text-anchor="middle" fill="#555">${t} s</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${y0}" width="${plotWidth}" height="${PANEL_HEIGHT}" fill="none" stroke="#999"/>`);
  panel.series.forEach((series, i) => {
    const points = series.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    if (series.points.length > 0) parts.push(`<polyline fill="none" stroke="${series.color}" stroke-width="1.8" points="${points}"/>`);
    const ly = y0 + 12 + i * 16;
    parts.push(
      `<line x1="${WIDTH - MARGIN.right + 12}" x2="${WIDTH - MARGIN.right + 30}" y1="${ly - 4}" y2="${ly - 4}" stroke="${series.color}" stroke-width="2"/>`,
      `<text x="${WIDTH - MARGIN.right + 36}" y="${ly}">${escape(series.name)}</text>`,
    );
  });
  return parts.join('\n');
}

/** 1, 2 or 5 times a power of ten, at least `value`: axis maxima and steps people read easily. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * power >= value) ?? 10) * power;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
