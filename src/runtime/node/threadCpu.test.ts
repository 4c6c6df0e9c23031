import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ThreadCpu, threadCpuText } from './threadCpu.ts';

// The worker spins until its own thread has used 250 ms of CPU (read from /proc by itself), so
// the accounting is checked against what the thread measured, not against a clock.
const SPIN = `
const { readFileSync } = require('node:fs');
const { parentPort } = require('node:worker_threads');
const cpu = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
const start = cpu();
let x = 0;
while (cpu() - start < 250) for (let i = 0; i < 1e5; i++) x += i;
parentPort.postMessage(cpu() - start);
`;

describe('ThreadCpu', () => {
  it("gives each worker its own thread's CPU, apart from the main thread's", async () => {
    const cpu = new ThreadCpu();
    cpu.begin();
    const w = cpu.spawned(0, () => new Worker(SPIN, { eval: true }));
    const used = await new Promise<number>((r) => w.once('message', r));
    cpu.ending(0);
    await w.terminate();
    const r = cpu.report();
    expect(r.workers).toHaveLength(1);
    // At least what the worker saw itself (it was read a little later, so maybe more).
    expect(r.workers[0]).toBeGreaterThanOrEqual(used);
    // The main thread only waited: it is not charged with the worker's spinning.
    expect(r.main).toBeLessThan(used);
    expect(r.process).toBeGreaterThanOrEqual(r.main + r.workers[0]!);
    expect(threadCpuText(r)).toMatch(/^CPU by thread: main \d+ ms · worker 0 \d+ ms · other /);
  });
});
