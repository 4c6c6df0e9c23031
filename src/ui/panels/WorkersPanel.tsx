import { useStore } from 'zustand';
import type { ReplayWorkerView } from '../../session/replayState.ts';
import type { RuntimeView } from '../run/runtimeStore.ts';
import { redirectOf } from '../settings/endpointSettings.ts';
import { runtimeWorkerColor } from '../workers.ts';
import './WorkersPanel.css';
import type { Studio } from '../studio.ts';
import { rateText } from '../canvas/rateText.ts';
import { useStudio } from '../StudioProvider.tsx';
import { replayPlayback } from '../replay/replayStore.ts';

/** Where a redirected venue connects, for its chip's tooltip. */
function via(studio: Studio, exchange: string): string | undefined {
  const to = redirectOf(studio.endpointStore.getState().overrides, exchange);
  return to === undefined ? undefined : `${exchange} via ${to}`;
}

/** A node's label as the canvas shows it (its name, else its id). */
function label(studio: Studio, id: string): string {
  return studio.pipelineStore.getState().doc.nodes.find((n) => n.id === id)?.name ?? id;
}

/**
 * Where the run executes: one row per worker (index in its chip colour, the nodes it computes,
 * alive or restarting, restarts, output events/s), a "kill" button that terminates a worker to
 * demonstrate recovery and a "slow" one that slows it for a few seconds to demonstrate
 * backpressure. The Workers tab's content in the bottom dock.
 */
export function WorkersPanel() {
  const studio = useStudio();
  const view = useStore(studio.runtimeStore);
  const replay = useStore(studio.replayStore, (s) => s.workers);
  if (view.workers.length === 0 && replay?.length) return <ReplayWorkerTable workers={replay} />;
  if (view.workers.length === 0)
    return <div className="dock-empty muted">Nothing runs on workers.</div>;
  const { activeRunner } = studio;
  const kill = activeRunner.current?.killWorker?.bind(activeRunner.current);
  const slow = activeRunner.current?.slowWorker?.bind(activeRunner.current);
  return (
    <section className="workers-panel" data-testid="workers-panel" aria-label="Workers">
      <WorkerTable view={view} kill={kill} slow={slow} />
    </section>
  );
}

function WorkerTable({
  view,
  kill,
  slow,
}: {
  view: RuntimeView;
  kill: ((index: number) => void) | undefined;
  slow: ((index: number) => void) | undefined;
}) {
  const studio = useStudio();
  return (
    <>
      <table>
        <tbody>
          {view.workers.map((w) => (
            <tr key={w.index} data-testid={`worker-row-${w.index}`}>
              <WorkerCells index={w.index} nodes={w.nodeIds.map((id) => label(studio, id))} />
              <td
                className={w.alive ? 'worker-alive' : 'worker-restarting'}
                data-testid={`worker-state-${w.index}`}
              >
                {w.alive ? 'alive' : 'restarting'}
              </td>
              <td title="restarts">↻ {w.restarts}</td>
              <td className="worker-rate">{rateText(w.eventsPerSec)}</td>
              <td>
                {kill && (
                  <button
                    className="worker-kill"
                    data-testid={`worker-kill-${w.index}`}
                    title="Terminate this worker (it is restored from its last checkpoint)"
                    disabled={!w.alive}
                    onClick={() => kill(w.index)}
                  >
                    kill
                  </button>
                )}
                {slow && (
                  <button
                    className="worker-kill"
                    data-testid={`worker-slow-${w.index}`}
                    title="Slow this worker down for 4 s: edges into it back up, then drain (busy is not dead: it is not restarted)"
                    disabled={!w.alive}
                    onClick={() => slow(w.index)}
                  >
                    slow
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.feeds.length > 0 && (
        <div className="workers-feeds">
          {view.feeds.map((f, i) => (
            <span
              key={i}
              data-testid={`worker-feed-${f.exchange}`}
              className={`feed-${f.state}`}
              title={via(studio, f.exchange)}
            >
              {f.exchange} {f.state}
            </span>
          ))}
        </div>
      )}
    </>
  );
}

/**
 * A worker replay's workers: the nodes each computes, how often it was restarted after a crash
 * (the replay's workers send no telemetry: the page only paces them), and a "kill" button that
 * crashes one to demonstrate recovery, as in live runs.
 */
function ReplayWorkerTable({ workers }: { workers: readonly ReplayWorkerView[] }) {
  const studio = useStudio();
  const playback = useStore(studio.replayStore, replayPlayback);
  return (
    <section className="workers-panel" data-testid="workers-panel" aria-label="Replay workers">
      <table>
        <tbody>
          {workers.map((w) => (
            <tr key={w.index} data-testid={`worker-row-${w.index}`}>
              <WorkerCells index={w.index} nodes={w.nodeIds.map((id) => label(studio, id))} />
              {w.failed !== undefined ? (
                <td className="worker-failed" title={w.failed}>
                  failed
                </td>
              ) : (
                <td className={playback === 'playing' ? 'worker-alive' : 'worker-idle'}>
                  {playback === 'playing' ? 'replaying' : playback}
                </td>
              )}
              <td title="restarts">↻ {w.restarts}</td>
              <td>
                <button
                  className="worker-kill"
                  data-testid={`worker-kill-${w.index}`}
                  title="Crash this replay worker: it is restarted and every worker goes on from their last common checkpoint, with the same outputs"
                  onClick={() => studio.replayStore.getState().controller?.fault?.(w.index)}
                >
                  kill
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A worker row's first cells: its index in its chip colour, and the nodes it computes. */
function WorkerCells({ index, nodes }: { index: number; nodes: readonly string[] }) {
  return (
    <>
      <td>
        <span className="worker-index" style={{ color: runtimeWorkerColor(index) }}>
          #{index}
        </span>
      </td>
      <td className="worker-nodes" title={nodes.join(', ')}>
        {nodes.join(', ')}
      </td>
    </>
  );
}
