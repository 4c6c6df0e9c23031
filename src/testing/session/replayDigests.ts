// Digests of a replay's outputs, from the start and after a seek: the parity check the replay
// tests run over every partitioning (worker replays against the in-thread replay engine).
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Event } from '../../core/events.ts';
import { memoryChunkStore } from '../../recording/chunkStores.ts';
import type { RuntimePlatform } from '../../runtime/ports.ts';
import type { ScalingStrategy } from '../../runtime/ScalingStrategy.ts';
import { FNV0 } from '../../session/OutputDigest.ts';
import { ReplayController } from '../../session/ReplayController.ts';
import { type Playback, replayStatePort } from '../../session/replayState.ts';
import { Session } from '../../session/Session.ts';

/**
 * `[whole, after]`: the digest of `pb` played from the start to the end, and of the outputs from
 * line `seekTo` on, played after seeking there (each worker restored at a checkpoint line).
 */
export async function seekDigests(pb: Playback, seekTo: number): Promise<[number, number]> {
  pb.digest = FNV0;
  pb.digestFrom = 0;
  await pb.playToEnd();
  const whole = pb.digest;
  pb.seekLine(seekTo);
  await pb.finishSeek();
  pb.digest = FNV0;
  pb.digestFrom = seekTo;
  await pb.playToEnd();
  return [whole, pb.digest];
}

/**
 * The in-thread replay engine (`ReplayController` → `ReplayEngine` → `NodeGraph`) given the whole
 * document, over `lines` in chunks of 1000, handing each output to `deliver`.
 */
export function linesReplayController(
  doc: PipelineDoc,
  lines: readonly string[],
  deliver: (nodeId: string, e: Event) => void = () => {},
): ReplayController {
  const ts = lines.map((l) => (JSON.parse(l) as { receipt_timestamp: number }).receipt_timestamp);
  return new ReplayController({
    doc,
    recordingId: '',
    name: 'lines',
    store: memoryChunkStore(lines, ts, 1000),
    total: lines.length,
    start: ts[0]!,
    end: ts[ts.length - 1]!,
    deliver,
    state: replayStatePort(),
  });
}

/** {@link seekDigests} of {@link linesReplayController}. */
export async function inThreadSeekDigests(
  doc: PipelineDoc,
  lines: readonly string[],
  seekTo: number,
): Promise<[number, number]> {
  const controller = linesReplayController(doc, lines);
  try {
    return await seekDigests(controller, seekTo);
  } finally {
    controller.dispose();
  }
}

/**
 * {@link seekDigests} of a worker replay session of `doc` over `lines` with `scaling`, on
 * `platform` (8 cores assumed, so every subgraph gets a worker). `ready` waits for the session's
 * playback (the test's `vi.waitFor`).
 */
export async function workerSeekDigests(
  o: {
    doc: PipelineDoc;
    lines: string[];
    scaling: ScalingStrategy;
    platform: RuntimePlatform;
    seekTo: number;
  },
  ready: (session: Session) => Promise<Playback>,
): Promise<[number, number]> {
  const session = new Session({
    doc: o.doc,
    source: { kind: 'lines', lines: o.lines },
    scaling: o.scaling,
    platform: o.platform,
    hardwareConcurrency: 8,
  });
  session.start();
  try {
    return await seekDigests(await ready(session), o.seekTo);
  } finally {
    session.stop();
  }
}
