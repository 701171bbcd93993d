/**
 * The last few campaign renders, by everything that goes into them. An editor's preview, send
 * page and test-send render the same draft again and again, and a digest takes 20–30 ms of CPU
 * to render through React (a custom campaign through MJML even more); the inputs of a render are
 * plain data and the templates are pure, so the same inputs give the same email. Keyed by the
 * inputs themselves (not by a campaign's id or updated time), an edit to the draft or to one of
 * its articles is a different key and is rendered afresh. Per process (or per Worker isolate),
 * bounded, so memory stays a few megabytes.
 */
const LIMIT = 16;

export function memoised<T>(render: (key: string) => Promise<T>) {
  const done = new Map<string, Promise<T>>();
  return (key: string): Promise<T> => {
    const hit = done.get(key);
    if (hit) {
      // Most recently used last, so the oldest entry is the one dropped.
      done.delete(key);
      done.set(key, hit);
      return hit;
    }
    const made = render(key);
    done.set(key, made);
    // A failed render is not kept: the next call tries again.
    made.catch(() => done.delete(key));
    if (done.size > LIMIT) done.delete(done.keys().next().value!);
    return made;
  };
}
