// Temporary stub: replaced by the real registry of built-in definitions.
export interface DefinitionSummary {
  readonly name: string;
  readonly kind: 'source' | 'feature';
  readonly group: string;
  readonly title: string;
  readonly description: string;
}

export function listDefinitions(): DefinitionSummary[] {
  return [];
}
