import { XMLParser, XMLValidator, type EntityDecoderOptions } from 'fast-xml-parser';
import { decodeHTML } from 'entities';

/** An element as fast-xml-parser gives it here: attributes under "@_name", text under "#text". */
export type XmlElement = Record<string, unknown>;

export type XmlReadResult =
  | { ok: true; rootName: string; root: XmlElement }
  | { ok: false; error: string };

/**
 * Entity handling is ours, not the parser's: the predefined XML entities, numeric references and
 * HTML's named entities (feeds use &nbsp; and &hellip; without declaring them) are decoded in one
 * pass by the `entities` package (decodeHTML), and entities a document declares itself are never
 * expanded. Expanding declared entities is what makes "billion laughs" attacks work, and no real
 * feed needs them; feeds that declare any are refused before parsing (see declaresEntities).
 */
const entityDecoder: EntityDecoderOptions = {
  setExternalEntities: () => undefined,
  addInputEntities: () => undefined,
  reset: () => undefined,
  setXmlVersion: () => undefined,
  decode: (text) => (text.includes('&') ? decodeHTML(text) : text),
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  // Keep every value a string: a title like "2024" must not become a number.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  entityDecoder,
  // Every element is a list, so readers never have to guess whether a tag appeared once or more.
  isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
  // Elements that carry HTML are kept as their raw inner XML (see innerText): Atom's xhtml
  // content is markup whose order matters, and parsing it into objects would scramble it.
  stopNodes: ['*.description', '*.content:encoded', '*.summary', '*.content'],
});

/** Checks that `text` is well-formed XML without self-declared entities, and parses it. */
export function readXml(text: string): XmlReadResult {
  if (declaresEntities(text)) {
    return {
      ok: false,
      error:
        'refused: the feed declares its own XML entities (<!ENTITY …>), which is how entity-expansion ' +
        'attacks work; real RSS and Atom feeds never need them',
    };
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, error: describeInvalid(valid.err) };
  let doc: XmlElement;
  try {
    doc = parser.parse(text) as XmlElement;
  } catch (e) {
    return { ok: false, error: `malformed XML: ${e instanceof Error ? e.message : String(e)}` };
  }
  const rootName = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  const root = rootName ? child(doc, rootName) : undefined;
  if (!rootName || !isElement(root)) return { ok: false, error: 'not a feed: the XML document is empty' };
  return { ok: true, rootName, root };
}

function describeInvalid(err: { code: string; msg: string; line: number; col: number }): string {
  // For a document that stops early the validator lists the open elements as a JSON array.
  const open = /^Invalid '\[([\s\S]*)\]' found/.exec(err.msg);
  if (open?.[1] !== undefined) {
    const names = [...open[1].matchAll(/"([^"]+)"/g)].map((m) => `<${m[1]}>`);
    return `malformed XML: the document ends before ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} closed (truncated?)`;
  }
  return `malformed XML: ${err.msg} (line ${err.line}, column ${err.col})`;
}

/**
 * True when the document's DOCTYPE has an internal subset that declares entities. Only the
 * prolog is looked at, so an article about XML that quotes "<!ENTITY" in its content is fine.
 */
export function declaresEntities(text: string): boolean {
  let i = 0;
  for (;;) {
    while (i < text.length && /[\s\uFEFF]/.test(text[i] ?? '')) i++;
    const terminator = text.startsWith('<?', i) ? '?>' : text.startsWith('<!--', i) ? '-->' : undefined;
    if (terminator) {
      const end = text.indexOf(terminator, i);
      if (end < 0) return false;
      i = end + terminator.length;
      continue;
    }
    if (!/^<!DOCTYPE/i.test(text.slice(i, i + 9))) return false;
    const subsetStart = text.indexOf('[', i);
    const declarationEnd = text.indexOf('>', i);
    if (subsetStart < 0 || (declarationEnd >= 0 && declarationEnd < subsetStart)) return false;
    // The subset runs until the root element. Not until the first "]": a comment or an entity
    // value may hold one. Markup inside an entity value can only come after its <!ENTITY.
    const subset = text.slice(subsetStart);
    const rootAt = subset.search(/<[A-Za-z_:]/);
    return /<!ENTITY/i.test(rootAt < 0 ? subset : subset.slice(0, rootAt));
  }
}

export function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** All child elements (or text values) named `name`. */
export function children(node: unknown, name: string): unknown[] {
  if (!isElement(node)) return [];
  const value = node[name];
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

export function child(node: unknown, name: string): unknown {
  return children(node, name)[0];
}

/** An attribute's value (entities already decoded). */
export function attr(node: unknown, name: string): string | undefined {
  if (!isElement(node)) return undefined;
  const value = node[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The text of an element. An element with child elements (Atom's type="xhtml", or HTML pasted
 * unescaped into an RSS description) gives the text of all of them, in document order of keys.
 */
export function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) {
    const parts = node.map(textOf).filter((t): t is string => !!t);
    return parts.length ? parts.join(' ') : undefined;
  }
  if (!isElement(node)) return undefined;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_')) continue;
    const text = textOf(value);
    if (text) parts.push(text);
  }
  return parts.length ? parts.join(' ') : undefined;
}

export function childText(node: unknown, name: string): string | undefined {
  return textOf(child(node, name))?.trim() || undefined;
}

/**
 * The text of a stop node (see the parser's stopNodes), which arrives as raw inner XML: CDATA
 * sections are taken as they are, everything else has its entities decoded. For RSS descriptions
 * and Atom type="html" this gives the HTML the feed meant.
 */
export function innerText(node: unknown): string | undefined {
  const raw = rawInner(node);
  if (raw === undefined) return undefined;
  return raw
    .split(/<!\[CDATA\[([\s\S]*?)\]\]>/)
    .map((part, i) => (i % 2 === 1 ? part : entityDecoder.decode(part)))
    .join('');
}

/** A stop node's raw inner XML, untouched: Atom's type="xhtml" content, which is markup. */
export function rawInner(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  const text = isElement(node) ? node['#text'] : undefined;
  return typeof text === 'string' ? text : isElement(node) ? '' : undefined;
}
