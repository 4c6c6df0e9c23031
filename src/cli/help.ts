/** Help texts: the CLI's documentation (README-level detail, kept next to the code). */

export const MAIN_HELP = `featurizer — run Featurizer feature pipelines over recorded market data

Usage:
  featurizer run --config <file.yaml|file.json> --input <events.ndjson> --out <out.ndjson|out.csv|->
  featurizer record --exchange <VENUE> --symbols <A,B> --out <rec.ndjson> [--duration <sec>]
                                  record a venue's live frames to a raw-frame recording
  featurizer definitions          list every feature and data-source definition
  featurizer publish|ingest|deploy|undeploy|worker|tail|status --nats URL …
                                  pipelines on a NATS JetStream cluster (featurizer help worker)
  featurizer --help | -h          this help
  featurizer run --help           options of \`run\` (and \`record --help\`)
  featurizer --version

The same feature code runs live in the studio, in replay and here in batch: a config names the
features (the seed's FeaturizerConfig: feature_configs with feature_definition, name, params,
deps; start_date/end_date for synthetic sources), the input is a recording of normalized market
events, the output is every feature's values.

Exit codes: 0 success, 1 bad input/config/output (message on stderr naming the file; no output
file written, an existing one left as it was), 2 bad command line (including an --out that is the
input or config file). Killed by a signal, the run removes its temp file first.
`;

export const RUN_HELP = `featurizer run — compute the configured features over an NDJSON recording

Usage:
  featurizer run --config <file> --input <file> --out <file|-> [--format ndjson|csv]
                 [--workers N] [--strict-sources] [--definitions <file|dir>]... [--quiet]

Options:
  -c, --config <file>   FeaturizerConfig, YAML (.yaml/.yml) or JSON (.json; other extensions:
                        JSON if the text starts with "{", else YAML), or a studio pipeline
                        JSON (run as-is, with the user definitions it embeds)
  -d, --definitions <file|dir>
                        user feature definitions (.ts/.js modules; a folder: each module in
                        it) the config may name (docs/custom-features.md); repeatable
  -i, --input <file>    normalized market events, one JSON object per line (blank lines
                        skipped), or a raw-frame recording (docs/recording-format.md), which
                        is decoded by the same venue adapters as live; .gz files are inflated
  -o, --out <file|->    output file, or - for standard output (see "Output files" below)
  -f, --format <fmt>    ndjson | csv; default from the --out extension (.csv → csv,
                        .ndjson/.jsonl/.json → ndjson; - → ndjson)
  -w, --workers <N>     run on up to N worker_threads, partitioned per source (the studio's
                        runtime); the output is byte-identical to the default in-thread run
                        for every N, streamed to the file; the summary says how many were used
      --strict-sources  fail (exit 1, no output file) when a data source of the config matched
                        no input event; without it each such source is a warning on stderr
  -q, --quiet           no summary on stderr (warnings and errors still go there)
  -h, --help            this help

Input lines (fields are checked; an error names the line and field, e.g.
"error: events.ndjson:12: event.bid: expected a finite number, got "1""):
  {"exchange":"BINANCE","instrument_type":"spot","symbol":"BTC-USDT","channel":"ticker",
   "event":{"timestamp":1700000000.1,"receipt_timestamp":1700000000.15,"bid":100,"ask":101}}
  channel trades:  event {timestamp, receipt_timestamp, side: buy|sell, amount, price, id}
  channel ticker:  event {timestamp, receipt_timestamp, bid, ask}
  channel l2_book: event {timestamp, receipt_timestamp, delta: bool (false = full snapshot),
                          orders: [[bid|ask, price, size], ...] (size 0 deletes the level)}
  A recording's lines are {"receipt_timestamp","exchange","data":"<frame>"} (plus "sent"
  and "marker" lines); a bad line is an error naming it, an unreadable frame is counted.
  Timestamps are epoch seconds. Events are routed to data sources by exchange, instrument_type,
  symbol and channel; events no configured source uses are skipped and counted. Events are
  processed in FILE order (not re-sorted), exactly as they would arrive live.

Output:
  ndjson  one line per output event of each configured top-level feature, in input order, and
          for one input in configured-feature order:
          {"feature":<config name, else the feature's id>,"timestamp":…,"receipt_timestamp":…,
           …fields}
  csv     point-in-time as-of join (backward) keyed on the FIRST configured feature: one row per
          event of it, with every other feature's latest value at or before that timestamp.
          Columns: timestamp,receipt_timestamp,<feature>-<field>…; arrays as JSON text, quoted
          per RFC 4180; empty cell when a feature has no value yet.
  The same input always gives byte-identical output (also in the browser studio).

Output files (nothing you did not ask for is overwritten):
  - A regular file is written to a temp file in its folder and renamed over it at the end: it
    appears whole or not at all, an existing one keeps its permissions, and a failed or
    interrupted run (Ctrl-C, SIGTERM, SIGHUP) leaves the old file and no temp file behind.
  - --out naming the input or the config file — also through a symlink or a hard link — is
    refused before anything is written.
  - A symlink is written through (its target is replaced, the link stays); a dangling symlink, a
    directory or a block device is refused. A FIFO or character device (/dev/null, a terminal)
    is written directly, never replaced by a regular file.
  - - streams to standard output as lines are produced; a failed run has printed part of it (the
    exit code says so).
  - A missing folder, a full disk (ENOSPC), a .gz input that is not gzip or is truncated: the
    error names the file.

Example:
  featurizer run -c e2e/fixtures/determinism/config.yaml -i e2e/fixtures/determinism/input.ndjson \\
    -o features.csv
`;

export const RECORD_HELP = `featurizer record — record a venue's public market data to a raw-frame recording

Usage:
  featurizer record --exchange <VENUE> --symbols <A,B,…> --out <rec.ndjson>
                    [--channels trades,ticker,l2_book] [--duration <sec>] [--endpoint <ws-origin>]
                    [--json]

Options:
  -e, --exchange <id>   BINANCE, BINANCE_FUTURES, COINBASE, KRAKEN, BYBIT or OKX
  -s, --symbols <list>  seed-style symbols, comma separated (BTC-USDT, BTC-USDT-PERP)
      --channels <list> any of trades, ticker, l2_book (default: all three)
  -o, --out <file>      the recording (docs/recording-format.md); written to a temp file and
                        renamed when the recording ends, with the same rules as \`run --out\`
                        (a missing folder is an error before connecting). A recording that got
                        no frame or could not be written fails (exit 1) and leaves an existing
                        file as it was
  -d, --duration <sec>  how long to record (default 60); Ctrl-C stops early and keeps the file
      --endpoint <url>  replace the venue's websocket origin, e.g. ws://127.0.0.1:8765 for the
                        exchange simulator (npm run exchange-sim)
      --json            feed status events as JSON lines on stderr:
                        {"type":"feed-status","exchange",…,"state","reason","counters",…}

The same adapters as the studio keep each book in sync (sequence numbers, checksums, resync on a
gap) and report status changes: connecting, live, resyncing, stale, error (with the reason, e.g.
"venue unavailable from this location"). Run features over the result with \`featurizer run\`.
`;
