import { useState } from 'react';
import { useStore } from 'zustand';
import type { MarketReplay } from './marketReplay.ts';
import { parseUtcText, utcText } from './rangeText.ts';

/**
 * "Replay the market stream": the stream's first and last times, a range (UTC), venues and
 * symbols; "Replay in studio" imports the range as a recording and replays it, "Import as
 * recording" only imports it. Progress is shown and the import can be cancelled.
 */
export function MarketReplayForm({ market, open }: { market: MarketReplay; open?: string }) {
  const { info, progress, error } = useStore(market.store);
  // The whole stream until the user edits a field.
  const [fromEdit, setFrom] = useState<string | undefined>();
  const [toEdit, setTo] = useState<string | undefined>();
  const from = fromEdit ?? (typeof info?.firstTs === 'number' ? utcText(info.firstTs, 'down') : '');
  const to = toEdit ?? (typeof info?.lastTs === 'number' ? utcText(info.lastTs, 'up') : '');
  const [venues, setVenues] = useState<readonly string[]>([]);
  const [symbols, setSymbols] = useState('');
  const [bad, setBad] = useState<string | undefined>();
  const [withOutputs, setWithOutputs] = useState(false);
  const busy = progress !== undefined;

  const start = (replay: boolean): void => {
    const fromTs = parseUtcText(from);
    const toTs = parseUtcText(to);
    if (fromTs === undefined || toTs === undefined) {
      setBad(
        `${fromTs === undefined ? 'From' : 'To'}: write a UTC time as 2024-06-01 00:00:05.000`,
      );
      return;
    }
    setBad(undefined);
    const syms = symbols
      .split(',')
      .map((s) => s.trim().replace(/[^A-Za-z0-9_-]/g, '_'))
      .filter(Boolean);
    const outputsOf = withOutputs && open !== undefined ? { outputsOf: open } : {};
    void market.run({ fromTs, toTs, venues, symbols: syms, replay, ...outputsOf });
  };

  const names = Object.keys(info?.venues ?? {}).sort();
  return (
    <form
      className="cluster-market"
      aria-label="Replay the market stream"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) start(true);
      }}
    >
      <p className="cluster-market-extent" data-testid="market-extent">
        {!info
          ? 'Reading the market stream…'
          : info.messages === 0
            ? 'The market stream is empty (featurizer ingest or publish fills it).'
            : `${info.messages.toLocaleString()} messages · first ${
                info.firstTs === null ? '—' : utcText(info.firstTs, 'down')
              } · last ${info.lastTs === null ? '—' : utcText(info.lastTs, 'up')} UTC`}{' '}
        <button type="button" className="link" onClick={() => void market.refresh()}>
          Refresh
        </button>
      </p>
      <label>
        From (UTC)
        <input value={from} disabled={busy} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        To (UTC)
        <input value={to} disabled={busy} onChange={(e) => setTo(e.target.value)} />
      </label>
      {names.length > 0 && (
        <fieldset disabled={busy}>
          <legend>Venues (all when none is ticked)</legend>
          {names.map((v) => (
            <label key={v}>
              <input
                type="checkbox"
                checked={venues.includes(v)}
                onChange={(e) =>
                  setVenues(e.target.checked ? [...venues, v] : venues.filter((x) => x !== v))
                }
              />
              {v}
            </label>
          ))}
        </fieldset>
      )}
      <label>
        Symbols
        <input
          value={symbols}
          disabled={busy}
          placeholder="all (or BTC-USDT, ETH-USDT)"
          onChange={(e) => setSymbols(e.target.value)}
        />
      </label>
      {open !== undefined && (
        <label className="cluster-remember">
          <input
            type="checkbox"
            checked={withOutputs}
            disabled={busy}
            onChange={(e) => setWithOutputs(e.target.checked)}
          />
          With the outputs of {open} (for Compare)
        </label>
      )}
      {busy ? (
        <>
          <progress aria-label="Reading the range" max={1} value={progress} />
          <button type="button" onClick={() => market.cancel()}>
            Cancel
          </button>
        </>
      ) : (
        <>
          <button type="submit" disabled={!info || info.messages === 0}>
            Replay in studio
          </button>
          <button
            type="button"
            disabled={!info || info.messages === 0}
            onClick={() => start(false)}
          >
            Import as recording
          </button>
        </>
      )}
      {(bad ?? error) && (
        <p className="cluster-error" role="alert">
          {bad ?? error}
        </p>
      )}
    </form>
  );
}
