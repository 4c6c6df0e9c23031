// `featurizer publish`'s fast path (MarketPublisher.backfill) against a real nats-server: lines
// are stored in order, one message per non-blank line, on md.<venue>.<symbol>; a publisher that
// writes in between makes the rest refused by the server, and the backfill says so.
import { DeliverPolicy } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NatsServerHandle, startNatsServer } from '../testing/cluster/clusterHarness.ts';
import { type Cluster, connectCluster } from './natsConnection.ts';
import { MARKET_STREAM } from './names.ts';
import { MarketPublisher } from './publish.ts';

const event = (i: number, symbol: string): string =>
  JSON.stringify({
    exchange: 'SIM',
    instrument_type: 'spot',
    symbol,
    channel: 'ticker',
    event: { timestamp: 1e9 + i, receipt_timestamp: 1e9 + i, bid: 1, ask: 2 },
  });

/** Batches of 100 lines (as a file is read), `midway` awaited before the middle one. */
async function* items(texts: readonly string[], midway?: () => Promise<void>) {
  for (let i = 0; i < texts.length; i += 100) {
    if (i === texts.length >> 1) await midway?.();
    yield { texts: texts.slice(i, i + 100), firstLineNo: i + 1, kind: 'e' as const };
  }
}

describe('MarketPublisher.backfill', { timeout: 30_000 }, () => {
  let server: NatsServerHandle;
  let c: Cluster;
  beforeAll(async () => {
    server = await startNatsServer();
    c = await connectCluster(server.url, 'test');
  });
  afterAll(async () => {
    await c.nc.close();
    await server.stop();
  });

  it('stores every non-blank line in order, on its venue and symbol subject', async () => {
    const texts = Array.from({ length: 5000 }, (_, i) =>
      i % 1000 === 7 ? '' : event(i, i % 2 ? 'A-B' : 'C.D'),
    );
    const pub = new MarketPublisher(c);
    await pub.backfill(items(texts));
    const want = texts.filter((t) => t !== '');
    expect(pub.published).toBe(want.length);
    const got: { subject: string; text: string }[] = [];
    const it = await (
      await c.js.consumers.get(MARKET_STREAM, { deliver_policy: DeliverPolicy.All })
    ).consume();
    for await (const m of it) {
      got.push({ subject: m.subject, text: m.string() });
      if (m.info.pending === 0) break;
    }
    it.stop();
    expect(got.map((g) => g.text)).toEqual(want);
    expect(got[0]!.subject).toBe('md.SIM.C_D.e');
    expect(got[1]!.subject).toBe('md.SIM.A-B.e');
  });

  it('refuses to continue behind another publisher, and says how many lines were stored', async () => {
    const texts = Array.from({ length: 400 }, (_, i) => event(i, 'X-Y'));
    const other = (): Promise<void> => c.js.publish('md.SIM.other', event(0, 'Z-Z')).then(() => {});
    await expect(new MarketPublisher(c).backfill(items(texts, other))).rejects.toThrow(
      /holds 201 new messages for 400 lines/,
    );
  });

  it('line(): acknowledged one by one, in order, at most `window` unacknowledged', async () => {
    const before = (await c.jsm.streams.info(MARKET_STREAM)).state.last_seq;
    const texts = Array.from({ length: 3000 }, (_, i) => event(i, 'L-L'));
    const pub = new MarketPublisher(c, 64);
    for (let i = 0; i < texts.length; i++) await pub.line(texts[i]!, 'e', i + 1);
    await pub.flush();
    expect(pub.published).toBe(3000);
    const got: string[] = [];
    const it = await (
      await c.js.consumers.get(MARKET_STREAM, {
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: before + 1,
      })
    ).consume();
    for await (const m of it) {
      got.push(m.string());
      if (m.info.pending === 0) break;
    }
    it.stop();
    expect(got).toEqual(texts);
  });

  it('line(): a line nothing stores fails the publisher, naming the line (last: deletes the stream)', async () => {
    await c.jsm.streams.delete(MARKET_STREAM);
    const pub = new MarketPublisher(c, 8);
    const lines = Array.from({ length: 5 }, (_, i) => event(i, 'X-Y'));
    const sent = (async () => {
      for (let i = 0; i < lines.length; i++) await pub.line(lines[i]!, 'e', i + 10);
      await pub.flush();
    })();
    await expect(sent).rejects.toThrow(/^line 10: publish failed: no stream stores/);
    await expect(pub.line(lines[0]!, 'e', 99)).rejects.toThrow(/^line 10:/);
  });
});
