import { readFileSync } from 'node:fs';

/** Text of a file in the shared exchange fixtures (copied into the repo from the shared fixtures, so a bare clone can run the tests). */
export function fixtureText(file: string): string {
  return readFileSync(new URL(`../../../fixtures/exchanges/${file}`, import.meta.url), 'utf8');
}

/**
 * Test helper: the verbatim text of each element of a fixture's top-level JSON array, i.e. the
 * frames as the exchange sent them, number lexemes (`0.10000000`) included.
 */
export function fixtureFrames(file: string): string[] {
  const text = fixtureText(file);
  const frames: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      if (depth === 1 && start < 0) start = i;
    } else if (c === '[' || c === '{') {
      if (depth === 1 && start < 0) start = i;
      depth++;
    } else if (c === ']' || c === '}') {
      depth--;
      if (depth === 1 && start >= 0) {
        frames.push(text.slice(start, i + 1));
        start = -1;
      }
    } else if (c === ',' && depth === 1 && start >= 0) {
      frames.push(text.slice(start, i).trim());
      start = -1;
    } else if (depth === 1 && start < 0 && c !== ',' && c.trim() !== '') start = i;
  }
  return frames;
}
