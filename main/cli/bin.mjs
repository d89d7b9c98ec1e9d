#!/usr/bin/env node
// `earshot` command: runs the TypeScript CLI through tsx's loader, so `npx earshot` works right
// after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
