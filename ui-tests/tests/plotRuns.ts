/**
 * Runs for the plots' Galata specs, made by `bench/review_bench.py`, and
 * running a plot magic in a fresh notebook.
 */
import { IJupyterLabPageFixture } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { openNewNotebook, PYTHON } from './helpers';
import { STORE_ROOT } from './writer';

const MAKE_RUN = path.resolve(
  __dirname,
  '..',
  '..',
  'bench',
  'review_bench.py'
);

export interface IChannelSpec {
  name: string;
  kind: string;
  rows: number;
  spike?: [number, number];
  /** Multiplies the values (a counter beside a rate). */
  scale?: number;
}

/** Make a finished run with `bench/review_bench.py`; returns its name. */
export function makeRun(
  channels: IChannelSpec[],
  params: Record<string, unknown> = {},
  suffix = '',
  dataSeed = 0,
  timing: { spanS: number; agoS: number } = { spanS: 3900, agoS: 3960 }
): string {
  // By default created 3960 s ago, rows over 3900 s: a finished run, its
  // rows in the past, so it opens at the 60 s rule as an hour-long run does.
  const spec = JSON.stringify({
    channels,
    params,
    suffix,
    span_s: timing.spanS,
    ago_s: timing.agoS,
    data_seed: dataSeed
  });
  return execFileSync(PYTHON, [MAKE_RUN, spec], {
    env: { ...process.env, RUNWATCH_ROOT: STORE_ROOT },
    encoding: 'utf-8'
  }).trim();
}

/** Run `magic` (e.g. `%review -1`) in cell 0 of a fresh notebook. */
export async function runMagic(
  page: IJupyterLabPageFixture,
  request: any,
  notebook: string,
  magic: string
): Promise<void> {
  await openNewNotebook(page, request, notebook);
  await page.notebook.setCell(
    0,
    'code',
    `_ = get_ipython().extension_manager.load_extension('runwatch')\n${magic}`
  );
  await page.notebook.runCell(0);
}

/**
 * Which plots of the page plotly has built, in grid order (`plotly`, or
 * `sketch` while a review's plot is painted but not yet built): a test of
 * plotly's layout waits for every one. A plot showing only its errors
 * draws nothing and is left out.
 */
export function paintedBy(page: IJupyterLabPageFixture): Promise<string[]> {
  return page
    .locator('.jp-OutputArea-output .jp-runwatch-plot:not(.jp-mod-error)')
    .evaluateAll(cells =>
      cells.map(c => (c as HTMLElement).dataset.painted ?? '')
    );
}

/** Every plot of the page built by plotly. */
export async function allBuilt(page: IJupyterLabPageFixture): Promise<boolean> {
  const painted = await paintedBy(page);
  return painted.length > 0 && painted.every(p => p === 'plotly');
}
