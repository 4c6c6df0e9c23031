// The I/O floor of `featurizer run` (issue #14 target 1), as a plain Node process: read the input
// line by line (readline, as the CLI does), JSON.parse each line, and JSON.stringify + write as
// many output objects as the measured run produced (argv[4]), spread evenly over the input. Each
// output object has the shape of a scalar feature output (feature, two timestamps, a number).
//
//   node bench/batch/floorLoop.mjs <input.ndjson> <out.ndjson> <outputs>
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const [input, outFile, outputsText] = process.argv.slice(2);
const outputs = Number(outputsText);
const lines = Number(process.argv[5] ?? 0); // input lines, to spread the outputs evenly
const out = createWriteStream(outFile);
const rl = createInterface({ input: createReadStream(input, 'utf8'), crlfDelay: Infinity });
let n = 0;
let written = 0;
let buf = '';
for await (const text of rl) {
  const m = JSON.parse(text);
  n++;
  const due = Math.floor((outputs * n) / lines);
  const e = m.event;
  for (; written < due; written++) {
    buf += `${JSON.stringify({ feature: 'mid', timestamp: e.timestamp, receipt_timestamp: e.receipt_timestamp, value: (e.receipt_timestamp - e.timestamp) * (written + 1) })}\n`;
  }
  if (buf.length >= 1 << 16) {
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  }
}
out.end(buf);
await once(out, 'finish');
if (written !== outputs) throw new Error(`wrote ${written} of ${outputs}`);
