/**
 * Light and dark themes. The first visit follows the system setting; a choice made with the
 * toggle is remembered in localStorage and wins from then on.
 */
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'gan-lab.theme';

function stored(): Theme | null {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null;
  }
}

function systemTheme(): Theme {
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

class ThemeState {
  current = $state<Theme>(stored() ?? systemTheme());

  constructor() {
    apply(this.current);
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
      if (stored() === null) this.set(systemTheme(), false);
    });
  }

  set(theme: Theme, remember = true): void {
    // The attribute changes first, so charts reading CSS variables on this change see the new ones.
    apply(theme);
    this.current = theme;
    if (remember) {
      try {
        localStorage.setItem(STORAGE_KEY, theme);
      } catch {
        // Storage can be unavailable (private windows); the theme still applies for this session.
      }
    }
  }

  toggle(): void {
    this.set(this.current === 'dark' ? 'light' : 'dark');
  }
}

export const theme = new ThemeState();
