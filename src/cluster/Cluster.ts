import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';

/**
 * A connection with the JetStream handles and the cluster's KV bucket. Transport-free: Node
 * makes one with `connectCluster` (natsConnection.ts), the studio with `connectClusterWs`.
 */
export interface Cluster {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly kv: KV;
}

/** JSON payload helpers (the cluster's messages and KV values are JSON). */
const enc = new TextEncoder();
const dec = new TextDecoder();
export const toBytes = (v: unknown): Uint8Array => enc.encode(JSON.stringify(v));
export const fromBytes = <T>(b: Uint8Array): T => JSON.parse(dec.decode(b)) as T;
export const text = (b: Uint8Array): string => dec.decode(b);
