/**
 * Inline SVG charts (no script, no library). Each chart has a title and description for screen
 * readers, and the same numbers are in a table next to it, so nothing depends on seeing bars.
 */

export function ColumnChart(props: { id: string; title: string; bars: { label: string; value: number; tip: string }[]; height?: number }) {
  const h = props.height ?? 120;
  const w = 600;
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const slot = w / Math.max(1, props.bars.length);
  const bw = Math.max(4, slot * 0.62);
  const cols = `grid-template-columns:repeat(${props.bars.length},minmax(0,1fr))`;
  // The bars are drawn stretched to the card's width; the numbers and dates are HTML around
  // them, so they stay legible (and unstretched) from a phone to a desktop.
  return (
    <figure class="colchart" style="margin:0">
      <div class="colchart-row values" style={cols} aria-hidden="true">
        {props.bars.map((b) => (
          <span>{b.value > 0 ? b.value : ''}</span>
        ))}
      </div>
      <svg class="chart" viewBox={`0 0 ${w} ${h}`} width="100%" height={h} role="img" aria-labelledby={`${props.id}-t ${props.id}-d`} preserveAspectRatio="none">
        <title id={`${props.id}-t`}>{props.title}</title>
        <desc id={`${props.id}-d`}>{props.bars.map((b) => b.tip).join('; ')}</desc>
        <line class="axis" x1="0" x2={w} y1={h - 0.5} y2={h - 0.5} />
        {props.bars.map((b, i) => {
          const bh = ((h - 4) * b.value) / max;
          const x = i * slot + (slot - bw) / 2;
          return (
            <rect class="bar" x={x.toFixed(1)} y={(h - bh).toFixed(1)} width={bw.toFixed(1)} height={bh.toFixed(1)}>
              <title>{b.tip}</title>
            </rect>
          );
        })}
      </svg>
      <div class="colchart-row labels" style={cols} aria-hidden="true">
        {props.bars.map((b) => (
          <span>{b.label}</span>
        ))}
      </div>
    </figure>
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
