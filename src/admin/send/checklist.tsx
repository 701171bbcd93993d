import type { Preflight } from '../preflight/checks';

/** The preflight as a checklist; failing checks that may be accepted get an "I know" box. */
export function Checklist({ preflight, acknowledged }: { preflight: Preflight; acknowledged: Set<string> }) {
  return (
    <ol class="checklist" aria-label="Preflight checks">
      {preflight.checks.map((c) => (
        <li data-check={c.id} data-ok={String(c.ok)}>
          <span class={`mark level-${c.ok ? 'ok' : c.acknowledgeable ? 'warn' : 'bad'}`} aria-hidden="true">
            {c.ok ? '✓' : '✗'}
          </span>
          <div>
            <strong>{c.label}</strong> <span class="visually-hidden">{c.ok ? '(passed)' : '(problem)'}</span>
            {c.details.length > 0 && (
              <ul class="small" style="margin:.25rem 0 0;padding-left:1.1rem">
                {c.details.slice(0, 12).map((d) => (
                  <li style="border:0;padding:.1rem 0;display:list-item">{d}</li>
                ))}
              </ul>
            )}
            {!c.ok && c.acknowledgeable && (
              <label class="check small">
                <input type="checkbox" name="ack" value={c.id} form="send-form" checked={acknowledged.has(c.id)} /> Send anyway: I have looked at this
              </label>
            )}
            {!c.ok && !c.acknowledgeable && <p class="small level-bad" style="margin:.25rem 0 0">This must be fixed before sending.</p>}
          </div>
        </li>
      ))}
    </ol>
  );
}
