import { useStore } from 'zustand';
import type { PipelineActions, PipelineState } from './state/pipelineStore.ts';
import type { SelectionState } from './state/selectionStore.ts';
import type { ValuesState } from './state/valuesStore.ts';
import type { RunStatus } from '../session/PipelineRunner.ts';
import {
  pipelineStore,
  runController,
  selectionStore,
  type UiState,
  uiStore,
  valuesStore,
} from './studio.ts';

/**
 * Thin React bindings. Always pass a narrow selector returning a primitive or a stable object
 * (zustand v5 re-renders on every new identity, and loops on fresh arrays).
 */
export const usePipeline = <T>(sel: (s: PipelineState & PipelineActions) => T): T =>
  useStore(pipelineStore, sel);
export const useSelection = <T>(sel: (s: SelectionState) => T): T => useStore(selectionStore, sel);
export const useValues = <T>(sel: (s: ValuesState) => T): T => useStore(valuesStore, sel);
export const useUi = <T>(sel: (s: UiState) => T): T => useStore(uiStore, sel);
export const useRunStatus = (): RunStatus => useStore(runController.status, (s) => s.status);
