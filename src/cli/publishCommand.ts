import { basename } from 'node:path';
import { nuid } from '@nats-io/nats-core';
import type { Cluster } from '../cluster/natsConnection.ts';
import { MARKET_STREAM } from '../cluster/names.ts';
import { MarketPublisher } from '../cluster/publish.ts';
import type { CliIo } from './CliIo.ts';
import { publishBatches } from './publishBatches.ts';
import { type PublishMarker, publishMarkerKey, recordingId, skipLines } from './publishMarker.ts';

type Values = Record<string, string | boolean | undefined>;

/** Refusals that say what the stream already holds (exit 1, nothing published). */
class AlreadyPublished extends Error {}

/**
 * How long a publish watches an incomplete earlier publish of the same file before continuing
 * it: one still running stores thousands of lines in this time.
 */
const RUNNING_CHECK_MS = 500;

/**
 * `featurizer publish [--append]`. Each publish of a recording leaves a marker in KV
 * (`publish.<id>`, the id a hash of the file's first lines): a second publish of the same file
 * is refused, a publish that was interrupted continues after the last line the stream holds, and
 * `--append` publishes the whole file again on purpose (docs/cluster-publishing.md#publishing-twice).
 */
export async function publishCommand(cluster: Cluster, v: Values, io: CliIo): Promise<number> {
  const file = v.input as string;
  const pub = new MarketPublisher(cluster);
  try {
    const id = await recordingId(file);
    if (id === undefined) {
      io.err(`featurizer: 0 lines of ${file} → market stream (no line to publish)\n`);
      return 0;
    }
    const key = publishMarkerKey(id);
    const { kv, jsm } = cluster;
    const entry = await kv.get(key);
    const marker = entry?.operation === 'PUT' ? entry.json<PublishMarker>() : undefined;
    let lastSeq = (await jsm.streams.info(MARKET_STREAM)).state.last_seq;
    const held = marker ? await storedSince(cluster, marker) : false;
    if (marker && held && !v.append && !marker.complete) {
      // Incomplete: interrupted, or another publish of the file still running (then continuing
      // it would only race it, and "resumed" would be wrong). A running one stores lines.
      const before = await resumePoint(cluster, marker, lastSeq);
      await new Promise((r) => setTimeout(r, RUNNING_CHECK_MS));
      lastSeq = (await jsm.streams.info(MARKET_STREAM)).state.last_seq;
      const after = await resumePoint(cluster, marker, lastSeq);
      // One that ended meanwhile left the file whole: continuing publishes nothing, and says so.
      const ended = (await kv.get(key))?.json<PublishMarker>().complete === true;
      if (before && after && after.lines > before.lines && !ended)
        throw new AlreadyPublished(
          `another publish of this recording is running` +
            ` (started ${new Date(marker.atMs).toISOString()}; ${after.lines} lines stored so far,` +
            ` market messages ${marker.firstSeq}–${lastSeq}); nothing published.` +
            ` Run it again after that one has ended: it says whether the file is then complete`,
        );
    }
    if (marker && held && !v.append) {
      const k = await resumePoint(cluster, marker, lastSeq);
      const at = `market messages ${marker.firstSeq}–${lastSeq}`;
      if (k === undefined)
        throw new AlreadyPublished(
          `${marker.complete ? 'already published' : `an interrupted publish of it stored its first lines from market message ${marker.firstSeq}`}` +
            ` (${new Date(marker.atMs).toISOString()}${marker.complete ? `: ${marker.lines} lines, market messages ${marker.firstSeq}–${marker.lastSeq}` : ''}),` +
            ` and other messages were published after it, so it cannot be continued in order; nothing published.` +
            ` --append publishes the whole file again after them`,
        );
      let skipped = { line: 0, lineNo: 0 };
      await pub.backfill(
        skipLines(publishBatches(file), k.lines, k.lastText, (s) => (skipped = s)),
        { run: marker.run, first: k.lines, after: lastSeq },
      );
      if (pub.published === 0)
        throw new AlreadyPublished(
          `already published: its ${k.lines} lines are ${at} (${new Date(marker.atMs).toISOString()}); nothing published.` +
            ` --append publishes it again`,
        );
      await kv.put(
        key,
        JSON.stringify({
          ...marker,
          lines: k.lines + pub.published,
          lastSeq: lastSeq + pub.published,
          complete: true,
        } satisfies PublishMarker),
      );
      io.err(
        `featurizer: resumed after line ${skipped.lineNo} (${k.lines} lines were already ${at}): ` +
          `${pub.published} lines of ${file} → market stream\n`,
      );
      return 0;
    }
    const fresh: PublishMarker = {
      run: nuid.next(),
      file: basename(file),
      firstSeq: lastSeq + 1,
      lastSeq,
      lines: 0,
      complete: false,
      atMs: Date.now(),
    };
    try {
      if (entry) await kv.update(key, JSON.stringify(fresh), entry.revision);
      else await kv.create(key, JSON.stringify(fresh));
    } catch {
      throw new Error(
        'another publish of this recording started at the same time; nothing published',
      );
    }
    if (marker && v.append)
      io.err(
        `featurizer: --append: publishing the whole file again (${held ? `the stream already holds it from market message ${marker.firstSeq}` : 'the stream no longer holds its earlier publish'})\n`,
      );
    await pub.backfill(publishBatches(file), { run: fresh.run, after: lastSeq });
    await kv.put(
      key,
      JSON.stringify({
        ...fresh,
        lines: pub.published,
        lastSeq: lastSeq + pub.published,
        complete: true,
      } satisfies PublishMarker),
    );
  } catch (e) {
    const message = (e as Error).message;
    // A read error names the file already.
    io.err(`error: ${message.startsWith(`${file}:`) ? '' : `${file}: `}${message}\n`);
    return 1;
  }
  io.err(`featurizer: ${pub.published} lines of ${file} → market stream\n`);
  return 0;
}

/** Whether the stream still holds the marker's first line (not purged, not another's message). */
async function storedSince(cluster: Cluster, m: PublishMarker): Promise<boolean> {
  const first = await cluster.jsm.streams
    .getMessage(MARKET_STREAM, { seq: m.firstSeq })
    .catch(() => null);
  return first?.header.get('Nats-Msg-Id') === `pub-${m.run}.0`;
}

/**
 * When the stream ends with a line of the marker's run: how many of the file's lines it holds and
 * the text of the last (the file's must be the same), else undefined.
 */
async function resumePoint(
  cluster: Cluster,
  m: PublishMarker,
  lastSeq: number,
): Promise<{ lines: number; lastText: string } | undefined> {
  const last = await cluster.jsm.streams
    .getMessage(MARKET_STREAM, { seq: lastSeq })
    .catch(() => null);
  const id = last?.header.get('Nats-Msg-Id') ?? '';
  const prefix = `pub-${m.run}.`;
  if (!last || !id.startsWith(prefix)) return undefined;
  return { lines: Number(id.slice(prefix.length)) + 1, lastText: last.string() };
}
