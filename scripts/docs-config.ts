/** Writes docs/config.md from the configuration schema (`npm run docs:config`). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigDocs } from '../src/config/docs.ts';
import { PROJECT_ROOT } from '../src/util/paths.ts';

const target = join(PROJECT_ROOT, 'docs', 'config.md');
writeFileSync(target, renderConfigDocs());
process.stdout.write(`wrote ${target}\n`);
