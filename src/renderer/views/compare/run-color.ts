/** A compared run's colour on screen: the figure palette's run0..run3 for the current theme. */
import type { RunColor } from '../../../shared/figures/compare.js';
import { PALETTES } from '../../../shared/figures/palette.js';
import { theme } from '../../lib/theme.svelte';

export function runColor(role: RunColor): string {
  return PALETTES[theme.current].roles[role];
}
