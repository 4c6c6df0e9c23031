import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { MAIN_HELP, RECORD_HELP, RUN_HELP } from './help.ts';
import type { CliIo } from './CliIo.ts';

/** The cluster commands (#15, src/cluster; docs/cluster.md). */
const CLUSTER_COMMANDS = ['publish', 'ingest', 'deploy', 'undeploy', 'worker', 'tail', 'status'];

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** The `featurizer` command line. Returns the exit code (0 ok, 1 failed run, 2 usage error). */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(MAIN_HELP);
    return 2;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    if (CLUSTER_COMMANDS.includes(rest[0] ?? '')) {
      io.out((await import('./clusterHelp.ts')).CLUSTER_HELP);
      return 0;
    }
    io.out(rest[0] === 'run' ? RUN_HELP : rest[0] === 'record' ? RECORD_HELP : MAIN_HELP);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    io.out(`${pkg.version}\n`);
    return 0;
  }
  if (command === 'definitions') {
    const { listDefinitions } = await import('../core/definitions/registry.ts');
    for (const d of listDefinitions())
      io.out(`${d.name.padEnd(40)} ${d.kind.padEnd(8)} ${d.description}\n`);
    return 0;
  }
  if (command === 'record') return record(rest, io);
  if (CLUSTER_COMMANDS.includes(command)) {
    // Loaded on demand: the NATS client is only for the cluster commands (#15).
    const { clusterCommand } = await import('./clusterCommands.ts');
    return clusterCommand(command, rest, io);
  }
  if (command !== 'run') {
    io.err(`error: unknown command "${command}" (try: featurizer --help)\n`);
    return 2;
  }
  const parsed = parseCommand('run', rest, RUN_OPTIONS, ['config', 'input', 'out'], RUN_HELP, io);
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) {
      io.err(`error: --workers must be a whole number ≥ 1, got "${values.workers}"\n`);
      return 2;
    }
  }
  // Loaded on demand, like every command's code: `--help` and usage errors load only this file
  // (the prebuilt bundle splits at these imports; issue #14, start in ≤ 0.3 s).
  const { runCommand } = await import('./runCommand.ts');
  return runCommand(
    {
      config: values.config!,
      input: values.input!,
      out: values.out!,
      format: values.format,
      quiet: values.quiet ?? false,
      strictSources: values['strict-sources'] ?? false,
      ...(values.definitions ? { definitions: values.definitions } : {}),
      ...(workers !== undefined ? { workers } : {}),
    },
    io,
  );
}

/** `featurizer record …`: arguments checked here, the work in recordCommand. */
async function record(rest: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommand(
    'record',
    rest,
    RECORD_OPTIONS,
    ['exchange', 'symbols', 'out'],
    RECORD_HELP,
    io,
  );
  if ('exit' in parsed) return parsed.exit;
  const { values } = parsed;
  // Loaded on demand: `record` pulls in the `ws` client and Node's http/tls stack, which every
  // other command would otherwise pay for at startup.
  const { parseChannels, recordCommand } = await import('./recordCommand.ts');
  const channels = parseChannels(values.channels);
  const durationSec = Number(values.duration);
  if ('error' in channels || !(durationSec > 0)) {
    io.err(
      `error: ${'error' in channels ? channels.error : `--duration must be seconds > 0, got "${values.duration}"`}\n`,
    );
    return 2;
  }
  return recordCommand(
    {
      exchange: values.exchange!,
      symbols: values.symbols!.split(',').map((s) => s.trim()),
      channels,
      out: values.out!,
      durationSec,
      endpoint: values.endpoint,
      json: values.json ?? false,
    },
    io,
  );
}

const RUN_OPTIONS = {
  config: { type: 'string', short: 'c' },
  input: { type: 'string', short: 'i' },
  out: { type: 'string', short: 'o' },
  format: { type: 'string', short: 'f' },
  quiet: { type: 'boolean', short: 'q' },
  workers: { type: 'string', short: 'w' },
  'strict-sources': { type: 'boolean' },
  definitions: { type: 'string', short: 'd', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

const RECORD_OPTIONS = {
  exchange: { type: 'string', short: 'e' },
  symbols: { type: 'string', short: 's' },
  channels: { type: 'string', default: 'trades,ticker,l2_book' },
  out: { type: 'string', short: 'o' },
  duration: { type: 'string', short: 'd', default: '60' },
  endpoint: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * A subcommand's options, parsed strictly: usage errors and missing required options exit 2 with
 * a message pointing at `--help`; `--help` prints `help` and exits 0.
 */
export function parseCommand<O extends ParseArgsOptionsConfig>(
  command: string,
  rest: readonly string[],
  options: O,
  required: readonly (keyof O & string)[],
  help: string,
  io: CliIo,
):
  | { values: ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'] }
  | { exit: number } {
  let values;
  try {
    ({ values } = parseArgs({ args: [...rest], strict: true, allowPositionals: false, options }));
  } catch (e) {
    io.err(`error: ${(e as Error).message} (try: featurizer ${command} --help)\n`);
    return { exit: 2 };
  }
  if ((values as Record<string, unknown>).help) {
    io.out(help);
    return { exit: 0 };
  }
  const missing = required.filter((k) => !(values as Record<string, unknown>)[k]);
  if (missing.length > 0) {
    const list = missing.map((m) => `--${m}`).join(', ');
    io.err(`error: missing ${list} (try: featurizer ${command} --help)\n`);
    return { exit: 2 };
  }
  return { values: values as ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'] };
}
