import { useStore } from 'zustand';
import type { PipelineActions, PipelineState } from './state/pipelineStore.ts';
import type { SelectionState } from './state/selectionStore.ts';
import type { ValuesState } from './state/valuesStore.ts';
import type { RunStatus } from '../session/PipelineRunner.ts';
import type { UiState } from './studio.ts';
import { useStudio } from './StudioProvider.tsx';

export { useStudio };

/**
 * Thin React bindings to the enclosing studio's stores. Always pass a narrow selector returning a
 * primitive or a stable object (zustand v5 re-renders on every new identity, and loops on fresh
 * arrays).
 */
export const usePipeline = <T>(sel: (s: PipelineState & PipelineActions) => T): T =>
  useStore(useStudio().pipelineStore, sel);
export const useSelection = <T>(sel: (s: SelectionState) => T): T =>
  useStore(useStudio().selectionStore, sel);
export const useValues = <T>(sel: (s: ValuesState) => T): T =>
  useStore(useStudio().valuesStore, sel);
/** Whether times show in UTC (the user's display preference) instead of the browser's zone. */
export const useUtc = (): boolean => useStore(useStudio().prefsStore, (p) => p.utc);
export const useUi = <T>(sel: (s: UiState) => T): T => useStore(useStudio().uiStore, sel);
export const useRunStatus = (): RunStatus =>
  useStore(useStudio().runController.status, (s) => s.status);
