import type { PortKind } from '../../core/definitions/DataDefinition.ts';

/** What each port kind carries, for port tooltips. */
const KIND_TEXT: ReadonlyMap<string, string> = new Map<PortKind, string>([
  ['trades', 'trades: one event per trade (side, amount, price)'],
  ['ticker', 'ticker: best bid and ask'],
  ['l2_book', 'l2_book: order-book updates (snapshot, then deltas)'],
  ['l2_snapshot', 'l2_snapshot: the order book, top levels each side'],
  ['scalar', 'scalar: one number per event'],
  ['ohlcv', 'ohlcv: bars (open, high, low, close, volume…)'],
  ['record', 'record: several named fields per event'],
]);

/** `kind: what it carries`, or the kind itself when unknown. */
export function kindText(kind: string): string {
  return KIND_TEXT.get(kind) ?? kind;
}

/** Tooltip of an input port: its slot name and the kinds it accepts. */
export function inputPortTitle(slot: string, accepts: readonly string[]): string {
  return `Input "${slot}" accepts ${accepts.map(kindText).join(' | ')}.\nDrag here from an output of that kind.`;
}

/** Tooltip of a node's output port. */
export function outputPortTitle(kind: string): string {
  return `Output: ${kindText(kind)}.\nDrag to an input that accepts ${kind}.`;
}
