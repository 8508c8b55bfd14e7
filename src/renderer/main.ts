/**
 * Start-up: apply the theme before the first paint, connect to the app once (Electron's preload
 * or browser mode's WebSocket), then mount the shell with that connection.
 */
import { mount } from 'svelte';
import { config as zodConfig } from 'zod';
import App from './App.svelte';
import StartupError from './StartupError.svelte';
import { errorMessage } from './lib/api.js';
import { createClient } from './lib/client.js';
import './lib/theme.svelte.js';
import './styles/app.css';

// The page's CSP forbids eval; tell zod (used by the contract's client) not to probe for it.
zodConfig({ jitless: true });

const target = document.getElementById('app')!;

createClient().then(
  (api) => mount(App, { target, props: { api } }),
  (error: unknown) => mount(StartupError, { target, props: { message: errorMessage(error) } }),
);
