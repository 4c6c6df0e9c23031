#!/usr/bin/env node
// The `featurizer` command: runs the TypeScript CLI through tsx (a runtime dependency), so the
// repo needs no build step. Exit code comes from main().
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
