import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { wsconnect } from '@nats-io/nats-core';
import type { Cluster } from './Cluster.ts';
import { KV_BUCKET } from './names.ts';

/** How the studio signs in: nothing, a token, or a user and password. */
export type ClusterCredentials =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'user'; readonly user: string; readonly password: string };

/** Why a connection failed, worded for the screen. */
export class ClusterConnectError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'auth' | 'not-a-cluster' | 'bad-url',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Connect the browser to a nats-server's websocket listener (`ws://` or `wss://`) and open the
 * cluster's KV bucket. Never creates streams or buckets (the studio only reads, and deploys into
 * what the CLI made). Credentials travel in the connect options only, never in the URL.
 */
export async function connectClusterWs(url: string, creds: ClusterCredentials): Promise<Cluster> {
  if (!/^wss?:\/\/[^/@\s]+/.test(url))
    throw new ClusterConnectError(
      'bad-url',
      `"${url}" is not a websocket URL: use ws://host:port or wss://host:port, without credentials`,
    );
  let nc;
  try {
    nc = await wsconnect({
      servers: url,
      name: 'featurizer-studio',
      maxReconnectAttempts: -1,
      ...(creds.kind === 'token' ? { token: creds.token } : {}),
      ...(creds.kind === 'user' ? { user: creds.user, pass: creds.password } : {}),
    });
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    if (/authori[sz]ation|authentication|auth/i.test(text))
      throw new ClusterConnectError('auth', `The server refused the credentials (${text})`);
    throw new ClusterConnectError('unreachable', `Could not reach ${url} (${text})`);
  }
  try {
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    const kv = await new Kvm(js).open(KV_BUCKET);
    await kv.status();
    return { nc, js, jsm, kv };
  } catch (e) {
    await nc.close().catch(() => undefined);
    const text = e instanceof Error ? e.message : String(e);
    throw new ClusterConnectError(
      'not-a-cluster',
      `Connected, but found no featurizer cluster there (JetStream with the "${KV_BUCKET}" bucket: run \`featurizer deploy\` once): ${text}`,
    );
  }
}
