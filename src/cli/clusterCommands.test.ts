// The cluster commands' command line (#15): usage errors exit 2 before connecting, naming the
// option; an unreachable server is a one-line error (exit 1). The commands' behaviour against a
// real nats-server is src/cluster/cluster.test.ts.
import { describe, expect, it } from 'vitest';
import { featurizer } from '../testing/cli/cliHarness.ts';

describe('featurizer cluster commands: command line', { timeout: 60_000 }, () => {
  it.each([
    [['deploy', '--nats', 'nats://x:1', '--config', 'c.yaml'], /missing --name/],
    [
      ['deploy', '--nats', 'nats://x:1', '--config', 'c.yaml', '--name', 'p', '--scaling', 'x'],
      /--scaling must be single, per-source, per-node/,
    ],
    [
      ['deploy', '--nats', 'nats://x:1', '--config', 'c.yaml', '--name', 'p', '--from', 'then'],
      /--from must be start or now/,
    ],
    [
      ['deploy', '--nats', 'nats://x:1', '--config', 'c.yaml', '--name', 'a.b'],
      /--name "a.b" must be/,
    ],
    [
      ['tail', '--nats', 'nats://x:1', '--name', 'p', '--out', '-', '--idle-exit', '0'],
      /--idle-exit must be seconds > 0/,
    ],
    [['worker', '--nats', 'nats://x:1', '--lease-sec', 'abc'], /--lease-sec must be seconds > 0/],
    [['publish', '--input', 'x.ndjson'], /missing --nats/],
    [['undeploy', '--nats', 'nats://x:1'], /missing --name/],
    [['undeploy', '--nats', 'nats://x:1', '--name', 'a b'], /--name "a b" must be/],
    [['status', '--nats', 'nats://x:1', '--bogus'], /Unknown option '--bogus'/],
  ])('%j exits 2', (args, message) => {
    const r = featurizer(args);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
  });

  it('an unreachable server is one error line naming it, exit 1', () => {
    const r = featurizer(['status', '--nats', 'nats://127.0.0.1:9']);
    expect(r.stderr).toMatch(/^error: cannot connect to NATS at nats:\/\/127\.0\.0\.1:9: /);
    expect(r.code).toBe(1);
  });

  it('help names every cluster command and option of the issue', () => {
    const r = featurizer(['help', 'worker']);
    for (const s of [
      'publish --nats URL --input',
      'ingest  --nats URL --exchange X --symbols S',
      '--scaling single|per-source|per-node] [--from start|now] [--replace]',
      'undeploy --nats URL --name P',
      'worker  --nats URL [--id W]',
      'tail    --nats URL --name P --out',
      '[--idle-exit S]',
      'status  --nats URL [--json]',
    ])
      expect(r.stdout).toContain(s);
    expect(r.code).toBe(0);
  });
});
