/**
 * The venue toolkit: everything an adapter is built from. Frame parsing (`frame.ts`), checked
 * numbers (`../checkedNumber.ts`), RFC 3339 times (`../rfc3339.ts`), books kept with the venue's
 * decimal text for checksums and sequence checks (`../LevelBook.ts`, `levelUpdates.ts`), markers
 * (gap / resync / malformed / notice, `markers.ts`), snapshot/restore of adapter state
 * (`../adapterState.ts`) and the "never throws" guard (`neverThrows.ts`).
 */
export * from './frame.ts';
export * from './frameSymbol.ts';
export * from './markers.ts';
export * from './symbols.ts';
export * from './levelUpdates.ts';
export { neverThrows } from './neverThrows.ts';
export { adapterState } from '../adapterState.ts';
export {
  FieldCheck,
  fieldProblem,
  malformedField,
  num,
  pushLevels,
  showValue,
} from '../checkedNumber.ts';
export { parseRfc3339 } from '../rfc3339.ts';
export { BULK_LEVELS, LevelBook, LevelSide, type RawDecimal, applyChecked } from '../LevelBook.ts';
