import { afterEach, describe, expect, it } from 'vitest';
import type { Event } from '../core/events.ts';
import type { PortLike } from './ports.ts';
import { type Batch, LineBytes, type LinesBatch, type RawLine } from './protocol.ts';
import { BatchedPortReceiver, BatchedPortTransport } from './Transport.ts';

const ev = (t: number): Event => ({ timestamp: t, receipt_timestamp: t, v: t });
const tick = () => new Promise((r) => setTimeout(r, 5));
const open: MessageChannel[] = [];
function channel(): { a: PortLike; b: PortLike } {
  const c = new MessageChannel();
  open.push(c);
  return { a: c.port1 as unknown as PortLike, b: c.port2 as unknown as PortLike };
}
afterEach(() => {
  for (const c of open.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

describe('BatchedPortTransport', () => {
  for (const codec of ['clone', 'json'] as const) {
    it(`keeps order across batches and sends one message per flush (${codec})`, async () => {
      const { a, b } = channel();
      const got: number[] = [];
      let batches = 0;
      const rx = new BatchedPortReceiver(b, (bt) => {
        batches++;
        got.push(...bt.ev.map((e) => e.v as number));
        rx.ack();
      });
      const tx = new BatchedPortTransport(a, { codec });
      for (let k = 0; k < 20; k++) {
        for (let i = 0; i < 50; i++) tx.push(k * 50 + i, 0, ev(k * 50 + i));
        tx.flush(k * 50 + 49, 0);
        await tick();
      }
      expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
      expect(batches).toBe(20);
    });
  }

  it('lossless: at most maxInFlight unacknowledged batches, the rest queue and block', async () => {
    const { a, b } = channel();
    const held: Batch[] = [];
    const rx = new BatchedPortReceiver(b, (bt) => held.push(bt));
    const tx = new BatchedPortTransport(a, { maxInFlight: 2 });
    for (let k = 0; k < 5; k++) {
      tx.push(k, 0, ev(k));
      tx.flush(k, 0);
    }
    await tick();
    expect(held).toHaveLength(2);
    expect(tx.blocked).toBe(true);
    expect(tx.stats.queued).toBe(3);
    for (let i = 0; i < 3; i++) {
      rx.ack();
      await tick();
    }
    expect(held.map((x) => x.ev[0]!.v)).toEqual([0, 1, 2, 3, 4]);
    expect(tx.blocked).toBe(false);
    expect(tx.stats.drops).toBe(0);
  });

  it('drop-oldest: a full queue drops its oldest batch and counts the events', async () => {
    const { a, b } = channel();
    const held: number[] = [];
    const rx = new BatchedPortReceiver(b, (bt) => held.push(...bt.ev.map((e) => e.v as number)));
    const tx = new BatchedPortTransport(a, { policy: 'drop-oldest', maxInFlight: 1, maxQueued: 2 });
    for (let k = 0; k < 6; k++) {
      tx.push(k, 0, ev(k));
      tx.push(k, 0, ev(k));
      tx.flush(k, 0);
    }
    expect(tx.stats.drops).toBe(6); // batches 1, 2, 3 dropped (2 events each)
    for (let i = 0; i < 3; i++) {
      await tick();
      rx.ack();
    }
    await tick();
    expect(held).toEqual([0, 0, 4, 4, 5, 5]);
  });

  it('ackRelease: one message returns the credit and releases what the receiver holds', async () => {
    const { a, b } = channel();
    const got: number[] = [];
    const rx = new BatchedPortReceiver(b, (bt) => got.push(...bt.ev.map((e) => e.v as number)));
    const tx = new BatchedPortTransport(a, { maxInFlight: 2 });
    for (let k = 0; k < 3; k++) {
      tx.push(k, 0, ev(k));
      tx.flush(k, 0);
    }
    await tick();
    expect([tx.stats.inFlight, tx.stats.queued, tx.stats.retained]).toEqual([2, 1, 2]);
    rx.ackRelease(1); // item 0 delivered and no longer needed; one credit back
    await tick();
    expect([tx.stats.inFlight, tx.stats.queued, tx.stats.retained]).toEqual([2, 0, 2]);
    expect(got).toEqual([0, 1, 2]);
  });

  it('replays retained batches on reconnect; the receiver drops what it already has', async () => {
    const first = channel();
    const got: number[] = [];
    const rx = new BatchedPortReceiver(first.b, (bt) => {
      got.push(...bt.ev.map((e) => e.v as number));
      rx.ack();
    });
    const tx = new BatchedPortTransport(first.a);
    for (let k = 0; k < 4; k++) {
      tx.push(k, 0, ev(k));
      tx.flush(k, 0);
    }
    await tick();
    rx.release(2); // a checkpoint holds items 0 and 1
    await tick();
    expect(tx.stats.retained).toBe(2);
    // The receiver restarts from that checkpoint: it has items below 2 only.
    const second = channel();
    rx.nextN = 2;
    rx.reconnect(second.b);
    got.length = 0;
    tx.reconnect(second.a);
    tx.push(4, 0, ev(4));
    tx.flush(4, 0);
    await tick();
    expect(got).toEqual([2, 3, 4]);
  });

  it('lines codec: lines pushed as bytes arrive as their text, whatever else shares the batch', async () => {
    const { a, b } = channel();
    const got: RawLine[][] = [];
    const rx = new BatchedPortReceiver(b, (bt) => {
      got.push(bt.ev as unknown as RawLine[]);
      rx.ack();
    });
    const posted: unknown[] = [];
    const post = a.postMessage.bind(a);
    a.postMessage = (m, t) => {
      posted.push(m);
      post(m, t);
    };
    const tx = new BatchedPortTransport(a, { codec: 'lines' });
    const enc = new TextEncoder();
    const read = enc.encode('{"a":1}\n{"é":"ü"}\n{"b":2}\n');
    const other = enc.encode('xx{"c":3}');
    // Batch 1: lines of one read only (sent as that read, with ranges). Batch 2: the same read
    // mixed with a string, a parsed event, a line of another read and a line pushed as bytes of
    // another read (copied into one buffer).
    tx.pushBytes(1, 0, 1, read, 0, 7);
    tx.pushBytes(2, 0, 2, read, 8, 19);
    tx.flush(2, 0);
    tx.pushBytes(3, 0, 3, read, 20, 27);
    tx.push(4, 0, '{"s":4}' as unknown as Event, 4);
    tx.push(5, 0, ev(5), 5);
    tx.push(6, 0, new LineBytes(other, 2, 9) as unknown as Event, 6);
    tx.pushBytes(7, 0, 7, other, 2, 9);
    tx.pushBytes(8, 0, 8, read, 8, 19);
    tx.flush(8, 0);
    await tick();
    const text = (r: RawLine): unknown => r.ev ?? r.raw;
    expect(got.map((bt) => bt.map(text))).toEqual([
      ['{"a":1}', '{"é":"ü"}'],
      ['{"b":2}', '{"s":4}', ev(5), '{"c":3}', '{"c":3}', '{"é":"ü"}'],
    ]);
    expect(got.flat().map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // The first batch carried the read itself (no copy); the mixed one a copy of its lines.
    const sent = posted as LinesBatch[];
    expect(sent[0]!.bytes).toBe(read);
    expect(sent[1]!.bytes).not.toBe(read);
  });
});
