import { useState } from 'react';
import type { ParamSpec } from '../../core/params/ParamSchema.ts';
import { supportedExchanges } from '../../sources/adapters/exchangeIds.ts';
import { SIM_EXCHANGE, SIM_SYMBOLS } from '../../sources/sim/simSymbols.ts';

/** Common symbols offered for live venues (any symbol can be typed). */
const LIVE_SYMBOLS = ['BTC-USDT', 'ETH-USDT', 'SOL-USDT', 'BTC-USD', 'ETH-USD', 'BTC-USDT-PERP'];

interface Props {
  readonly name: string;
  readonly spec: ParamSpec;
  /** The raw value as stored (undefined: default). */
  readonly value: unknown;
  readonly error: string | undefined;
  /** Exchange of the node, for the symbol picker's suggestions. */
  readonly exchange?: string;
  readonly onCommit: (value: unknown) => void;
}

/**
 * One param input generated from its schema. Text inputs keep a draft and commit on Enter or
 * blur (one undo step per edit, not per keystroke); selects and checkboxes commit at once.
 */
export function ParamField({ name, spec, value, error, exchange, onCommit }: Props) {
  const id = `param-${name}`;
  const shown = value ?? spec.default;
  let input;
  if (name === 'exchange') {
    const venue = String(shown ?? '');
    // An imported venue no feed serves stays visible (and selected) rather than showing as SIM.
    const unknown = venue !== SIM_EXCHANGE && !supportedExchanges.some((x) => x === venue);
    input = (
      <select id={id} value={venue} onChange={(e) => onCommit(e.target.value)}>
        {unknown && <option value={venue}>{`${venue} (unknown exchange)`}</option>}
        <option value={SIM_EXCHANGE}>Simulated market</option>
        {supportedExchanges.map((x) => (
          <option key={x} value={x}>
            {x
              .replace('_', ' ')
              .toLowerCase()
              .replace(/\b\w/g, (c) => c.toUpperCase())}
          </option>
        ))}
      </select>
    );
  } else if (spec.type === 'enum') {
    input = (
      <select id={id} value={String(shown ?? '')} onChange={(e) => onCommit(e.target.value)}>
        {spec.values.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    );
  } else if (spec.type === 'boolean') {
    input = (
      <input
        id={id}
        type="checkbox"
        checked={shown === true}
        onChange={(e) => onCommit(e.target.checked)}
      />
    );
  } else {
    const symbols =
      name === 'symbol'
        ? exchange === SIM_EXCHANGE
          ? SIM_SYMBOLS.map((s) => s.symbol)
          : LIVE_SYMBOLS
        : undefined;
    input = (
      <DraftInput
        key={String(value)}
        id={id}
        initial={value === undefined ? '' : String(value)}
        placeholder={spec.default !== undefined ? String(spec.default) : 'required'}
        numeric={spec.type === 'number'}
        list={symbols}
        onCommit={(text) =>
          onCommit(
            spec.type === 'number' && text.trim() !== '' && Number.isFinite(Number(text))
              ? Number(text)
              : text,
          )
        }
      />
    );
  }
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={id}>
        <span className="field-name">{name}</span>
        {spec.unit && <span className="field-unit">{spec.unit}</span>}
      </label>
      {input}
      <div className="field-help">{error ?? spec.description}</div>
    </div>
  );
}

function DraftInput(p: {
  id: string;
  initial: string;
  placeholder: string;
  numeric: boolean;
  list: readonly string[] | undefined;
  onCommit: (text: string) => void;
}) {
  const [draft, setDraft] = useState(p.initial);
  const commit = (): void => {
    if (draft !== p.initial) p.onCommit(draft);
  };
  return (
    <>
      <input
        id={p.id}
        value={draft}
        placeholder={p.placeholder}
        inputMode={p.numeric ? 'decimal' : undefined}
        list={p.list ? `${p.id}-list` : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') setDraft(p.initial);
        }}
      />
      {p.list && (
        <datalist id={`${p.id}-list`}>
          {p.list.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </>
  );
}
