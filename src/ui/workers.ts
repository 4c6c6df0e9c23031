/** Worker slots offered in the inspector; `undefined` (main) is the default placement. */
export const WORKERS = ['main', 'w1', 'w2', 'w3', 'w4'] as const;

/** Colour of a worker lane, so each node shows at a glance where it runs. */
export function workerColor(worker: string | undefined): string {
  switch (worker ?? 'main') {
    case 'main':
      return '#64748b';
    case 'w1':
      return '#22d3ee';
    case 'w2':
      return '#a78bfa';
    case 'w3':
      return '#f472b6';
    case 'w4':
      return '#facc15';
    default:
      return '#34d399';
  }
}

const RUNTIME_COLOURS = ['#22d3ee', '#a78bfa', '#f472b6', '#facc15', '#34d399', '#fb923c'];

/** Colour of a running worker by its index (the node chips and the Workers panel agree). */
export function runtimeWorkerColor(index: number): string {
  return RUNTIME_COLOURS[index % RUNTIME_COLOURS.length]!;
}
