import { scaleBand, scaleLinear } from 'd3-scale';

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** What a screen reader and the tooltip say, e.g. "€120.00". */
  text: string;
}

/**
 * Vertical bars as plain SVG. d3-scale does the arithmetic that is easy to get subtly wrong
 * (band padding, "nice" axis ends and round tick values); React draws the elements, so each bar
 * is a real node with its own title and test id. The figure's table is the accessible version.
 */
export function BarChart(props: { title: string; bars: Bar[]; testid: string; format?: (value: number) => string; integer?: boolean }) {
  const { title, bars, testid, format = String } = props;
  const width = 640;
  const height = 240;
  const margin = { top: 12, right: 12, bottom: 44, left: 64 };
  const x = scaleBand<string>().domain(bars.map((b) => b.key)).range([margin.left, width - margin.right]).padding(0.2);
  const y = scaleLinear()
    .domain([0, Math.max(1, ...bars.map((b) => b.value))])
    .nice()
    .range([height - margin.bottom, margin.top]);
  // Counts get whole-number ticks only (no "0.5 orders").
  // A lone bar would fill the chart; bars stay at most this wide, centred in their band.
  const barWidth = Math.min(x.bandwidth(), 72);
  const barX = (key: string) => (x(key) ?? 0) + (x.bandwidth() - barWidth) / 2;
  const ticks = props.integer ? y.ticks(4).filter(Number.isInteger) : y.ticks(4);
  const id = `${testid}-title`;
  return (
    <figure className="chart" data-testid={testid}>
      <figcaption id={id}>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={id} preserveAspectRatio="xMidYMid meet">
        {ticks.map((t) => (
          <g key={t} transform={`translate(0 ${y(t)})`} className="tick">
            <line x1={margin.left} x2={width - margin.right} />
            <text x={margin.left - 6} dy="0.32em" textAnchor="end">
              {format(t)}
            </text>
          </g>
        ))}
        {bars.map((b) => (
          <g key={b.key}>
            <rect
              x={barX(b.key)}
              y={y(b.value)}
              width={barWidth}
              height={Math.max(0, y(0) - y(b.value))}
              className="bar"
              data-testid={`${testid}-bar`}
              data-key={b.key}
              data-value={b.value}
            >
              <title>{`${b.label}: ${b.text}`}</title>
            </rect>
            <text x={(x(b.key) ?? 0) + x.bandwidth() / 2} y={height - margin.bottom + 16} textAnchor="middle" className="axis-label">
              {b.label.length > 12 ? `${b.label.slice(0, 11)}…` : b.label}
            </text>
          </g>
        ))}
      </svg>
      <details>
        <summary>Show as table</summary>
        <table>
          <tbody>
            {bars.map((b) => (
              <tr key={b.key}>
                <th scope="row">{b.label}</th>
                <td className="num">{b.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
