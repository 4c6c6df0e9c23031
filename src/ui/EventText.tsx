import type { Event } from '../core/events.ts';
import { eventParts } from './format.ts';

/**
 * An event as text with units: `mid 64,000.1 USDT · spread 1.52 bps`. Each unit is drawn by CSS
 * from `data-unit` (App.css), so the element's text — what is copied and what tests read — is
 * the numbers alone.
 */
export function EventText({
  event,
  maxFields = 3,
  units,
}: {
  event: Event;
  maxFields?: number;
  units?: ReadonlyMap<string, string> | undefined;
}) {
  const parts = eventParts(event, maxFields, units);
  return (
    <>
      {parts.map((p, i) => (
        <span key={i}>
          {i > 0 && ' · '}
          <span className="ev-part" data-unit={p.unit} title={p.unit ? `in ${p.unit}` : undefined}>
            {p.text}
          </span>
        </span>
      ))}
    </>
  );
}
