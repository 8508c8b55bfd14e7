/**
 * Where each of config.check's errors is shown. Every field claims its path (e.g.
 * `schedule.batchSize`); an error goes to the most specific field whose path is the error's path
 * or a prefix of it, so `generator.hidden.0.units` lands next to that layer's units, and an error
 * no field claims still appears in the form's summary instead of being lost.
 */
import { createContext, untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { FieldError } from '../../../shared/contract.js';

function covers(fieldPath: string, errorPath: string): boolean {
  return errorPath === fieldPath || errorPath.startsWith(`${fieldPath}.`);
}

export class FormErrors {
  list = $state.raw<FieldError[]>([]);
  private claims = new SvelteMap<string, number>();

  /** Registers a field's path while it is on screen; returns the release. */
  claim(path: string): () => void {
    // Called from effects: reading the count must not make the effect depend on it.
    untrack(() => this.claims.set(path, (this.claims.get(path) ?? 0) + 1));
    return () =>
      untrack(() => {
        const n = (this.claims.get(path) ?? 1) - 1;
        if (n <= 0) this.claims.delete(path);
        else this.claims.set(path, n);
      });
  }

  private owner(errorPath: string): string | null {
    let best: string | null = null;
    for (const p of this.claims.keys()) if (covers(p, errorPath) && (best === null || p.length > best.length)) best = p;
    return best;
  }

  /** Errors shown by the field at `path`. */
  at(path: string): FieldError[] {
    return this.list.filter((e) => this.owner(e.path) === path);
  }

  /** Errors no field on screen shows. */
  unclaimed(): FieldError[] {
    return this.list.filter((e) => this.owner(e.path) === null);
  }
}

export const [useFormErrors, provideFormErrors] = createContext<FormErrors>();
