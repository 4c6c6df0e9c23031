import { describe, expect, it } from 'vitest';
import { builtinDefinitions } from '../../core/definitions/registry.ts';
import { paramSummary } from '../format.ts';
import { PALETTE_CATALOG } from './paletteCatalog.ts';

describe('the palette catalog', () => {
  it('says what the registry says, definition by definition, in registry order', () => {
    // Built from the registry here, not from the catalog: a definition added, renamed, regrouped or
    // given a new param default fails until the first screen's list says the same.
    const fromRegistry = builtinDefinitions.map((d) => ({
      name: d.name,
      title: d.title,
      description: d.description,
      group: d.group,
      params: paramSummary(d.params),
    }));
    expect(PALETTE_CATALOG).toEqual(fromRegistry);
  });
});
