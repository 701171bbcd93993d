/**
 * Inline SVG charts (no script, no library). Each chart has a title and description for screen
 * readers, and the same numbers are in a table next to it, so nothing depends on seeing bars.
 */

export function ColumnChart(props: { id: string; title: string; bars: { label: string; value: number; tip: string }[]; height?: number }) {
  const h = props.height ?? 160;
  const w = 600;
  const top = 16;
  const bottom = 22;
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const slot = w / Math.max(1, props.bars.length);
  const bw = Math.max(4, slot * 0.62);
  const desc = props.bars.map((b) => b.tip).join('; ');
  return (
    <svg class="chart" viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-labelledby={`${props.id}-t ${props.id}-d`} preserveAspectRatio="none" style={`max-height:${h + 40}px`}>
      <title id={`${props.id}-t`}>{props.title}</title>
      <desc id={`${props.id}-d`}>{desc}</desc>
      <line class="axis" x1="0" x2={w} y1={h - bottom} y2={h - bottom} />
      {props.bars.map((b, i) => {
        const bh = ((h - top - bottom) * b.value) / max;
        const x = i * slot + (slot - bw) / 2;
        return (
          <g>
            <rect class="bar" x={x.toFixed(1)} y={(h - bottom - bh).toFixed(1)} width={bw.toFixed(1)} height={bh.toFixed(1)} rx="2">
              <title>{b.tip}</title>
            </rect>
            {b.value > 0 && (
              <text x={(x + bw / 2).toFixed(1)} y={(h - bottom - bh - 4).toFixed(1)} text-anchor="middle">
                {b.value}
              </text>
            )}
            <text x={(x + bw / 2).toFixed(1)} y={h - 6} text-anchor="middle">
              {b.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Horizontal bars with their labels above them (long link URLs wrap on a phone). */
export function BarList(props: { title: string; bars: { label: string; value: number; href?: string }[] }) {
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  return (
    <ul class="plain" aria-label={props.title}>
      {props.bars.map((b) => (
        <li style="margin:.55rem 0">
          <div class="small" style="display:flex;justify-content:space-between;gap:1rem">
            <span style="overflow-wrap:anywhere">{b.href ? <a href={b.href}>{b.label}</a> : b.label}</span>
            <strong style="font-variant-numeric:tabular-nums">{b.value}</strong>
          </div>
          <svg class="chart" viewBox="0 0 300 10" width="100%" height="10" preserveAspectRatio="none" aria-hidden="true">
            <rect class="axis" x="0" y="0" width="300" height="10" rx="3" style="fill:var(--line)" />
            <rect class="bar" x="0" y="0" width={((300 * b.value) / max).toFixed(1)} height="10" rx="3" />
          </svg>
        </li>
      ))}
    </ul>
  );
}
