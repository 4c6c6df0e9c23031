// A light, quick page (issue #14, target 5): builds the studio (`vite build` into dist/, as
// `npm run build` does) and prints (1) the initial JavaScript — the entry script plus every
// modulepreload of dist/index.html, minified, before compression — against the 300 kB budget,
// with its composition by package or source folder; (2) the time from navigation to the first
// live value of the default pipeline (the mid price node shows a number) in headless Chromium,
// each visit in a fresh browser context (empty cache), against the 1.5 s budget.
// Composition: each chunk's minified size split in proportion to its modules' code minified alone
// (esbuild), which tracks the bundle far better than unminified lengths (react-dom ships minified,
// our sources do not).
import { readFileSync, statSync } from 'node:fs';
import { transform } from 'esbuild';
import type { Page } from 'playwright-core';
import { build, type Plugin } from 'vite';
import { withBuiltStudio } from './browser.ts';
import type { Bench } from './harness.ts';

const PORT = Number(process.env.BENCH_PAGE_PORT ?? 4398);
const VISITS = Number(process.env.BENCH_PAGE_VISITS ?? 5);
const JS_BUDGET_KB = 300;
const LIVE_BUDGET_MS = 1500;

/** Chunk file → module id → rendered code, recorded while Vite writes the bundle. */
type Composition = Map<string, { size: number; modules: Map<string, string> }>;

function composition(into: Composition): Plugin {
  return {
    name: 'bench-composition',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const modules = new Map<string, string>();
        for (const [id, m] of Object.entries(chunk.modules)) modules.set(id, m.code ?? '');
        into.set(chunk.fileName, { size: Buffer.byteLength(chunk.code), modules });
      }
    },
  };
}

/** `react-dom`, `@xyflow/react`, `src/ui/canvas`, … */
function group(id: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
  if (pkg) return pkg[1]!;
  const src = /\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(id) ?? /\/(src\/[^/]+)/.exec(id);
  return src ? src[1]! : id.replace(/^.*\//, '');
}

async function minifiedLength(code: string): Promise<number> {
  if (code === '') return 0;
  try {
    return (await transform(code, { minify: true, loader: 'js', format: 'esm' })).code.length;
  } catch {
    return code.length; // not parseable alone (a fragment): count it as is
  }
}

/**
 * Script (decoded bytes, each file once) the page had fetched by `atMs` after navigation: the
 * page's own and its workers' apart.
 */
async function scriptsFetched(
  page: Page,
  atMs: number,
): Promise<{ pageKB: number; workerKB: number; files: number }> {
  return page.evaluate<{ pageKB: number; workerKB: number; files: number }>(`(() => {
    const seen = new Map();
    for (const e of performance.getEntriesByType('resource'))
      if (e.name.endsWith('.js') && e.responseEnd <= ${atMs}) seen.set(e.name, e.decodedBodySize);
    let pageKB = 0, workerKB = 0;
    for (const [name, bytes] of seen)
      if (/worker/i.test(name.replace(/^.*\\//, ''))) workerKB += bytes / 1000;
      else pageKB += bytes / 1000;
    return { pageKB, workerKB, files: seen.size };
  })()`);
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const bench: Bench = {
  name: 'page',
  description: 'initial JS of the built studio (entry + modulepreloads) and time to live values',
  async run() {
    const chunks: Composition = new Map();
    await build({ logLevel: 'warn', plugins: [composition(chunks)] });
    const html = readFileSync('dist/index.html', 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    let total = 0;
    const groups = new Map<string, number>();
    for (const file of initial) {
      const c = chunks.get(file);
      if (!c) throw new Error(`${file} of index.html is not in the bundle`);
      // The bytes the browser downloads: the file as written to dist/, not the chunk's code as
      // `generateBundle` sees it (later hooks, the minifier and the sourcemap comment change it).
      const bytes = statSync(`dist/${file}`).size;
      total += bytes;
      const minified = new Map<string, number>();
      for (const [id, code] of c.modules) minified.set(id, await minifiedLength(code));
      const sum = [...minified.values()].reduce((a, b) => a + b, 0) || 1;
      for (const [id, len] of minified)
        groups.set(group(id), (groups.get(group(id)) ?? 0) + (bytes * len) / sum);
    }
    const kb = total / 1000;
    console.log(
      `  initial JS: ${kb.toFixed(1)} kB in ${initial.length} files; ${(kb / JS_BUDGET_KB).toFixed(3)}× the ${JS_BUDGET_KB} kB budget ${kb <= JS_BUDGET_KB ? 'OK' : 'OVER'}`,
    );
    const lazy = [...chunks].filter(
      ([f]) => !initial.includes(f) && !/Worker|worker|harness|Bench/.test(f),
    );
    console.log(
      `  loaded on demand: ${lazy.map(([f, c]) => `${f.replace(/^assets\/|-[\w-]+\.js$/g, '')} ${(c.size / 1000).toFixed(0)} kB`).join(', ')}`,
    );
    console.log(
      `  initial files: ${initial.map((f) => `${f.replace(/^assets\/|-[\w-]+\.js$/g, '')} ${(statSync(`dist/${f}`).size / 1000).toFixed(1)} kB`).join(', ')}`,
    );
    console.log('  initial composition (kB, estimated per module):');
    for (const [g, bytes] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 16))
      console.log(`    ${(bytes / 1000).toFixed(1).padStart(7)}  ${g}`);

    let fetched = { pageKB: 0, workerKB: 0, files: 0 };
    const times = await withBuiltStudio(PORT, async (browser, origin) => {
      const ms: number[] = [];
      for (let i = 0; i <= VISITS; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${origin}/`);
        // Milliseconds since navigation start when the mid price first shows a number.
        const at = await page.waitForFunction(
          `(() => {
            const el = document.querySelector('[data-testid="node-value-mid"]');
            return el && /\\d/.test(el.textContent ?? '') ? performance.now() : false;
          })()`,
          undefined,
          { polling: 'raf', timeout: 30_000 },
        );
        const t = (await at.jsonValue()) as number;
        if (i > 0) ms.push(t); // the first visit warms the server and the browser
        // What the page fetched by then: the first screen's script and what loaded beside it.
        if (i === VISITS) fetched = await scriptsFetched(page, t);
        await context.close();
      }
      return ms;
    });
    const live = median(times);
    console.log(
      `  navigation → first live value (median of ${VISITS}, fresh contexts): ${live.toFixed(0)} ms ` +
        `(min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}); ` +
        `${(live / LIVE_BUDGET_MS).toFixed(2)}× the ${LIVE_BUDGET_MS} ms budget ${live <= LIVE_BUDGET_MS ? 'OK' : 'OVER'}`,
    );
    // For the record: the canvas and the runners load on demand right after the first screen,
    // so the script fetched by the first live value is larger than the initial script.
    console.log(
      `  script fetched by the first live value (last visit): page ${fetched.pageKB.toFixed(0)} kB ` +
        `(${(fetched.pageKB / kb).toFixed(2)}× the initial script), workers ${fetched.workerKB.toFixed(0)} kB; ${fetched.files} files`,
    );
  },
};

export default bench;
