import type { LineSource } from '../../session/ReplayEngine.ts';

/** An array of recording lines as a {@link LineSource} (the product reads a ChunkWindow). */
export const arrayLines = (lines: readonly string[]): LineSource => ({
  line: (i) => lines[i]!,
  get end() {
    return lines.length;
  },
});
