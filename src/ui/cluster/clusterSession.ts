import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Cluster } from '../../cluster/Cluster.ts';
import { ClusterRunner, deploymentDoc } from '../../cluster/ClusterRunner.ts';
import { ClusterConnectError, connectClusterWs } from '../../cluster/connectClusterWs.ts';
import { deploy, readDeployment } from '../../cluster/deploy.ts';
import type { ClusterScaling } from '../../cluster/Deployment.ts';
import { clusterStatus, type PipelineStatus } from '../../cluster/status.ts';
import { openNew } from '../io/persistence.ts';
import { tapRuntime } from '../run/runtimeStore.ts';
import type { Studio } from '../studio.ts';
import { type ClusterLogin, saveClusterLogin } from './clusterLogin.ts';
import { MarketReplay } from './marketReplay.ts';

/** How often the pipeline list refreshes while connected. */
const STATUS_MS = 2000;

export interface ClusterState {
  readonly phase: 'disconnected' | 'connecting' | 'connected';
  /** Why the last connect failed or the connection ended, for the screen. */
  readonly error?: string;
  readonly url?: string;
  readonly pipelines: readonly PipelineStatus[];
  /** The pipeline being shown from the cluster, if any. */
  readonly open?: string;
}

/** The Cluster tab's connection and list for one studio (kept across tab switches). */
export class ClusterSession {
  readonly store: StoreApi<ClusterState> = createStore<ClusterState>()(() => ({
    phase: 'disconnected',
    pipelines: [],
  }));
  private cluster: Cluster | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  /** Replay a time range of the market stream in the studio. */
  readonly market: MarketReplay;

  constructor(private readonly studio: Studio) {
    this.market = new MarketReplay(studio, () => this.cluster);
  }

  async connect(login: ClusterLogin): Promise<void> {
    if (this.store.getState().phase !== 'disconnected') return;
    this.store.setState({ phase: 'connecting', error: undefined, url: login.url });
    let cluster: Cluster;
    try {
      cluster = await connectClusterWs(login.url.trim(), login.credentials);
    } catch (e) {
      const text = e instanceof ClusterConnectError ? e.message : String(e);
      this.store.setState({ phase: 'disconnected', error: text });
      return;
    }
    saveClusterLogin(login, this.studio.storage);
    this.cluster = cluster;
    this.store.setState({ phase: 'connected' });
    void cluster.nc.closed().then((err) => {
      if (this.cluster !== cluster) return;
      this.cleanUp();
      this.store.setState({
        phase: 'disconnected',
        error: err ? `Connection lost: ${err.message}` : undefined,
      });
    });
    await Promise.all([this.refresh(), this.market.refresh()]);
    this.poll = setInterval(() => void this.refresh(), STATUS_MS);
  }

  async disconnect(): Promise<void> {
    const c = this.cluster;
    try {
      this.cleanUp();
    } finally {
      // Whatever stopping the run did, the connection goes and the screen says so.
      this.store.setState({ phase: 'disconnected', error: undefined, pipelines: [] });
      await c?.nc.close().catch(() => undefined);
    }
  }

  /** Re-read `featurizer status`'s figures. */
  async refresh(): Promise<void> {
    const c = this.cluster;
    if (!c) return;
    try {
      const { pipelines } = await clusterStatus(c);
      if (this.cluster === c) this.store.setState({ pipelines, error: undefined });
    } catch (e) {
      if (this.cluster === c)
        this.store.setState({ error: `Could not read the status: ${errorText(e)}` });
    }
  }

  /**
   * Open deployed pipeline `name` as a new pipeline (the one on screen is kept, saved as it
   * is) and show the cluster's outputs on it.
   */
  async open(name: string): Promise<void> {
    const c = this.cluster;
    if (!c) return;
    try {
      const d = await readDeployment(c, name);
      if (!d) throw new Error(`no pipeline named "${name}" is deployed any more`);
      const doc = { ...deploymentDoc(d), name: `${name} (cluster)` };
      const rc = this.studio.runController;
      rc.stop();
      await openNew(this.studio, doc);
      rc.run({
        source: {
          kind: 'external',
          label: `cluster: ${name}`,
          // Through the runtime tap, as the studio's own runners: the Workers tab and node
          // chips show the cluster's subgraphs.
          runner: (sink) =>
            new ClusterRunner(
              tapRuntime(this.studio.runtimeStore, sink, (t, k) => this.studio.toast(t, k)),
              c,
              d,
            ),
        },
      });
      this.store.setState({ open: name });
    } catch (e) {
      this.studio.toast(`Could not open "${name}": ${errorText(e)}`, 'error');
    }
  }

  /**
   * Deploy the pipeline on screen under `name` (as `featurizer deploy` would, in the studio's
   * own document format). Returns the error text, or undefined once it is deployed.
   */
  async deployCurrent(
    name: string,
    scaling: ClusterScaling,
    from: 'start' | 'now',
  ): Promise<string | undefined> {
    const c = this.cluster;
    if (!c) return 'Not connected';
    const doc = this.studio.pipelineStore.getState().doc;
    try {
      await deploy(c, {
        name: name.trim(),
        configText: JSON.stringify(doc),
        configFormat: 'pipeline',
        scaling,
        from,
      });
    } catch (e) {
      return errorText(e);
    }
    this.studio.toast(`Deployed "${name.trim()}": a worker will pick it up`);
    await this.refresh();
    return undefined;
  }

  private cleanUp(): void {
    clearInterval(this.poll);
    this.poll = undefined;
    this.cluster = undefined;
    this.market.cancel();
    if (this.store.getState().open !== undefined) {
      this.studio.runController.stop();
      this.store.setState({ open: undefined });
    }
  }
}

const sessions = new WeakMap<Studio, ClusterSession>();

/** The studio's cluster session, made on first use. */
export function clusterSession(studio: Studio): ClusterSession {
  let s = sessions.get(studio);
  if (!s) sessions.set(studio, (s = new ClusterSession(studio)));
  return s;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
