#!/usr/bin/env node
// Entry point of the `pont` command. A built tree (npm run build) runs from dist/;
// a source checkout runs the TypeScript directly through tsx.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
