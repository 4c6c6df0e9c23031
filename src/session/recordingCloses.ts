import type { RecordingMeta } from '../recording/RecordingWriter.ts';

/**
 * Recordings of this studio whose close has not completed, and those whose recorder failed. The
 * UI's recording store holds this; these functions are its only transitions, so a view or an
 * action never opens (replays, compares, exports) a recording still being written.
 */
export interface RecordingCloses {
  /** Id → chunks still to store (`null`: not known yet). */
  readonly saving: Readonly<Record<string, number | null>>;
  /** Id → why its recorder failed, and what the recording kept. */
  readonly failed: Readonly<Record<string, string>>;
}

export const noCloses: RecordingCloses = { saving: {}, failed: {} };

/** `id` is closing; `chunksLeft` once the recorder said. */
export function savingOf(c: RecordingCloses, id: string, chunksLeft?: number): RecordingCloses {
  const { [id]: _failed, ...failed } = c.failed;
  return { saving: { ...c.saving, [id]: chunksLeft ?? null }, failed };
}

/** `id` closed: everything recorded is stored. */
export function closedOf(c: RecordingCloses, id: string): RecordingCloses {
  const { [id]: _saving, ...saving } = c.saving;
  return { ...c, saving };
}

/** `id`'s recorder failed: `message` names why and what was kept. */
export function failedOf(c: RecordingCloses, id: string, message: string): RecordingCloses {
  const { [id]: _saving, ...saving } = c.saving;
  return { saving, failed: { ...c.failed, [id]: message } };
}

/** What the library shows on a closing recording. */
export function savingText(chunksLeft: number | null): string {
  if (chunksLeft === null) return 'Saving…';
  return `Saving… ${chunksLeft} chunk${chunksLeft === 1 ? '' : 's'} left`;
}

/**
 * Why recording `id` cannot be opened yet (replay, compare, export), or undefined: a recording
 * whose close has not completed is still being written, and would read as a truncated one.
 */
export function notOpenable(c: RecordingCloses, id: string): string | undefined {
  const left = c.saving[id];
  if (left === undefined) return undefined;
  return `${savingText(left)} It opens once everything recorded is stored.`;
}

/** The message of a recorder that failed before closing `meta` (undefined: nothing found). */
export function failureText(message: string, meta: RecordingMeta | undefined): string {
  const kept = meta
    ? `kept ${meta.lines.toLocaleString('en-US')} lines in ${meta.chunks} chunks` +
      (meta.outputsRecorded ? ` and ${meta.outputs.toLocaleString('en-US')} outputs` : '') +
      ', replayable'
    : 'nothing was stored';
  return `recorder failed: ${message} (${kept})`;
}
