import { describe, expect, it } from 'vitest';
import { InputLineError } from '../../core/batch/inputLine.ts';
import { runLines } from '../../core/batch/runLines.ts';
import { nodePlatform } from '../../runtime/node/workerThreads.ts';
import { runWorkers } from '../../runtime/runWorkers.ts';
import { fixtureLines, multiFeatures } from '../../testing/sources/testPipeline.ts';

// `featurizer run --workers N` routes lines on the main thread and lets each worker parse its own:
// a bad line must still fail the run naming the same line and field as the in-thread run, the
// lowest bad line wins whichever worker finds it, and lines no source takes are still checked.
const platform = nodePlatform(new URL('./nodeStreamWorker.ts', import.meta.url));
const budget = { hardwareConcurrency: 2, maxWorkers: 2 };
const features = multiFeatures();
const lines = fixtureLines();

function inThreadError(input: readonly string[]): InputLineError {
  try {
    runLines(features, input.join('\n'), { format: 'ndjson' });
  } catch (e) {
    return e as InputLineError;
  }
  throw new Error('the in-thread run accepted the input');
}

async function workersError(input: readonly string[]): Promise<InputLineError> {
  const run = runWorkers(features, input, platform, {
    format: 'ndjson',
    strategy: { kind: 'per-source' },
    budget,
    feedBatch: 32,
  });
  const e = await run.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputLineError);
  return e as InputLineError;
}

/** `lines` with line `n` (1-based) replaced by `f` of it. */
const edit = (input: readonly string[], n: number, f: (s: string) => string): string[] =>
  input.map((l, i) => (i === n - 1 ? f(l) : l));
const lineOf = (pred: (l: string) => boolean, from = 0): number =>
  lines.findIndex((l, i) => i >= from && pred(l)) + 1;

describe('input lines refused by the workers that parse them', () => {
  const btcBook = lineOf((l) => l.includes('"BTC-USDT","channel":"l2_book"'), 300);
  const ethTrade = lineOf((l) => l.includes('"ETH-USDT","channel":"trades"'), 500);
  const ticker = lineOf((l) => l.includes('"channel":"ticker"'), 200);

  it('names the line and field the in-thread run names', async () => {
    const bad = edit(lines, ethTrade, (l) => l.replace('"side":"', '"side":"x'));
    const want = inThreadError(bad);
    expect(want.line).toBe(ethTrade);
    const got = await workersError(bad);
    expect([got.line, got.message]).toEqual([want.line, want.message]);
  }, 60_000);

  it('reports the lowest bad line when two workers each refuse one', async () => {
    expect(btcBook).toBeLessThan(ethTrade);
    // The later line is on the trades' worker, the earlier on the books': whichever reports
    // first, the earlier line wins.
    let bad = edit(lines, ethTrade, (l) => l.replace('"amount":', '"amount":-'));
    bad = edit(bad, btcBook, (l) => l.replace('"delta":', '"delta":1,"x":'));
    const want = inThreadError(bad);
    const got = await workersError(bad);
    expect([got.line, got.message]).toEqual([btcBook, want.message]);
  }, 60_000);

  it('checks a line no source takes, as the in-thread run does', async () => {
    const bad = edit(lines, ticker, (l) => l.replace('"bid":', '"bid":"'));
    const want = inThreadError(bad);
    expect(want.line).toBe(ticker);
    const got = await workersError(bad);
    expect([got.line, got.message]).toEqual([want.line, want.message]);
  }, 60_000);

  it('reports the lowest of two lines no source takes, checked by different workers', async () => {
    // Consecutive unused lines go to different workers (spread by line number).
    const at = lines.findIndex((l, i) => i > 100 && l.includes('"channel":"ticker"'));
    const input = [...lines.slice(0, at + 1), lines[at]!, ...lines.slice(at + 1)];
    const bad = edit(
      edit(input, at + 2, (l) => l.replace('"ask":', '"ask":-')),
      at + 1,
      (l) => l.replace('"bid":', '"bid":-'),
    );
    const want = inThreadError(bad);
    expect(want.line).toBe(at + 1);
    const got = await workersError(bad);
    expect([got.line, got.message]).toEqual([want.line, want.message]);
  }, 60_000);

  it('lets an earlier line a worker refuses win over a later one the main thread refuses', async () => {
    // Keys out of the canonical order: the scan gives up and the main thread parses that line.
    let bad = edit(lines, ethTrade, (l) =>
      l
        .replace(
          '{"exchange":"SIM","instrument_type":"spot"',
          '{"instrument_type":"spot","exchange":"SIM"',
        )
        .replace('"price":', '"price":"'),
    );
    bad = edit(bad, btcBook, (l) => l.replace('"orders":[[', '"orders":[["x",1,1],['));
    const got = await workersError(bad);
    expect(got.line).toBe(btcBook);
    expect(got.message).toBe(inThreadError(bad).message);
    // Alone, the main thread's own refusal is reported.
    const mainOnly = await workersError(edit(lines, ethTrade, (l) => `${l} x`));
    expect(mainOnly.line).toBe(ethTrade);
  }, 60_000);

  it('gives the canonical bytes for lines the scan cannot read (parsed on the main thread)', async () => {
    const reordered = lines.map((l) =>
      l.replace(
        '{"exchange":"SIM","instrument_type":"spot"',
        '{"instrument_type":"spot","exchange":"SIM"',
      ),
    );
    const run = (input: readonly string[]) =>
      runWorkers(features, input, platform, {
        format: 'ndjson',
        strategy: { kind: 'per-source' },
        budget,
        feedBatch: 32,
      });
    const a = await run(lines);
    const b = await run(reordered);
    expect(a.output.length).toBeGreaterThan(1000);
    expect(b.output).toBe(a.output);
    expect(a.output).toBe(runLines(features, lines.join('\n'), { format: 'ndjson' }).output);
  }, 60_000);
});
