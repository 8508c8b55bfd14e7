export interface CommandResult {
  ok: boolean;
  /** The last line of its output: enough to say why it failed. */
  detail: string;
}
export interface ChromiumDeps {
  find(): string | undefined;
  isRoot(): boolean;
  hasAptGet(): boolean;
  run(cmd: string, args: string[]): CommandResult;
  log(line: string): void;
}
export declare const systemDeps: ChromiumDeps;
export declare function findChromium(env?: NodeJS.ProcessEnv): string | undefined;
export declare function ensureChromium(deps?: ChromiumDeps): { path: string; reason?: undefined } | { path?: undefined; reason: string };
export declare function browserTestFiles(root?: string): string[];
