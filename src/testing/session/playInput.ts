import type { ReplayInput } from '../../runtime/replayTypes.ts';

/**
 * Every event a replay worker's input gives from line `from` to its end, as a worker reads it
 * (request, wait for the load, push), each as `[line, source, event]` JSON for comparing plays.
 */
export async function playInput(input: ReplayInput, from = 0): Promise<string[]> {
  const out: string[] = [];
  for (let i = from; i < input.total; i++) {
    await new Promise<void>((res, rej) => {
      input.onLoad = () => (input.error ? rej(input.error as Error) : res());
      if (input.request(i)) res();
      else if (input.error) rej(input.error as Error);
    });
    input.push(i, (s, e) => out.push(JSON.stringify([i, s, e])));
  }
  return out;
}
