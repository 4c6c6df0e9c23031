import type { MarketEvent } from '../core/events.ts';

/**
 * One line of a raw-frame recording (NDJSON). Frames are kept as their exact text so a replay runs
 * them through the very same adapter and gets the very same events. See docs/recording-format.md.
 */
export type RecordingLine =
  /**
   * A received frame, and the URL of the connection it came on (some venues serve several
   * connections with identical topic names, e.g. Bybit spot and linear).
   */
  | {
      readonly receipt_timestamp: number;
      readonly exchange: string;
      readonly data: string;
      readonly url?: string;
    }
  /** A frame we sent (subscriptions, snapshot requests, pings): informational, replay skips it. */
  | {
      readonly receipt_timestamp: number;
      readonly exchange: string;
      readonly sent: string;
      readonly url?: string;
    }
  /** A connection event or an integrity marker. */
  | {
      readonly receipt_timestamp: number;
      readonly exchange: string;
      readonly marker: 'connect' | 'disconnect' | 'gap';
      readonly url?: string;
      readonly symbol?: string;
      readonly detail?: string;
    }
  /**
   * A normalized event of a source that has no frames (the Simulated market, exchange `SIM`):
   * replay passes it through as is.
   */
  | {
      readonly receipt_timestamp: number;
      readonly exchange: 'SIM';
      readonly event: MarketEvent;
    };

export type RecordingSink = (line: RecordingLine) => void;
