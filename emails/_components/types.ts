/**
 * The props the templates are rendered with. emails/ depends on nothing in src/; src/ imports
 * these. A topic a reader can choose (the same as src/db/schema's Topic, checked there).
 */
export type Topic = 'digest' | 'appeals';

/** The publication an email speaks for. Every URL is absolute. */
export interface Site {
  name: string;
  url: string;
  /** Postal address or contact line shown in every footer (CAN-SPAM and plain courtesy). */
  contactLine?: string;
  privacyUrl?: string;
}

/**
 * The per-reader parts of a bulk email. The fast path renders a campaign once with placeholder
 * values here (see placeholders.ts) and substitutes each reader's values afterwards.
 */
export interface Personalisation {
  /** The reader's name; absent or blank gives the fallback greeting ("Dear reader,"). */
  name?: string | null;
  unsubscribeUrl: string;
  preferencesUrl: string;
  /** The campaign's archive page, the same for every reader. */
  viewInBrowserUrl: string;
  /**
   * The reader's click/open tracking token (src/tracking/). Templates never print it: link
   * tracking puts its placeholder into a campaign's stored render after rendering. Absent in
   * generic copies (archive, preview), whose tracked links then carry no reader.
   */
  readerToken?: string;
  /** A transactional email's one call to action, e.g. the confirmation link. */
  actionUrl?: string;
}

export interface ArticleImage {
  src: string;
  /** Describes the picture; falls back to the article title when the feed gave none. */
  alt?: string;
  /** Intrinsic size when known, so the email can reserve the right box before images load. */
  width?: number;
  height?: number;
  /** Other renditions of the same picture; each slot takes the smallest still sharp there. */
  sizes?: readonly { url: string; width: number; height: number }[];
}

export interface DigestArticle {
  title: string;
  url: string;
  excerpt?: string;
  author?: string;
  category?: string;
  image?: ArticleImage;
}

/** A donation appeal's words and link: in its own email, or as a block inside a digest. */
export interface AppealCopy {
  headline: string;
  /** Markdown. */
  body: string;
  donateUrl: string;
  donateLabel?: string;
}

/** "£18,600 of £25,000 raised", with an optional bar drawn from `fraction` (0 to 1). */
export interface AppealProgress {
  label: string;
  fraction?: number;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}
