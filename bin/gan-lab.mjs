#!/usr/bin/env node
// The `gan-lab` command. The sources are TypeScript; tsx compiles them on the fly, so the CLI
// runs from a fresh clone with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/main.ts');
const code = await main(process.argv);
// Exit explicitly (the wasm backend keeps handles open that would hold the process), but only once
// standard output has drained: on some platforms pipes are asynchronous and would be cut short.
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
