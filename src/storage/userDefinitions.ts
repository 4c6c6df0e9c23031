import type { EmbeddedDefinition } from '../core/userdef/embeddedDefinitions.ts';
import type { StudioDatabase, UserDefinitionRecord } from './db.ts';

/** The saved user definitions ("My features"), by name. */
export async function listUserDefinitions(db: StudioDatabase): Promise<UserDefinitionRecord[]> {
  return db.getAll('userDefinitions');
}

/**
 * Create or overwrite the definition called `def.name`, keeping its creation time. `replacing`
 * guards against overwriting what the user did not ask to: saving under a name that another
 * definition already has throws unless that name is the one being edited.
 */
export async function saveUserDefinition(
  db: StudioDatabase,
  def: EmbeddedDefinition,
  replacing: string | undefined,
  now = Date.now(),
): Promise<UserDefinitionRecord> {
  const tx = db.transaction('userDefinitions', 'readwrite');
  const existing = await tx.store.get(def.name);
  if (existing && replacing !== def.name) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new Error(
      `a definition called "${def.name}" exists already: rename yours or edit that one`,
    );
  }
  const record: UserDefinitionRecord = {
    ...def,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await tx.store.put(record);
  // Renamed while editing: the old name goes, in the same transaction.
  if (replacing !== undefined && replacing !== def.name) await tx.store.delete(replacing);
  await tx.done;
  return record;
}

export async function deleteUserDefinition(db: StudioDatabase, name: string): Promise<void> {
  await db.delete('userDefinitions', name);
}
