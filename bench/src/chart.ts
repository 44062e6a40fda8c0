/** One measured cell: a peer on a workload. */
export interface ChartRow {
  workload: string;
  peer: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

const COLORS = ['#2563eb', '#9ca3af', '#f59e0b', '#16a34a', '#dc2626', '#7c3aed'];
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * An SVG with two panels per workload: req/s per peer (bars), and p50/p95/p99 latency per peer
 * (stacked ticks on a log scale), so throughput and tail latency read side by side.
 */
export function renderChart(rows: readonly ChartRow[], title: string): string {
  const workloads = [...new Set(rows.map((r) => r.workload))];
  const peers = [...new Set(rows.map((r) => r.peer))];
  const panelW = 420;
  const panelH = 170;
  const left = 200;
  const top = 60;
  const rowH = panelH + 50;
  const width = left + panelW * 2 + 60;
  const height = top + workloads.length * rowH + 30 + peers.length * 18;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="20" y="28" font-size="16" font-weight="bold">${escape(title)}</text>`,
    `<text x="${left}" y="${top - 12}" font-weight="bold">req/s (higher is better)</text>`,
    `<text x="${left + panelW + 40}" y="${top - 12}" font-weight="bold">latency p50 · p95 · p99, ms, log scale (lower is better)</text>`,
  ];
  const maxLatency = Math.max(...rows.map((r) => r.p99), 1);
  const logX = (ms: number) => (Math.log10(Math.max(ms, 0.5)) + 0.5) / (Math.log10(maxLatency) + 0.5);
  workloads.forEach((workload, w) => {
    const y0 = top + w * rowH;
    parts.push(`<text x="20" y="${y0 + panelH / 2}" font-weight="bold">${escape(workload)}</text>`);
    const cells = peers.map((peer) => rows.find((r) => r.workload === workload && r.peer === peer));
    const maxRps = Math.max(...cells.map((c) => c?.rps ?? 0), 1);
    const barH = Math.min(28, (panelH - 10) / peers.length - 4);
    cells.forEach((cell, p) => {
      if (!cell) return;
      const y = y0 + 5 + p * (barH + 4);
      const color = COLORS[p % COLORS.length]!;
      const barW = (cell.rps / maxRps) * (panelW - 60);
      parts.push(`<rect x="${left}" y="${y}" width="${barW.toFixed(1)}" height="${barH}" fill="${color}"/>`);
      parts.push(`<text x="${left + barW + 4}" y="${y + barH / 2 + 4}">${cell.rps}</text>`);
      const lx = left + panelW + 40;
      const span = panelW - 20;
      const x50 = lx + logX(cell.p50) * span;
      const x95 = lx + logX(cell.p95) * span;
      const x99 = lx + logX(cell.p99) * span;
      parts.push(`<line x1="${x50.toFixed(1)}" x2="${x99.toFixed(1)}" y1="${y + barH / 2}" y2="${y + barH / 2}" stroke="${color}" stroke-width="2"/>`);
      for (const [x, r] of [[x50, 5], [x95, 4], [x99, 3]] as const) parts.push(`<circle cx="${x.toFixed(1)}" cy="${y + barH / 2}" r="${r}" fill="${color}"/>`);
      parts.push(`<text x="${(x99 + 6).toFixed(1)}" y="${y + barH / 2 + 4}" fill="#374151">${cell.p50} · ${cell.p95} · ${cell.p99}</text>`);
    });
  });
  const legendY = top + workloads.length * rowH + 10;
  peers.forEach((peer, p) => {
    parts.push(`<rect x="${left}" y="${legendY + p * 18}" width="12" height="12" fill="${COLORS[p % COLORS.length]}"/>`);
    parts.push(`<text x="${left + 18}" y="${legendY + p * 18 + 10}">${escape(peer)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
