// A small SVG line chart for live rates (no chart library: the console must work offline).
import { useId } from 'preact/hooks';
import { clock, rate } from './format';

export interface Series {
  name: string;
  points: { at: number; value: number }[];
}

const WIDTH = 560;
const HEIGHT = 180;
const PAD = { left: 64, right: 12, top: 12, bottom: 24 };
const COLORS = ['var(--accent)', '#0c8599', '#e8590c', '#7048e8', '#2f9e44', '#c2255c'];

function niceMax(value: number): number {
  if (value <= 0) return 1024;
  const power = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 2.5, 5, 10];
  return (steps.find((s) => s * power >= value) ?? 10) * power;
}

/** `windowMs`: the time the x axis spans, ending at the newest point, so the chart scrolls as samples come. */
export function LineChart({ title, series, windowMs }: { title: string; series: Series[]; windowMs: number }) {
  const legendId = useId();
  const all = series.flatMap((s) => s.points);
  const maxAt = Math.max(...all.map((p) => p.at));
  const minAt = maxAt - windowMs;
  const top = niceMax(Math.max(0, ...all.map((p) => p.value)));
  const span = windowMs;
  const x = (at: number) => PAD.left + ((at - minAt) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (1 - value / top) * (HEIGHT - PAD.top - PAD.bottom);
  return (
    <figure class="chart card">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title} aria-describedby={legendId}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line class="grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(top * f)} y2={y(top * f)} />
            <text class="axis" x={PAD.left - 6} y={y(top * f) + 4} text-anchor="end">
              {rate(top * f)}
            </text>
          </g>
        ))}
        {all.length > 0 ? (
          <>
            <text class="axis" x={PAD.left} y={HEIGHT - 6}>
              {clock(minAt)}
            </text>
            <text class="axis" x={WIDTH - PAD.right} y={HEIGHT - 6} text-anchor="end">
              {clock(maxAt)}
            </text>
          </>
        ) : null}
        {series.map((s, i) =>
          s.points.length > 1 ? (
            <polygon
              key={`${s.name}-area`}
              fill={COLORS[i % COLORS.length]}
              fill-opacity="0.08"
              points={[
                `${x(s.points[0].at).toFixed(1)},${y(0).toFixed(1)}`,
                ...s.points.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`),
                `${x(s.points[s.points.length - 1].at).toFixed(1)},${y(0).toFixed(1)}`,
              ].join(' ')}
            />
          ) : null,
        )}
        {series.map((s, i) =>
          s.points.length > 0 ? (
            <circle key={`${s.name}-last`} r="3" fill={COLORS[i % COLORS.length]} cx={x(s.points[s.points.length - 1].at)} cy={y(s.points[s.points.length - 1].value)} />
          ) : null,
        )}
        {series.map((s, i) =>
          s.points.length > 1 ? (
            <polyline
              key={s.name}
              fill="none"
              stroke={COLORS[i % COLORS.length]}
              stroke-width="2"
              vector-effect="non-scaling-stroke"
              points={s.points.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ')}
            />
          ) : null,
        )}
      </svg>
      <ul class="legend" id={legendId}>
        {series.map((s, i) => (
          <li key={s.name}>
            <span class="swatch" style={{ background: COLORS[i % COLORS.length] }} aria-hidden="true" />
            {s.name}: <span class="mono">{rate(s.points[s.points.length - 1]?.value ?? 0)}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
