/**
 * WordPress shortcodes left in a post's text: `[fusion_builder_container hundred_percent=”no”]`
 * from a page builder the theme no longer has, `[caption id=…]…[/caption]`, `[gallery]`. WordPress
 * only strips the ones a plugin still registers, so its excerpt and feed can start with them.
 * They are removed here, registered or not; the text they enclose stays. Brackets readers write
 * (`[sic]`, `[1]`, `[Updated]`, `[…]`) are left alone: a tag counts as a shortcode only when it
 * has attributes (`name=…`), closes itself (`[name /]`), is a closing tag (`[/name]`), is closed
 * later in the text, has an underscore in its name, or is one of WordPress core's own.
 */

// Attribute values may hold anything but brackets, including texturized quotes (” ″ ’).
const name = '[A-Za-z][A-Za-z0-9_-]*';
const withAttributes = new RegExp(`\\[${name}\\s+[^\\[\\]]*=[^\\[\\]]*(?:\\]|(?=\\[|$))`, 'g');
const selfClosing = new RegExp(`\\[${name}(?:\\s+[^\\[\\]]*)?\\s*/\\]`, 'g');
const closing = new RegExp(`\\[/(${name})\\]`, 'g');
const bare = new RegExp(`\\[(${name})\\]`, 'g');
const coreShortcodes = new Set(['caption', 'wp_caption', 'gallery', 'audio', 'video', 'playlist', 'embed']);

/** Text with shortcode tags removed; whitespace where a tag was, so words do not run together. */
export function stripShortcodes(text: string): string {
  if (!text.includes('[')) return text;
  const closed = new Set([...text.matchAll(closing)].map((m) => m[1]!.toLowerCase()));
  return text
    .replace(withAttributes, ' ')
    .replace(selfClosing, ' ')
    .replace(closing, ' ')
    .replace(bare, (tag, tagName: string) => {
      const lower = tagName.toLowerCase();
      return closed.has(lower) || lower.includes('_') || coreShortcodes.has(lower) ? ' ' : tag;
    });
}
