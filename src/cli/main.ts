/** The `pont` command (bin/pont.js): `pont --help` lists the commands. */
import { runCli } from './program.ts';

await runCli(process.argv);
