#!/usr/bin/env node
// The `gan-lab` command. The sources are TypeScript; tsx compiles them on the fly, so the CLI
// runs from a fresh clone with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main/cli/main.ts');
const code = await main(process.argv);
// Exit explicitly: the wasm backend keeps handles open that would hold the process.
process.exit(code);
