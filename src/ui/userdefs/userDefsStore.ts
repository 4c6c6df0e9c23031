import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EmbeddedDefinition } from '../../core/userdef/embeddedDefinitions.ts';

/** The feature editor, when open: what it edits. */
export interface EditorState {
  /** The saved definition being edited (its name), or undefined for a new one. */
  readonly editing: string | undefined;
  /** The text the editor opens with. */
  readonly source: string;
}

/** "My features" and the dialogs around user code. */
export interface UserDefsState {
  /** Saved definitions (IndexedDB), by name order. */
  readonly mine: readonly EmbeddedDefinition[];
  readonly editor: EditorState | undefined;
  /** Imported code waiting for the user's review ("Trust and run"), or undefined. */
  readonly review: readonly EmbeddedDefinition[] | undefined;
}

export type UserDefsStore = StoreApi<UserDefsState>;

export function createUserDefsStore(): UserDefsStore {
  return createStore<UserDefsState>()(() => ({ mine: [], editor: undefined, review: undefined }));
}

/**
 * Open the feature editor on `source` (`editing`: the saved definition it edits). Here, not in
 * the actions module, so the palette opens it without loading storage code (issue #14).
 */
export function openEditor(
  studio: { readonly userDefs: UserDefsStore },
  editing: string | undefined,
  source: string,
): void {
  studio.userDefs.setState({ editor: { editing, source } });
}
