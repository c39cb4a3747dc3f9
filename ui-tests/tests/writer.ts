/**
 * A background Python process that writes a run the way training code does,
 * for the monitor's Galata specs.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { PYTHON, SERVER_ROOT } from './helpers';

/** The store the test server reads (start-server.sh sets RUNWATCH_ROOT). */
export const STORE_ROOT = path.join(SERVER_ROOT, 'runs');

/**
 * Creates a run, adds a channel with a garbage header, then every 0.2 s
 * logs `tick N`, records `train.step` (last) and `train.loss` (mean), and
 * once writes a log line with invalid UTF-8.
 */
const WRITER_SOURCE = `
import json, logging, os, sys, time
import runwatch
run = runwatch.new_run('galata', description='a Galata writer')
folder = os.path.join(runwatch.store_root(), run)
with open(os.path.join(folder, 'stats.broken.0.npr'), 'wb') as f:
    f.write(b'this is not an npy header at all' * 4)
info_path = os.path.join(folder, '_info.json')
info = json.load(open(info_path))
info.setdefault('_files', {})['stats.broken.0.npr'] = {
    '_pattern': 'stats.broken.{n}.npr', '_created': info['_created'],
    '_process_id': str(os.getpid()), '_process_name': 'MainProcess',
    '_thread_id': '0', '_thread_name': 'MainThread', 'kind': 'last'}
with open(info_path + '.tmp', 'w') as f:
    json.dump(info, f)
os.replace(info_path + '.tmp', info_path)
print(run, flush=True)
log = logging.getLogger('train')
with runwatch.to_run(run):
    for step in range(100000):
        log.info('tick %d', step)
        runwatch.stats.last('train.step', step)
        runwatch.stats.mean('train.loss', 1.0 / (step + 1))
        if step == 3:
            logs = [n for n in os.listdir(folder) if n.startswith('logs.')]
            with open(os.path.join(folder, sorted(logs)[0]), 'ab') as f:
                f.write(b'bad bytes \\xff\\xfe here\\n')
        time.sleep(0.2)
`;

/** A running writer and the name of its run. */
export interface IWriter {
  run: string;
  process: ChildProcess;
  /** Everything it printed so far, its run's name first. */
  stdout(): string;
  stop(): void;
}

/** What `startWriter` runs, and where. */
export interface IWriterOptions {
  /**
   * The Python source to run with `-c`; it must print its run's name first.
   * By default the monitor specs' writer described above.
   */
  source?: string;
  /** The store it writes to (`RUNWATCH_ROOT`); by default `STORE_ROOT`. */
  storeRoot?: string;
  /** Start it in its own process group (to stop it with its group). */
  detached?: boolean;
  /** More environment (e.g. `RUNWATCH_HEARTBEAT_S`). */
  env?: Record<string, string>;
}

/** Start a writer and wait for it to print its run's name. */
export async function startWriter(
  options: IWriterOptions = {}
): Promise<IWriter> {
  const child = spawn(PYTHON, ['-c', options.source ?? WRITER_SOURCE], {
    env: {
      ...process.env,
      RUNWATCH_ROOT: options.storeRoot ?? STORE_ROOT,
      ...options.env
    },
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stderr = '';
  child.stderr!.on('data', chunk => (stderr += String(chunk)));
  let out = '';
  const run = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', chunk => {
      out += String(chunk);
      const newline = out.indexOf('\n');
      if (newline >= 0) {
        resolve(out.slice(0, newline));
      }
    });
    child.on('exit', code =>
      reject(new Error(`writer exited with ${code}: ${stderr}`))
    );
  });
  return {
    run,
    process: child,
    stdout: () => out,
    stop: () => {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
      }
    }
  };
}
