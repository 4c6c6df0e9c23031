// `featurizer publish` of a file the stream already holds (#15), against a real nats-server: a
// second publish is refused and publishes nothing; a publish SIGKILLed midway, run again,
// continues after the last line the stream holds, so the stream holds the file exactly once, in
// order; `--append` publishes it again on purpose; a publish that cannot be continued in order
// (other messages after it), or a file that is not the one whose publish it would continue, is
// refused; a grown recording continues; a purged stream takes the file again.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DeliverPolicy } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cluster, connectCluster } from '../cluster/natsConnection.ts';
import { MARKET_STREAM } from '../cluster/names.ts';
import { featurizer, tempDir } from '../testing/cli/cliHarness.ts';
import {
  type NatsServerHandle,
  sleep,
  spawnCli,
  startNatsServer,
} from '../testing/cluster/clusterHarness.ts';

const dir = tempDir();
const event = (i: number, symbol: string): string =>
  JSON.stringify({
    exchange: 'SIM',
    instrument_type: 'spot',
    symbol,
    channel: 'ticker',
    event: { timestamp: 1e9 + i, receipt_timestamp: 1e9 + i, bid: 1, ask: 2 },
  });
/** A file of `n` event lines (a blank line every 50,000), its non-blank lines. */
function eventFile(name: string, n: number, symbol: string, from = 0): [string, string[]] {
  const lines = Array.from({ length: n }, (_, i) => event(from + i, symbol));
  const file = path.join(dir, name);
  writeFileSync(
    file,
    lines.map((l, i) => (i % 50_000 === 49_999 ? `${l}\n\n` : `${l}\n`)).join(''),
  );
  return [file, lines];
}

describe('featurizer publish: twice, interrupted, --append', { timeout: 120_000 }, () => {
  let server: NatsServerHandle;
  let c: Cluster;
  beforeAll(async () => {
    server = await startNatsServer();
    c = await connectCluster(server.url, 'test');
  });
  afterAll(async () => {
    await c?.nc.close();
    await server?.stop();
  });

  const publish = (file: string, ...more: string[]) =>
    featurizer(['publish', '--nats', server.url, '--input', file, ...more]);
  const lastSeq = async (): Promise<number> =>
    (await c.jsm.streams.info(MARKET_STREAM)).state.last_seq;
  /** The texts of market messages from `from` on. */
  const stream = async (from: number): Promise<string[]> => {
    const last = await lastSeq();
    const got: string[] = [];
    if (last < from) return got;
    const cons = await c.js.consumers.get(MARKET_STREAM, {
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: from,
    });
    const it = await cons.consume();
    for await (const m of it) {
      got.push(m.string());
      if (m.seq >= last) break;
    }
    it.stop();
    return got;
  };
  /** `publish file`, SIGKILLed once the stream holds more than `after` of its lines; how many it holds. */
  const killMidway = async (file: string, base: number, after: number): Promise<number> => {
    const p = spawnCli(['publish', '--nats', server.url, '--input', file]);
    while ((await lastSeq()) - base < after && p.child.exitCode === null) await sleep(5);
    p.child.kill('SIGKILL');
    expect(await p.exited, `publish ended before it was killed: ${p.stderr()}`).toBe('SIGKILL');
    await sleep(300); // what the server had already received is stored
    return (await lastSeq()) - base;
  };

  it('a second publish is refused; one killed midway resumes; --append publishes again', async () => {
    const [file, lines] = eventFile('big.ndjson', 200_000, 'A-B');
    const held = await killMidway(file, 0, 10_000);
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(lines.length);

    const resumed = publish(file);
    expect(resumed.code, resumed.stderr).toBe(0);
    const lineNo = held + Math.floor((held - 1) / 50_000); // the blank lines before it count
    expect(resumed.stderr).toBe(
      `featurizer: resumed after line ${lineNo} (${held} lines were already market messages 1–${held}): ` +
        `${lines.length - held} lines of ${file} → market stream\n`,
    );
    expect(await stream(1)).toEqual(lines);

    const again = publish(file);
    expect(again.stderr).toMatch(
      new RegExp(
        `^error: .*big\\.ndjson: already published: its 200000 lines are market messages 1–200000 \\(.*\\); nothing published\\. --append publishes it again\n$`,
      ),
    );
    expect(again.code).toBe(1);
    expect(await lastSeq()).toBe(lines.length);

    const appended = publish(file, '--append');
    expect(appended.code, appended.stderr).toBe(0);
    expect(appended.stderr).toMatch(
      /--append: publishing the whole file again \(the stream already holds it from market message 1\)/,
    );
    expect(await stream(lines.length + 1)).toEqual(lines);
  });

  it('an interrupted publish with other messages after it is refused; so is a finished one', async () => {
    const base = await lastSeq();
    const [file] = eventFile('cut.ndjson', 200_000, 'C-D');
    const held = await killMidway(file, base, 10_000);
    await c.js.publish('md.SIM.other', event(0, 'Z-Z'));
    const r = publish(file);
    expect(r.stderr).toMatch(
      new RegExp(
        `^error: .*cut\\.ndjson: an interrupted publish of it stored its first lines from market message ${base + 1} \\(.*\\), and other messages were published after it, so it cannot be continued in order; nothing published\\. --append`,
      ),
    );
    expect(r.code).toBe(1);
    expect(await lastSeq()).toBe(base + held + 1);
    // The finished big.ndjson of the test before is not the stream's end either.
    const big = publish(path.join(dir, 'big.ndjson'));
    expect(big.stderr).toMatch(
      /already published \(.*: 200000 lines, market messages 200001–400000\), and other messages were published after it/,
    );
    expect(big.code).toBe(1);
  });

  it('same first lines: a different file is refused, a grown one continues; a purged stream takes it again', async () => {
    const [file, lines] = eventFile('d.ndjson', 1500, 'E-F');
    const base = await lastSeq();
    expect(publish(file).code).toBe(0);
    // Same first 1,200 lines, then others: the stream's last line is not this file's line 1500.
    const other = path.join(dir, 'd-other.ndjson');
    writeFileSync(other, [...lines.slice(0, 1200), ...eventFile('x', 300, 'X-X')[1]].join('\n'));
    const r = publish(other);
    expect(r.stderr).toMatch(
      /^error: .*d-other\.ndjson: line 1500 differs from the market stream's last message/,
    );
    expect(r.code).toBe(1);
    const shorter = path.join(dir, 'd-short.ndjson');
    writeFileSync(shorter, lines.slice(0, 1100).join('\n'));
    expect(publish(shorter).stderr).toMatch(
      /holds 1500 lines of a publish .* but this file has 1100/,
    );
    expect(await lastSeq()).toBe(base + 1500);

    const grown = path.join(dir, 'd-grown.ndjson');
    const more = eventFile('y', 100, 'E-F', 1500)[1];
    writeFileSync(grown, [...lines, ...more].join('\n'));
    const g = publish(grown);
    expect(g.code, g.stderr).toBe(0);
    expect(g.stderr).toMatch(/resumed after line 1500 .*: 100 lines of/);
    expect(await stream(base + 1)).toEqual([...lines, ...more]);

    const missing = publish(path.join(dir, 'nope.ndjson'));
    expect(missing.stderr).toMatch(/^error: \S*nope\.ndjson: no such file\n$/);
    expect(missing.code).toBe(1);

    await c.jsm.streams.purge(MARKET_STREAM);
    const p = publish(file);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stderr).toMatch(/1500 lines of/);
    expect(await stream((await lastSeq()) - 1499)).toEqual(lines);
  });

  it('a publish of a file whose publish is still running says so and publishes nothing', async () => {
    await c.jsm.streams.purge(MARKET_STREAM);
    const base = await lastSeq();
    const [file, lines] = eventFile('twice.ndjson', 300_000, 'G-H');
    const first = spawnCli(['publish', '--nats', server.url, '--input', file]);
    while ((await lastSeq()) - base < 5_000 && first.child.exitCode === null) await sleep(5);
    const second = spawnCli(['publish', '--nats', server.url, '--input', file]);
    const [code1, code2] = await Promise.all([first.exited, second.exited]);
    expect(code1, first.stderr()).toBe(0);
    expect(first.stderr()).toMatch(
      /^featurizer: 300000 lines of .*twice\.ndjson → market stream\n$/,
    );
    // Never "resumed": the other one was running (or, on a slow machine, had just ended).
    expect(second.stderr()).not.toMatch(/resumed/);
    expect(second.stderr()).toMatch(
      /^error: .*twice\.ndjson: (another publish of this recording is running \(started .*; \d+ lines stored so far, market messages \d+–\d+\); nothing published\. Run it again after that one has ended|already published)/,
    );
    expect(code2).toBe(1);
    expect(await stream(base + 1)).toEqual(lines);
  });
});
