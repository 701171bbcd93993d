/** @jsxImportSource react */
import type { AppealProgress } from './types';
import { cls, colour, font, fontShorthand } from './theme';

/**
 * "£18,600 of £25,000 raised", over a bar drawn with two table cells (no images, so it
 * survives blocked images and dark mode). The bar is decoration and is left out of the text part.
 */
export function Progress({ progress }: { progress: AppealProgress }) {
  const percent =
    progress.fraction === undefined ? undefined : Math.round(Math.min(1, Math.max(0, progress.fraction)) * 100);
  return (
    <div style={{ margin: '8px 0 20px' }}>
      {percent !== undefined && (
        <table
          role="presentation"
          width="100%"
          cellPadding={0}
          cellSpacing={0}
          data-skip-in-text="true"
          style={{ margin: '0 0 8px' }}
        >
          <tbody>
            <tr>
              {percent > 0 && <Cell width={percent} className={cls.button} colour={colour.accent} />}
              {percent < 100 && <Cell width={100 - percent} className={cls.bar} colour={colour.rule} />}
            </tr>
          </tbody>
        </table>
      )}
      <p
        className={cls.muted}
        style={{ margin: 0, font: fontShorthand('15px/1.5', font.sans, 600), color: colour.muted }}
      >
        {progress.label}
      </p>
    </div>
  );
}

function Cell({ width, className, colour: bg }: { width: number; className: string; colour: string }) {
  return (
    <td
      width={`${width}%`}
      height={8}
      className={className}
      // The size in the attributes only: every client reads them, and CSS would say it twice.
      style={{ backgroundColor: bg, fontSize: '1px', lineHeight: '8px' }}
    >
      {'\u00a0'}
    </td>
  );
}
