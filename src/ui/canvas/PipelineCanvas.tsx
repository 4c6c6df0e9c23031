import {
  Background,
  BackgroundVariant,
  type Connection,
  ControlButton,
  Controls,
  type Edge,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore as useFlowStore,
} from '@xyflow/react';
import {
  type DragEvent,
  type MouseEvent as ReactMouseEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import { addDefinition } from '../actions.ts';
import { usePipeline, useSelection } from '../hooks.ts';
import { connect, moveNodes, type Position } from '../state/commands.ts';
import { checkConnection, edgeSlots } from '../state/ports.ts';
import { useStudio } from '../StudioProvider.tsx';
import { useTheme } from '../theme.ts';
import { workerColor } from '../workers.ts';
import { ConnectionHint } from './ConnectionHint.tsx';
import { dropNodeOnDashboard } from './dashboardDrop.ts';
import { DEFINITION_MIME } from './dragMime.ts';
import { edgeTypes } from './edgeTypes.ts';
import { NodeMenu } from './NodeMenu.tsx';
import { nodeTypes } from './nodeTypes.ts';
import { type Measured, type StudioNode, toFlowNodes, toFlowEdges } from './toFlow.ts';
import { FarContext, isFar } from './zoomDetail.ts';

/** MIME type of palette drags. */
export { DEFINITION_MIME };

const proOptions = { hideAttribution: true };
/**
 * Fitting leaves room for what sits over the canvas: the zoom controls on the bottom left, so
 * no node is fitted under them.
 */
const fitViewOptions = {
  padding: { top: '24px', right: '24px', bottom: '24px', left: '64px' },
  maxZoom: 1.1,
} as const;
const minimapColor = (n: StudioNode): string => workerColor(n.data.node.worker);

/**
 * The canvas, controlled from the document store: React Flow shows what the store says, and
 * every gesture comes back as a transaction (a drag previews live and commits one step at its
 * end). Selection lives in its own store; measured sizes in a ref (they are not history).
 */
export function PipelineCanvas() {
  const studio = useStudio();
  const doc = usePipeline((s) => s.doc);
  const pipelineId = usePipeline((s) => s.pipelineId);
  const selNodes = useSelection((s) => s.nodes);
  const selEdges = useSelection((s) => s.edges);
  const [measured, setMeasured] = useState<ReadonlyMap<string, Measured>>(() => new Map());
  const [minimap, setMinimap] = useState(false);
  const theme = useTheme();
  const empty = usePipeline((s) => s.doc.nodes.length === 0);
  const sizes = useRef(measured);
  const dragStart = useRef<PipelineDoc | undefined>(undefined);
  const box = useRef<HTMLDivElement>(null);
  const rf = useReactFlow<StudioNode>();
  // A boolean selector: re-renders only when the zoom crosses DETAIL_ZOOM, never per pan frame.
  const far = useFlowStore(isFar);
  useEffect(() => studio.sparklines.setView({ shown: !far }), [studio, far]);

  const nodes = useMemo(
    () => toFlowNodes(doc.nodes, selNodes, measured),
    [doc.nodes, selNodes, measured],
  );
  useEffect(() => {
    sizes.current = measured;
  }, [measured]);
  const edges = useMemo(() => toFlowEdges(doc.edges, edgeSlots(doc), selEdges), [doc, selEdges]);

  useEffect(() => {
    studio.lendCanvas({
      fitView: () => void rf.fitView(fitViewOptions),
      center: () => {
        const el = document.querySelector('.react-flow');
        const r = el?.getBoundingClientRect();
        return r
          ? rf.screenToFlowPosition({ x: r.x + r.width / 2, y: r.y + r.height / 2 })
          : { x: 0, y: 0 };
      },
      sizes: () => sizes.current,
    });
    return () => studio.lendCanvas(undefined);
  }, [studio, rf]);

  // Opening, creating or importing a pipeline loads a new id: fit it to view, or the viewport keeps
  // the previous pipeline's pan and zoom and may show none of its nodes. React Flow queues the fit
  // until the new nodes are measured. (The first pipeline is fitted by the `fitView` prop.)
  const shownId = useRef(pipelineId);
  useEffect(() => {
    if (shownId.current === pipelineId) return;
    shownId.current = pipelineId;
    void rf.fitView(fitViewOptions);
  }, [rf, pipelineId]);

  const onNodesChange = useCallback(
    (changes: NodeChange<StudioNode>[]) => {
      const moved = new Map<string, Position>();
      const resized = new Map<string, Measured>();
      for (const c of changes) {
        if (c.type === 'position' && c.position && c.dragging) moved.set(c.id, c.position);
        else if (c.type === 'dimensions' && c.dimensions) resized.set(c.id, c.dimensions);
        else if (c.type === 'select')
          studio.selectionStore.getState().toggle('nodes', c.id, c.selected);
      }
      if (moved.size > 0) {
        const s = studio.pipelineStore.getState();
        s.preview(moveNodes(s.doc, moved));
      }
      if (resized.size > 0)
        setMeasured((prev) => {
          const changed = [...resized].filter(([id, d]) => {
            const old = prev.get(id);
            return old?.width !== d.width || old?.height !== d.height;
          });
          return changed.length === 0 ? prev : new Map([...prev, ...changed]);
        });
    },
    [studio],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<Edge>[]) => {
      for (const c of changes)
        if (c.type === 'select') studio.selectionStore.getState().toggle('edges', c.id, c.selected);
    },
    [studio],
  );

  const onNodeDragStart = useCallback(() => {
    dragStart.current = studio.pipelineStore.getState().doc;
  }, [studio]);

  const onNodeDragStop = useCallback(
    (e: MouseEvent | TouchEvent | ReactMouseEvent, node: StudioNode) => {
      const start = dragStart.current;
      dragStart.current = undefined;
      if (!start) return;
      // Dropped on the dashboard: chart it there and put the nodes back where they were.
      if (dropNodeOnDashboard(studio, e, node.id, start)) return;
      const now = new Map(
        studio.pipelineStore.getState().doc.nodes.map((n) => [n.id, n.position!]),
      );
      studio.pipelineStore.getState().record(moveNodes(start, now));
    },
    [studio],
  );

  const isValidConnection = useCallback(
    (c: Connection | Edge) => {
      const r = checkConnection(studio.pipelineStore.getState().doc, {
        source: c.source,
        target: c.target,
        targetSlot: c.targetHandle ?? '',
      });
      studio.uiStore.setState({ hint: r.ok ? undefined : r.reason });
      return r.ok;
    },
    [studio],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      const d = studio.pipelineStore.getState().doc;
      const p = { source: c.source, target: c.target, targetSlot: c.targetHandle ?? '' };
      const r = checkConnection(d, p);
      if (!r.ok) return studio.toast(r.reason, 'error');
      studio.pipelineStore.getState().commit(connect(d, p.source, p.target, p.targetSlot));
    },
    [studio],
  );

  const onConnectEnd = useCallback(() => {
    // A drop on a rejected port: keep the reason on screen a moment longer as a toast.
    const hint = studio.uiStore.getState().hint;
    if (hint) studio.toast(hint, 'error');
    studio.uiStore.setState({ hint: undefined });
  }, [studio]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DEFINITION_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const name = e.dataTransfer.getData(DEFINITION_MIME);
      if (!name) return;
      e.preventDefault();
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addDefinition(studio, name, { x: p.x - 110, y: p.y - 30 });
    },
    [studio, rf],
  );

  // Pan/zoom gestures: a class on the canvas (no React render) takes the nodes out of hit testing
  // and hover for the gesture, and sparklines hold their DOM writes until it ends.
  const onMoveStart = useCallback(() => {
    box.current?.classList.add('is-moving');
    studio.sparklines.setView({ moving: true });
  }, [studio]);
  const onMoveEnd = useCallback(() => {
    box.current?.classList.remove('is-moving');
    studio.sparklines.setView({ moving: false });
  }, [studio]);

  const onPaneClick = useCallback(() => studio.selectionStore.getState().clear(), [studio]);

  const onNodeContextMenu = useCallback(
    (e: ReactMouseEvent, node: StudioNode) => {
      e.preventDefault();
      studio.nodeMenuStore.setState({ menu: { nodeId: node.id, x: e.clientX, y: e.clientY } });
    },
    [studio],
  );

  return (
    <div
      ref={box}
      className={far ? 'canvas is-far' : 'canvas'}
      onDragOver={onDragOver}
      onDrop={onDrop}
      data-testid="canvas"
    >
      <FarContext.Provider value={far}>
        <ReactFlow<StudioNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodeContextMenu={onNodeContextMenu}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onNodeDragStart={onNodeDragStart}
          onNodeDragStop={onNodeDragStop}
          onConnect={onConnect}
          onConnectEnd={onConnectEnd}
          isValidConnection={isValidConnection}
          onPaneClick={onPaneClick}
          onMoveStart={onMoveStart}
          onMoveEnd={onMoveEnd}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control']}
          fitView
          fitViewOptions={fitViewOptions}
          onlyRenderVisibleElements
          minZoom={0.1}
          proOptions={proOptions}
          colorMode={theme}
        >
          {/* Zoomed out, the dots are sub-pixel: not worth re-rastering a screenful per pan frame. */}
          {!far && (
            <Background
              variant={BackgroundVariant.Dots}
              gap={22}
              size={1}
              color={theme === 'light' ? '#cbd5e1' : '#263043'}
            />
          )}
          {/* The minimap covers a corner of the graph: shown only when asked for (▦ in the controls). */}
          {minimap && (
            <MiniMap pannable zoomable nodeColor={minimapColor} maskColor="rgba(8, 11, 18, 0.7)" />
          )}
          <Controls showInteractive={false}>
            <ControlButton
              onClick={() => setMinimap(!minimap)}
              title={minimap ? 'Hide the minimap' : 'Show the minimap'}
              aria-label={minimap ? 'Hide the minimap' : 'Show the minimap'}
              aria-pressed={minimap}
              data-testid="minimap-toggle"
            >
              ▦
            </ControlButton>
          </Controls>
        </ReactFlow>
      </FarContext.Provider>
      {empty && (
        <div className="canvas-empty-hint" data-testid="canvas-empty-hint">
          <b>This pipeline is empty.</b>
          <span>
            Drag a source (Trades, L2 book updates…) from the palette on the left, or double-click
            it; then add features and connect an output (right) to an input (left).
          </span>
          <span className="muted">
            Or open an example from the Pipelines tab · <kbd>?</kbd> lists the shortcuts
          </span>
        </div>
      )}
      <ConnectionHint />
      <NodeMenu />
    </div>
  );
}

/**
 * The canvas with its own React Flow provider: what the workspace loads on demand (issue #14),
 * so React Flow and d3 stay off the first screen. Nothing outside the canvas uses React Flow
 * (code outside reaches it through `studio.canvasApi`).
 */
export function LoadedCanvas() {
  return (
    <ReactFlowProvider>
      <PipelineCanvas />
    </ReactFlowProvider>
  );
}
