/**
 * `gan-lab`: train, inspect, resume, delete and export runs from a terminal. Every subcommand
 * takes --db and --json; bad input ends with one line naming the problem and a non-zero exit.
 */
import { Command, CommanderError, Option } from 'commander';
import { EXPORT_FORMATS, ExportStyleSchema } from '../../shared/contract.js';
import { FIGURES, PHASE_CHOICES } from '../../shared/figures/model.js';
import { ConfigError } from '../../shared/validate.js';
import { PRESET_NAMES } from '../../shared/presets.js';
import { defaultDbPath } from '../app-paths.js';
import { BACKENDS } from '../engine/backend.js';
import { ENGINES } from '../engine/trainer.js';
import { DatasetError } from '../engine/datasets.js';
import { FormulaError } from '../engine/formula.js';
import { openStore, type RunStore } from '../store/index.js';
import { requireRun, UserError } from '../service/runs.js';
import { APP_VERSION } from '../service/version.js';
import { collect, layerList, nonNegativeInt, numberWithin, positiveInt, smoothingWeight } from './args.js';
import { exportCommand, type ExportFlags } from './export.js';
import { printJson, printRun, printRunsTable, runJson } from './output.js';
import { serveCommand, startCommand, type ServeFlags } from './serve.js';
import { sweepCommand } from './sweep.js';
import { configFromFlags, EXIT_CODES_HELP, exitFor, ExitWith, runTraining, trainCommand, type TrainFlags } from './train.js';

interface CommonFlags {
  db?: string;
  json?: boolean;
}

function withCommon(cmd: Command): Command {
  return cmd
    .option('--db <file>', 'the run database (default: the app\'s per-user database, or $GAN_LAB_DB)')
    .option('--json', 'print machine-readable JSON');
}

function open(flags: CommonFlags): RunStore {
  return openStore(flags.db ?? defaultDbPath());
}

async function withStore<T>(flags: CommonFlags, fn: (store: RunStore) => T | Promise<T>): Promise<T> {
  const store = open(flags);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

const style = ExportStyleSchema.shape;

export function buildProgram(): Command {
  const program = new Command('gan-lab')
    .description('GAN Lab: train, record, replay and compare generative adversarial networks')
    .version(APP_VERSION)
    .showHelpAfterError('(run with --help for usage)');

  withCommon(program.command('train').description('train a new run'))
    .addOption(new Option('--preset <name>', 'start from a preset').choices(PRESET_NAMES))
    .option('--config <file>', 'a JSON run configuration (applied over the preset)')
    .option('--set <path=value>', 'set one field, e.g. schedule.batchSize=128 (repeatable)', collect)
    .option('--iterations <n>', 'iterations to train', positiveInt)
    .option('--seed <n>', 'random seed', nonNegativeInt)
    .option('--name <name>', 'a name for the run')
    .option('--points-csv <file>', 'train on 2-D points from a CSV file (dataset.kind=points)')
    .addOption(new Option('--backend <name>', 'tfjs backend (default: best available)').choices([...BACKENDS, 'auto']))
    .addOption(new Option('--engine <name>', 'training engine: fused (fast: WebAssembly SIMD, or TypeScript without it) where it applies, or tfjs').choices([...ENGINES]))
    .option('--seeds <list>', 'train a sweep of seeds side by side, e.g. 1-8 or 1,3,5 (one run each)')
    .action(async (flags: TrainFlags & CommonFlags) => {
      if (flags.seeds !== undefined) {
        if (flags.seed !== undefined) throw new UserError('use either --seed or --seeds, not both');
        await sweepCommand(flags.db ?? defaultDbPath(), configFromFlags(flags), flags.seeds, flags);
        return;
      }
      exitFor(await withStore(flags, (store) => trainCommand(store, flags)));
    })
    .addHelpText('after', EXIT_CODES_HELP);

  withCommon(program.command('resume').argument('<run>', 'run id or name').description('continue a stopped or interrupted run from its last checkpoint'))
    .option('--until <n>', 'continue to this many iterations (default: the planned total)', positiveInt)
    .addOption(new Option('--backend <name>', 'tfjs backend').choices([...BACKENDS, 'auto']))
    .addOption(new Option('--engine <name>', 'training engine').choices([...ENGINES]))
    .action(async (ref: string, flags: CommonFlags & { until?: number; backend?: TrainFlags['backend']; engine?: TrainFlags['engine'] }) => {
      exitFor(await withStore(flags, (store) => runTraining(store, requireRun(store, ref).id, flags.until, flags)));
    })
    .addHelpText('after', EXIT_CODES_HELP);

  withCommon(program.command('runs').description('list runs, newest first')).action((flags: CommonFlags) =>
    withStore(flags, (store) => {
      const runs = store.listRuns();
      if (flags.json) printJson(runs.map(runJson));
      else printRunsTable(runs);
    }),
  );

  withCommon(program.command('show').argument('<run>', 'run id or name').description('show one run')).action(
    (ref: string, flags: CommonFlags) =>
      withStore(flags, (store) => {
        const run = requireRun(store, ref);
        if (flags.json) printJson(runJson(run));
        else printRun(run, store.metricSeries(run.id).at(-1));
      }),
  );

  withCommon(program.command('delete').argument('<run>', 'run id or name').description('delete a run and everything recorded for it')).action(
    (ref: string, flags: CommonFlags) =>
      withStore(flags, (store) => {
        const run = requireRun(store, ref);
        if (run.status === 'running') throw new UserError(`run ${run.id} is running; stop it first`);
        store.deleteRun(run.id);
        if (flags.json) printJson({ deleted: run.id, name: run.name });
        else console.log(`deleted run ${run.id} (${run.name})`);
      }),
  );

  withCommon(program.command('export').argument('<run>', 'run id or name').description("export a figure: an image, a GIF over the snapshot steps, or the data it shows"))
    .addOption(new Option('--figure <name>', 'which figure').choices(FIGURES).makeOptionMandatory())
    .addOption(new Option('--format <format>', 'file format').choices(EXPORT_FORMATS).default('csv'))
    .option('--step <n>', 'snapshot step (default: the newest); for losses and metrics, where the step line stands', nonNegativeInt)
    .addOption(new Option('--phase <phase>', "features: D's feature layer at one phase, or two overlaid (default: after-g)").choices(PHASE_CHOICES))
    .option('--layers <list>', 'samples: layers to draw over them, any of heatmap,manifold,arrows', layerList)
    .option('--smoothing <w>', 'losses: smoothing weight in [0, 1), e.g. 0.9', smoothingWeight)
    .option('--log-scale', 'losses and metrics: a logarithmic y axis')
    .option('--scale <n>', 'PNG and GIF: pixels per figure unit, 1 to 4 (default: 1)', numberWithin(style.scale.unwrap()))
    .addOption(new Option('--background <kind>', 'PNG, SVG and PDF background (default: white)').choices(ExportStyleSchema.shape.background.unwrap().options))
    .option('--fps <n>', 'GIF: frames per second (default: 2)', numberWithin(style.fps.unwrap()))
    .option('--width <n>', 'figure width (default: 800)', numberWithin(style.width.unwrap()))
    .option('--height <n>', 'figure height (default: 500)', numberWithin(style.height.unwrap()))
    .option('--out <file>', 'output file, or - for standard output (default: a generated name in the current folder)')
    .addOption(new Option('--all-steps', 'one file per snapshot step, into a new folder').conflicts(['out', 'step']))
    .option('--out-dir <dir>', 'with --all-steps: where the new folder goes (default: the current folder)')
    .action((ref: string, flags: CommonFlags & ExportFlags) => withStore(flags, (store) => exportCommand(store, ref, flags)))
    .addHelpText('after', '\nA GIF or --all-steps shows its progress on a terminal; Ctrl-C cancels it with nothing written (exit 130).');

  withCommon(program.command('serve').description('browser mode: serve the app on 127.0.0.1 for a browser'))
    .option('--port <n>', 'port (default: any free one)', nonNegativeInt)
    .option('--new-token', 'replace the access token kept beside the database (addresses printed before stop working)')
    .option('--no-open', 'do not open the address in the default browser')
    .action(async (flags: CommonFlags & Omit<ServeFlags, 'db'>) => {
      await serveCommand({ ...flags, db: flags.db ?? defaultDbPath() });
    });

  withCommon(program.command('start').description('start the desktop app (browser mode where Electron is not installed)'))
    .option('--port <n>', 'port for browser mode', nonNegativeInt)
    .option('--new-token', "browser mode: replace the access token kept beside the database")
    .option('--no-open', 'browser mode: do not open the address in the default browser')
    .action(async (flags: CommonFlags & Omit<ServeFlags, 'db'>) => {
      await startCommand({ ...flags, db: flags.db ?? defaultDbPath() });
    });

  return program;
}

/** Errors a person caused or can fix: shown as one line, without a stack. */
function isUserFacing(err: unknown): err is Error {
  if (err instanceof UserError || err instanceof ConfigError || err instanceof FormulaError || err instanceof DatasetError) return true;
  // SQLite's own messages (a corrupt or unreadable file, a newer schema) are clear enough.
  return err instanceof Error && (err.name === 'SqliteError' || /database|schema version/.test(err.message));
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode; // commander has already printed its one line
    if (err instanceof ExitWith) return err.code; // the command has already printed its result
    if (isUserFacing(err)) {
      process.stderr.write(`gan-lab: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`gan-lab: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.GAN_LAB_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 70;
  }
}
