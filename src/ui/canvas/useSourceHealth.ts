import { useStore } from 'zustand';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { RunStatus } from '../../session/PipelineRunner.ts';
import { type SourceHealth, sourceStates } from '../../session/sourceStates.ts';
import type { FeedRow } from '../live/telemetryStore.ts';
import { feedReason, feedRedirect } from '../settings/endpointSettings.ts';
import type { Studio } from '../studio.ts';
import { useStudio } from '../StudioProvider.tsx';

const NONE: ReadonlyMap<string, SourceHealth> = new Map();
let cache:
  | {
      doc: PipelineDoc;
      feeds: readonly FeedRow[];
      overrides: unknown;
      status: RunStatus;
      out: Map<string, SourceHealth>;
    }
  | undefined;

/**
 * Every node's source state for the live run, or none when nothing runs live (stopped, or a
 * replay, whose data comes from a recording, not from a feed). Computed once per telemetry report
 * or edit, however many nodes ask.
 */
export function sourceHealthOf(studio: Studio): ReadonlyMap<string, SourceHealth> {
  const status = studio.runController.status.getState().status;
  if (status.state !== 'running' || studio.replayStore.getState().controller !== undefined)
    return NONE;
  const doc = studio.pipelineStore.getState().doc;
  const feeds = studio.telemetryStore.getState().feeds;
  const overrides = studio.endpointStore.getState().overrides;
  if (
    cache?.doc !== doc ||
    cache.feeds !== feeds ||
    cache.overrides !== overrides ||
    cache.status !== status
  ) {
    // A redirected venue that cannot be reached is about its endpoint, as in Feed health.
    const statuses = feeds.map(({ status: s }) => ({
      ...s,
      reason: feedReason(s.reason, feedRedirect(s, overrides)),
    }));
    const skipped = new Set(status.skipped.map((k) => k.nodeId));
    cache = { doc, feeds, overrides, status, out: sourceStates(doc, statuses, skipped) };
  }
  return cache.out;
}

const key = (h: SourceHealth | undefined) =>
  h ? `${h.state}\n${h.exchange}\n${h.reason}\n${h.own ? 1 : 0}` : '';

/**
 * The source state of one node, re-rendering only when it changes (the selector returns a
 * string, so a telemetry report that leaves it alone costs a comparison).
 */
export function useSourceHealth(nodeId: string): SourceHealth | undefined {
  const studio = useStudio();
  const k = useSourceHealthText(studio, () => key(sourceHealthOf(studio).get(nodeId)));
  if (!k) return undefined;
  const [state, exchange, reason, own] = k.split('\n') as [
    SourceHealth['state'],
    string,
    string,
    string,
  ];
  return { state, exchange, reason, own: own === '1' };
}

/**
 * `read()` (a string drawn from {@link sourceHealthOf}), re-read whenever one of the stores source
 * health depends on changes; re-renders only when the string changes.
 */
export function useSourceHealthText(studio: Studio, read: () => string): string {
  useStore(studio.telemetryStore, read);
  useStore(studio.runController.status, read);
  useStore(studio.pipelineStore, read);
  useStore(studio.endpointStore, read);
  return useStore(studio.replayStore, read);
}
