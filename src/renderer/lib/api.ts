/**
 * The contract's client, handed to every view through Svelte context (created once at start-up
 * in main.ts), so components never reach for a global.
 */
import { createContext } from 'svelte';
import type { GanLabApi } from '../../shared/contract.js';

export const [useApi, provideApi] = createContext<GanLabApi>();

/** A message a person can read, from whatever a failed request threw. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
