/**
 * CLI: `npm run exchange-sim -- [--port 8765] [--seed 1] [--symbols BTC-USDT,ETH-USDT]
 * [--replay <fixture.json>] [--replay-interval-ms 200] [--rate 200]`. Runs until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { startExchangeSim } from './server.ts';

const USAGE = `usage: exchange-sim [--port 8765] [--seed 1] [--symbols BTC-USDT,ETH-USDT]
                    [--replay <fixture.json>] [--replay-interval-ms 200] [--rate <steps/s>]`;

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8765' },
      seed: { type: 'string', default: '1' },
      symbols: { type: 'string', default: 'BTC-USDT,ETH-USDT' },
      replay: { type: 'string' },
      'replay-interval-ms': { type: 'string', default: '200' },
      rate: { type: 'string', default: '200' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return out(USAGE);
  const num = (name: string, v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number, got '${v}'`);
    return n;
  };
  const sim = await startExchangeSim({
    port: num('port', values.port),
    seed: num('seed', values.seed),
    symbols: values.symbols
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    meanIntervalSec: 1 / Math.max(1, num('rate', values.rate)),
    ...(values.replay
      ? {
          replay: {
            file: values.replay,
            intervalMs: num('replay-interval-ms', values['replay-interval-ms']),
          },
        }
      : {}),
    log: (l) => out(l),
  });
  out(`exchange simulator on ${sim.url} (seed ${values.seed}, symbols ${values.symbols})`);
  out(`  VenueFeed endpointOverride: '${sim.url}'`);
  out(`  status: curl http://127.0.0.1:${sim.port}/__sim/status`);
  out(
    `  fault:  curl -XPOST http://127.0.0.1:${sim.port}/__sim/fault -d '{"venue":"kraken","kind":"drop"}'`,
  );
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`exchange-sim: ${(e as Error).message}\n${USAGE}\n`);
  process.exit(2);
});
