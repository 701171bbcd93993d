import type { ArticleImage } from './types';

/**
 * The width and height attributes for an image shown `width` pixels wide. With the intrinsic
 * size known the box keeps the picture's proportions; without it we assume `fallbackRatio`
 * (height / width). CSS `height:auto` corrects a wrong guess wherever CSS works; only clients
 * that go by attributes alone (Outlook for Windows) would stretch the picture.
 */
export function imageBox(image: ArticleImage, width: number, fallbackRatio: number) {
  const ratio =
    image.width && image.height && image.width > 0 && image.height > 0
      ? image.height / image.width
      : fallbackRatio;
  return { width, height: Math.max(1, Math.round(width * ratio)) };
}

/** Shortens text to at most `max` characters at a word boundary, ending with an ellipsis. */
export function clampText(value: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length <= max) return trimmed;
  const cut = trimmed.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:–—-]+$/, '')}…`;
}

/**
 * The rendition to show `width` pixels wide: the smallest at least twice that (sharp on
 * high-density screens) with the picture's own proportions (WordPress's square "thumbnail" is a
 * crop), else the largest there is. Without renditions, the picture as it is.
 */
export function pickRendition(image: ArticleImage, width: number): ArticleImage {
  const ratio = image.width && image.height ? image.height / image.width : undefined;
  const same = (image.sizes ?? []).filter((s) => !ratio || Math.abs(s.height / s.width - ratio) < 0.02 * ratio);
  const all = [...same, ...(image.width && image.height ? [{ url: image.src, width: image.width, height: image.height }] : [])].sort(
    (a, b) => a.width - b.width,
  );
  const chosen = all.find((s) => s.width >= 2 * width) ?? all[all.length - 1];
  return chosen ? { src: chosen.url, alt: image.alt, width: chosen.width, height: chosen.height } : image;
}
