import type { ImageCandidate } from './html-text';

/**
 * Pictures too small to show in a digest (the smallest slot is a 112 px thumbnail): emoji,
 * smilies, icons and tracking pixels. An image of unknown size is given the benefit of the doubt.
 */
const MIN_WIDTH = 100;
const MIN_HEIGHT = 60;

// WordPress replaces emoji with <img class="wp-smiley" src="…/images/core/emoji/15.0.3/72x72/1f4ec.png">
// and :-) with …/wp-includes/images/smilies/icon_smile.gif; other emoji CDNs (Twemoji) look alike.
const decorativeUrl = /\/images\/core\/emoji\/|\/wp-includes\/images\/smilies\/|\/twemoji\/|\/emoji\/[^/]*\d+x\d+\//i;
const decorativeClass = /\b(?:wp-smiley|emoji|smiley)\b/i;

/** True when an image cannot be a story's picture: decorative, a pixel, or too small to show. */
export function isUnfitImage(image: ImageCandidate & { className?: string }): boolean {
  if (image.className && decorativeClass.test(image.className)) return true;
  if (decorativeUrl.test(image.url)) return true;
  if (image.width !== undefined && image.width < MIN_WIDTH) return true;
  if (image.height !== undefined && image.height < MIN_HEIGHT) return true;
  return false;
}
