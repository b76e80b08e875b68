// Copies the data files the compiled code reads at run time (src/**/data/*.json, web assets)
// next to it in dist/, keeping their relative paths.
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ASSET = /\.(json|html|css|svg|png|woff2?)$/;
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (ASSET.test(name)) cpSync(path, join('dist', relative('src', path)));
  }
}
if (existsSync('src')) walk('src');
