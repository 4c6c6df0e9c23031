/**
 * Names of everything the cluster keeps in NATS, in one place (docs/cluster.md#layout-in-nats).
 *
 * - Stream {@link MARKET_STREAM}: subjects `md.<venue>.<symbol>`, one message per recording line
 *   (`md.<venue>.<symbol>.e` for a normalized event line); its sequence is the market's total order.
 * - Stream {@link OUTPUT_STREAM}: subjects `fz.<pipeline>.sg.<i>`, one message per batch of
 *   subgraph i (outputs, source notes, exports to downstream subgraphs), a chain fenced by
 *   expected-last-subject-sequence.
 * - Core subjects `fzt.<pipeline>.sg.<i>` ({@link telemetrySubject}): a running subgraph's
 *   per-node counts and latest values for the studio, in no stream.
 * - KV bucket {@link KV_BUCKET}: `pipeline.<P>`, `lease.<P>.<i>`, `ckpt.<P>.<i>`, `stat.<P>.<i>`,
 *   `worker.<W>`.
 */
export const MARKET_STREAM = 'FZ_MD';
export const OUTPUT_STREAM = 'FZ_OUT';
export const KV_BUCKET = 'featurizer';

/**
 * Suffix of the subject of a market message holding a normalized event line
 * (`md.<venue>.<symbol>.e`); a recording line's subject has none (`MarketSubjects.ts`).
 */
export const EVENT_SUFFIX = '.e';

/** Header on subgraph batches: `<worker id> <lease revision>` of the publisher. */
export const OWNER_HEADER = 'Fz-Owner';

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** A pipeline or worker name usable as a subject token and KV key part, or an error text. */
export function checkName(what: string, name: string): string | undefined {
  return NAME.test(name)
    ? undefined
    : `${what} "${name}" must be 1–64 letters, digits, "-" or "_" (it becomes a NATS subject token)`;
}

/** A subject token for a venue or symbol: NATS wildcards, dots and spaces become `_`. */
export function token(s: string | undefined): string {
  if (s === undefined || s === '') return '_';
  return s.replace(/[^A-Za-z0-9_-]/g, '_');
}

export const marketSubject = (venue: string | undefined, symbol: string | undefined): string =>
  `md.${token(venue)}.${token(symbol)}`;
export const subgraphSubject = (pipeline: string, sg: number): string => `fz.${pipeline}.sg.${sg}`;
/** Telemetry of subgraph i (core NATS, in no stream: outside the exactly-once output chain). */
export const telemetrySubject = (pipeline: string, sg: number): string =>
  `fzt.${pipeline}.sg.${sg}`;
export const pipelineKey = (p: string): string => `pipeline.${p}`;
export const leaseKey = (p: string, sg: number): string => `lease.${p}.${sg}`;
export const checkpointKey = (p: string, sg: number): string => `ckpt.${p}.${sg}`;
export const statKey = (p: string, sg: number): string => `stat.${p}.${sg}`;
export const workerKey = (w: string): string => `worker.${w}`;

/**
 * Whether market subject `subject` carries a normalized event line (`md.<venue>.<symbol>.e`),
 * else a recording line (`md.<venue>.<symbol>`). Tokens hold no dot (`token`), so
 * a third dot means the suffix; two index searches, no allocation (the workers ask for every
 * message).
 */
export function isEventSubject(subject: string): boolean {
  const venueEnd = subject.indexOf('.', 3);
  return venueEnd >= 0 && subject.indexOf('.', venueEnd + 1) >= 0;
}
