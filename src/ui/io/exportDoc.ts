import { ConfigError, formatIssue } from '../../core/config/ConfigError.ts';
import type { PipelineDoc } from '../../core/config/PipelineDoc.ts';
import type { Studio } from '../studio.ts';
import { withDefinitions } from '../userdefs/userDefsActions.ts';
import { encodeShareHash } from './shareLink.ts';

/** A file name from the pipeline name: `BTC-USDT market features` → `btc-usdt-market-features`. */
function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'pipeline'
  );
}

function download(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Download the versioned pipeline document (positions and workers included). */
export function exportPipelineJson(studio: Studio, doc: PipelineDoc): void {
  download(
    // User definitions travel embedded (source, hash, version, manifest): it runs as-is anywhere.
    `${JSON.stringify(withDefinitions(doc), null, 2)}\n`,
    `${slug(doc.name)}.pipeline.json`,
    'application/json',
  );
}

/**
 * Download the pipeline as a seed FeaturizerConfig (YAML). Not every drawing has a config form
 * (e.g. unnamed shared inputs); then each reason is shown instead. The YAML library and the
 * converter load on first use (they are not part of the first screen's code).
 */
export async function exportConfigYaml(studio: Studio, doc: PipelineDoc): Promise<void> {
  try {
    const [{ stringify }, { configFromPipeline }] = await Promise.all([
      import('yaml'),
      import('../../core/config/pipelineConvert.ts'),
    ]);
    download(stringify(configFromPipeline(doc)), `${slug(doc.name)}.featurizer.yaml`, 'text/yaml');
  } catch (e) {
    const text = e instanceof ConfigError ? e.issues.map(formatIssue).join('\n') : String(e);
    studio.toast(`Cannot export as FeaturizerConfig:\n${text}`, 'error');
  }
}

/** Put a link that opens this graph into the clipboard (and return it; undefined: too large). */
export async function copyShareLink(studio: Studio, doc: PipelineDoc): Promise<string | undefined> {
  let hash: string;
  try {
    hash = await encodeShareHash(withDefinitions(doc));
  } catch (e) {
    studio.toast(`Cannot share: ${e instanceof Error ? e.message : String(e)}`, 'error');
    return undefined;
  }
  const url = `${location.origin}${location.pathname}${hash}`;
  studio.uiStore.setState({ share: url });
  try {
    await navigator.clipboard.writeText(url);
    studio.toast('Share link copied to the clipboard');
  } catch {
    // No clipboard permission: the popover still shows the link to copy by hand.
  }
  return url;
}
