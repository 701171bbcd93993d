/**
 * The look of every Broadside email: a restrained newspaper style from system fonts only.
 * Colours are inline for clients that ignore <style>; `darkCss` re-colours the same elements by
 * class where `prefers-color-scheme` is supported, and the `cls` class names tie the two together.
 * A story's cells (`cls.thumb`, `cls.text`, see phoneCss) are re-coloured as ink and rule by their
 * own class, which saves two more class names on each of them.
 */
/**
 * Unquoted and without spaces: CSS reads a family name of several words unquoted the same way,
 * and in a style attribute every quote is written `&#x27;` (six bytes). Outlook for Windows does
 * not inherit a font from <body> or an outer table, but does from the table cell around the text,
 * so each stack is set once per cell (see `cellType`) and only where a paragraph differs.
 */
export const font = {
  serif: 'Georgia,Times New Roman,Times,serif',
  sans: '-apple-system,BlinkMacSystemFont,Segoe UI,Roboto,Helvetica Neue,Arial,sans-serif',
  /**
   * The serif a story's headline and excerpt state inline, for clients that drop <style>: the
   * full stack (`serif`) comes from storyCss wherever <style> is honoured. Where Georgia is
   * installed (Windows, macOS, iOS) the two are the same font; where it is not (Android, where
   * Gmail's app drops <style> for non-Google accounts) neither Times New Roman nor Times is
   * either, and both end at the generic serif.
   */
  serifInline: 'Georgia,serif',
} as const;

export const colour = {
  page: '#f2efe8',
  paper: '#fff',
  ink: '#1c1b19',
  muted: '#5a5752',
  rule: '#d9d3c7',
  accent: '#9b1c1c',
  link: '#1d4e89',
  tint: '#f7f3ea',
  onAccent: '#fff',
} as const;

/** CSS without the spaces and line breaks that make it readable here: it goes to every reader. */
function compact(css: string): string {
  return css
    .replace(/\s*([{}:;,])\s*/g, '$1')
    .replace(/\s*!important/g, '!important')
    .replace(/;}/g, '}')
    .trim();
}

const dark = {
  page: '#0f0f0e',
  paper: '#1b1a18',
  ink: '#ece8e1',
  muted: '#aaa49b',
  rule: '#3b3833',
  accent: '#e0887c',
  link: '#93b9ec',
  tint: '#26231f',
  button: '#b3261e',
} as const;

/**
 * The class names that tie an element to its dark-mode colour (and a story's cells to the phone
 * layout). Short, because a 10-article digest carries about 75 of them to every reader (4 to
 * 11 bytes fewer each than the `bs-muted`, `bs-rule-strong`, … they were), and all with the same
 * `q` start, a letter few class names begin with, so that a webmail that shows an email inside
 * its own page without renaming its classes is unlikely to style them.
 * Lower case only: in quirks mode class names match regardless of case.
 */
export const cls = {
  page: 'qp',
  paper: 'qw',
  ink: 'qi',
  muted: 'qm',
  accent: 'qa',
  link: 'ql',
  rule: 'qr',
  ruleStrong: 'qs',
  tint: 'qt',
  button: 'qb',
  bar: 'qg',
  /** A story's small picture (phoneCss), and its rule in dark mode. */
  thumb: 'qh',
  /** The text beside a story's picture (phoneCss), ink and rule in dark mode. */
  text: 'qx',
  /*
   * A story's text, typed by storyCss (once per email rather than once per story) and each
   * re-coloured in dark mode by its own class, so one class name an element.
   */
  /** A story's kicker (its category): accent in dark mode. */
  kicker: 'qk',
  /** The lead story's headline, and the other stories' headlines. */
  leadHeadline: 'qj',
  headline: 'qn',
  /** The link inside a headline: ink in dark mode. */
  headlineLink: 'qv',
  /** A story's byline: muted in dark mode. */
  byline: 'qy',
  /** The lead story's excerpt, and the other stories' excerpts. */
  leadExcerpt: 'qc',
  excerpt: 'qe',
  /** A story's "Read more": link colour in dark mode. */
  more: 'qz',
  /** A story's picture. */
  picture: 'qu',
  /** A section heading of the stories ("Featured"): accent and rule in dark mode. */
  section: 'qd',
} as const;

const c = Object.fromEntries(Object.entries(cls).map(([k, v]) => [k, `.${v}`])) as { [K in keyof typeof cls]: string };

/*
 * `background` rather than `background-color`: six bytes shorter, and every client that applies
 * prefers-color-scheme (Apple Mail, Outlook for Mac, iOS, Android and Outlook.com, caniemail)
 * supports the shorthand with a colour; no element has a background image to lose.
 */
export const darkCss = compact(`
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  ${c.page} { background: ${dark.page} !important; }
  ${c.paper} { background: ${dark.paper} !important; }
  ${c.paper}, ${c.ink}, ${c.text}, ${c.headlineLink} { color: ${dark.ink} !important; }
  ${c.muted}, ${c.byline} { color: ${dark.muted} !important; }
  ${c.accent}, ${c.kicker}, ${c.section} { color: ${dark.accent} !important; }
  ${c.link}, ${c.more} { color: ${dark.link} !important; }
  ${c.rule}, ${c.thumb}, ${c.text}, ${c.section} { border-color: ${dark.rule} !important; }
  ${c.ruleStrong} { border-color: ${dark.ink} !important; }
  ${c.tint} { background: ${dark.tint} !important; }
  ${c.button} { background: ${dark.button} !important; }
  ${c.bar} { background: ${dark.rule} !important; }
}
`);

/**
 * Phones: a story's small picture (`cls.thumb`) stacks above its text (`cls.text`, the cell beside
 * a picture; the text column would otherwise be under 200 px, four words a line). The picture
 * comes first in the markup, and dir="rtl" on the table puts it on the right where the cells sit
 * side by side. Stacked, the rule above the story is the picture's; the text's own goes.
 */
export const phoneCss = compact(`
@media (max-width: 480px) {
  ${c.thumb}, ${c.text} { display: block !important; width: 100% !important; }
  ${c.thumb} { padding-left: 0 !important; padding-bottom: 10px !important; }
  ${c.text} { padding-top: 0 !important; border-top: 0 !important; }
}
`);

/**
 * The stories' type and spacing, stated once per email instead of once per story (a 10-article
 * digest repeated it ten times, about 2.6 KB for every reader): sizes, line heights, weights,
 * margins, letter-spacing, the capitals of kickers and section headings, the cells' padding.
 * Every colour stays inline (article.tsx), because Outlook.com's dark mode re-colours inline
 * styles and not these rules, and so do the families, so that a client that drops <style>
 * (Gmail's apps with a non-Google account, some webmail) still shows the stories on brand: in
 * their colours and families (the serif as font.serifInline), headings in the browser's own
 * larger bold, links underlined (test/emails/no-style.test.ts). Only class selectors and plain
 * properties, which every client that honours <style> applies, Outlook for Windows among them
 * (caniemail: css-selector-class, css-padding on cells, css-margin, css-letter-spacing,
 * css-text-transform); the headlines' weight is an h3's own, stated for Outlook, whose heading
 * styles are Word's. In a <style> of its own (EmailLayout) ahead of the media queries, so that a
 * client choking on those cannot take the stories' type with them. Without other stories than
 * the lead, their rules are left out.
 */
export function storyCss({ others }: { others: boolean }): string {
  const rules = compact(`
    ${c.section} { margin: 32px 0 20px; padding: 0 0 6px; font: ${fontShorthand('13px/1.4', font.sans, 700)}; letter-spacing: .08em; text-transform: uppercase; }
    ${c.kicker} { margin: 0 0 6px; font-size: 12px; line-height: 1.4; letter-spacing: .08em; text-transform: uppercase; }
    ${c.leadHeadline} { margin: 0 0 10px; font-size: 26px; line-height: 1.2; font-weight: 700; }
    ${c.headlineLink} { text-decoration: none; }
    ${c.byline} { margin: 0 0 10px; font-size: 14px; }
    ${c.leadExcerpt} { margin: 0 0 16px; font-size: 17px; line-height: 1.55; }
    ${c.more} { text-decoration: underline; font-weight: 600; }
    ${c.picture} { display: block; border: 0; height: auto; }
  `);
  const list = compact(`
    ${c.headline} { margin: 0 0 6px; font-size: 19px; line-height: 1.3; font-weight: 700; }
    ${c.excerpt} { margin: 0 0 8px; font-size: 16px; line-height: 1.55; }
    ${c.thumb} { padding: 22px 0 18px 16px; }
    ${c.text} { padding: 18px 0; }
  `);
  // !important, so that the rule wins over the inline font.serifInline; with the space before it
  // that Outlook for Windows and Orange need to keep the declaration (caniemail: css-important).
  // A client that ignores !important in <style> (GMX, WEB.DE) shows font.serifInline.
  const serif = [c.leadHeadline, c.leadExcerpt, ...(others ? [c.headline, c.excerpt] : [])].join();
  return `${rules}${others ? list : ''}${serif}{font-family:${font.serif} !important}`;
}

/**
 * The `font` shorthand, e.g. `700 19px/1.3 Georgia,…`: one declaration for the weight, size, line
 * height and family, 30–40 bytes shorter than the four longhands on every element that states
 * them (caniemail's `css-font`: supported in Gmail and every Outlook). It also sets the style to
 * normal, so the Markdown copy, where a paragraph may sit in an italic blockquote, keeps the
 * longhands (`text`). Always with the line height: without one it would reset it to `normal`.
 */
export function fontShorthand(sizeAndLineHeight: `${number}px/${string}`, family: string, weight?: 600 | 700): string {
  return `${weight ? `${weight} ` : ''}${sizeAndLineHeight} ${family}`;
}

/** Content width inside the 600px column (24px gutters). */
export const contentWidth = 552;
export const gutter = 24;

/**
 * The type a table cell sets for everything in it: a paragraph inside only states what differs
 * (its margin, or the other family). The colour comes with the `cls.ink` class so that dark mode
 * re-colours the cell and, through inheritance, its uncoloured text.
 */
export const cellType = {
  serif: { font: fontShorthand('17px/1.55', font.serif), color: colour.ink },
  sans: { font: fontShorthand('15px/1.5', font.sans), color: colour.ink },
} as const;

/**
 * The type of a story's text beside its picture (`cls.text`) for Outlook for Windows only. Every
 * other client takes it from the inline style of the stories' table (ArticleList, article.tsx),
 * inherited by the cells; that is set on the table itself, not on the cell around it, because a table
 * rendered in quirks mode (Outlook's iOS and Android apps and Thunderbird show an email from
 * Outlook without its doctype, caniemail's html-doctype) does not inherit the size or line
 * height from outside. Outlook for Windows (Word) inherits nothing through a table, but applies
 * a class rule from a <style> in the head (caniemail: html-style, css-selector-class, css-font);
 * inside `<!--[if mso]>` (see render.ts) so that no other client, Outlook.com's dark mode
 * (which re-colours inline styles) among them, sees a light colour it would not re-colour.
 */
export const storyTextMsoCss = compact(`.${cls.text} { font: ${cellType.sans.font}; color: ${cellType.sans.color}; }`);

/** A paragraph of body copy inside a `cellType.serif` cell: the cell gives it everything else. */
export const bodyCopy = { margin: '0 0 16px' } as const;

/** The longhand type of the Markdown copy (markdown.ts): see `fontShorthand`. */
export const text = {
  h2: {
    fontFamily: font.serif,
    fontSize: '22px',
    lineHeight: '1.3',
    fontWeight: 700,
    color: colour.ink,
    margin: '28px 0 12px',
  },
  h3: {
    fontFamily: font.serif,
    fontSize: '19px',
    lineHeight: '1.3',
    fontWeight: 700,
    color: colour.ink,
    margin: '24px 0 8px',
  },
  link: {
    color: colour.link,
    textDecoration: 'underline',
  },
} as const;
