/**
 * Chooses the tfjs backend: native TensorFlow (tfjs-node) when it is installed and loads, else
 * WebAssembly, else plain JavaScript. The name returned is stored with every run.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';

export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = BackendName | 'auto';

const require = createRequire(import.meta.url);

async function tryTensorflow(): Promise<boolean> {
  try {
    // Optional dependency: absent where libtensorflow could not be fetched at install time.
    await import('@tensorflow/tfjs-node' as string);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    // In a packaged app the .wasm files are unpacked from the asar; resolve them where they are.
    const wasmFile = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
    setWasmPaths(path.dirname(wasmFile).replace('app.asar', 'app.asar.unpacked') + path.sep);
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

let chosen: BackendName | undefined;

/**
 * Initialises a backend once per process. `auto` tries tensorflow, wasm, cpu in that order;
 * a named backend is required (an error if it cannot load). GAN_LAB_BACKEND overrides `auto`.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendName> {
  const fromEnv = process.env.GAN_LAB_BACKEND;
  if (choice === 'auto' && fromEnv && (BACKENDS as readonly string[]).includes(fromEnv)) {
    choice = fromEnv as BackendName;
  }
  if (chosen && (choice === 'auto' || choice === chosen)) return chosen;
  tf.env().set('PROD', true); // keeps tfjs's console hints out of CLI output
  const order: BackendName[] = choice === 'auto' ? [...BACKENDS] : [choice];
  for (const name of order) {
    const ok = name === 'tensorflow' ? await tryTensorflow() : name === 'wasm' ? await tryWasm() : await tf.setBackend('cpu');
    if (ok) {
      await tf.ready();
      chosen = name;
      return name;
    }
  }
  throw new Error(`backend "${choice}" is not available here`);
}
