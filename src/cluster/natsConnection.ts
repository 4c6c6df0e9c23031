import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import type { Cluster } from './Cluster.ts';
import { KV_BUCKET, MARKET_STREAM, OUTPUT_STREAM } from './names.ts';

// The connection type and JSON helpers live in Cluster.ts (no Node transport: the studio uses them).
export { type Cluster, fromBytes, text, toBytes } from './Cluster.ts';

/**
 * Connect to `url` (e.g. `nats://host:4222`). Credentials never go in the URL we print or store:
 * they come from `NATS_TOKEN`, or `NATS_USER` + `NATS_PASSWORD`, or `NATS_CREDS` (a creds file
 * path is not supported yet); a URL with `user:pass@` also works, as the client parses it.
 * Creates the market stream, the output stream and the KV bucket when missing.
 */
export async function connectCluster(url: string, name = 'featurizer'): Promise<Cluster> {
  const env = process.env;
  const nc = await connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    // No stack trace captured per request: a worker makes one per batch and checkpoint, and
    // errors still say what failed.
    noAsyncTraces: true,
    // Outbound bytes are written to the socket in writes of up to 256 KiB (the client's default
    // is 32 KiB): a backfill's lines and a worker's batches go out in fewer system calls. A
    // lone message is still written at once (the client flushes a buffer that was empty).
    ...{ pendingLimit: 256 * 1024 },
    ...(env.NATS_TOKEN ? { token: env.NATS_TOKEN } : {}),
    ...(env.NATS_USER ? { user: env.NATS_USER, pass: env.NATS_PASSWORD ?? '' } : {}),
  });
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, MARKET_STREAM, ['md.>']);
  await ensureStream(jsm, OUTPUT_STREAM, ['fz.>']);
  const js = jetstream(nc);
  const kvm = new Kvm(js);
  const kv = await kvm.create(KV_BUCKET, { history: 1 });
  return { nc, js, jsm, kv };
}

async function ensureStream(
  jsm: JetStreamManager,
  name: string,
  subjects: string[],
): Promise<void> {
  try {
    await jsm.streams.info(name);
  } catch {
    try {
      // Dedup window: publish retries (same Nats-Msg-Id) within it are dropped by the server.
      await jsm.streams.add({ name, subjects, duplicate_window: 120_000_000_000 });
    } catch (e) {
      // Another process created it between our info and add.
      await jsm.streams.info(name).catch(() => {
        throw e;
      });
    }
  }
}
