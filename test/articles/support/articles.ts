import type { FeedArticle } from '../../../src/articles/normalise';

let counter = 0;

/** A unique, valid feed article; override what the test cares about. */
export function feedArticle(overrides: Partial<FeedArticle> = {}): FeedArticle {
  counter++;
  return {
    guid: `https://riversideledger.example/?p=${9000 + counter}`,
    url: `https://riversideledger.example/2024/05/story-${counter}/`,
    title: `Story number ${counter}`,
    author: 'Priya Natarajan',
    excerpt: `What happened in story ${counter}.`,
    imageUrl: null,
    imageAlt: null,
    imageWidth: null,
    imageHeight: null,
    imageSizes: null,
    categories: ['News'],
    publishedAt: Date.UTC(2024, 4, 1) + counter * 60_000,
    updatedAtSource: null,
    ...overrides,
  };
}
