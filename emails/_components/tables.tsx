/** @jsxImportSource react */
import type { CSSProperties, HTMLAttributes, ReactNode } from 'react';

/**
 * Layout tables with only the attributes email clients need, in place of react-email's Section,
 * Row and Column (a Section is a Band here), which add `align="center"` and `border="0"` to full-width tables, `width:100%`
 * styles on every tbody and tr, and a `data-id` on every cell: about a fifth of a digest's bytes,
 * sent to every reader, for the same layout. cellpadding and cellspacing stay (browsers default
 * them to 1px and 2px); role="presentation" keeps screen readers from announcing a table.
 */
interface TableProps {
  style?: CSSProperties;
  className?: string;
  dir?: 'ltr' | 'rtl';
  children: ReactNode;
}

/**
 * A full-width band of the email: one row of the email's column (EmailLayout's table), so a
 * band costs a `<tr><td>` and no table of its own. Only as a direct child of EmailLayout. The
 * style and class go on the cell: Outlook for Windows ignores padding on a table, and a cell's
 * font and colour are the ones it passes on to the paragraphs inside.
 */
export function Band({ style, className, children }: Omit<TableProps, 'dir'>) {
  return (
    <tr>
      <td className={className} style={style}>
        {children}
      </td>
    </tr>
  );
}

/**
 * A full-width table; its children are the rows (Rows of Columns). A style here is for what its
 * cells inherit (type and colour): the table's own padding would be lost in Outlook.
 */
export function Table({ dir, style, children }: Omit<TableProps, 'className'>) {
  return (
    <table role="presentation" width="100%" cellPadding={0} cellSpacing={0} dir={dir} style={style}>
      <tbody>{children}</tbody>
    </table>
  );
}

/**
 * A row of a Table whose cells hold their content at the top: `valign` once on the row, which
 * its cells inherit (HTML 4's rule, kept by every client caniemail lists for `valign`), rather
 * than once on each cell; the attribute is shorter than the CSS.
 */
export function Row({ children }: { children: ReactNode }) {
  return <tr {...top}>{children}</tr>;
}

// React's types know `valign` on a cell only; React writes it on a row all the same.
const top = { valign: 'top' } as HTMLAttributes<HTMLTableRowElement>;

/** A cell of a Row. */
export function Column({
  style,
  className,
  dir,
  width,
  colSpan,
  children,
}: TableProps & { width?: number; colSpan?: number }) {
  return (
    <td dir={dir} width={width} colSpan={colSpan} className={className} style={style}>
      {children}
    </td>
  );
}
