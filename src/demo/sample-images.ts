import type { SampleArticle } from './sample-articles';

/** The intrinsic size of every sample picture (3:2, like most news photos). */
export const SAMPLE_IMAGE = { width: 1200, height: 800 } as const;

/**
 * A sample article's picture: a small landscape (sky, sun, two hills) in the article's colours,
 * drawn as SVG so Broadside serves it itself and the demo works offline. A few hundred bytes.
 */
export function sampleImageSvg(picture: SampleArticle['picture']): string {
  const { width: w, height: h } = SAMPLE_IMAGE;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeXml(picture.alt)}">
<rect width="${w}" height="${h}" fill="${picture.sky}"/>
<circle cx="${w * 0.72}" cy="${h * 0.3}" r="${h * 0.1}" fill="${picture.sun}" opacity="0.9"/>
<path d="M0 ${h * 0.62} C ${w * 0.25} ${h * 0.5}, ${w * 0.5} ${h * 0.72}, ${w} ${h * 0.58} V ${h} H 0 Z" fill="${picture.land}" opacity="0.75"/>
<path d="M0 ${h * 0.78} C ${w * 0.3} ${h * 0.68}, ${w * 0.65} ${h * 0.86}, ${w} ${h * 0.74} V ${h} H 0 Z" fill="${picture.land}"/>
</svg>`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
