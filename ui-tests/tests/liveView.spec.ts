/**
 * `%view` shows every row that reaches the disk, through writer pauses and
 * rule switches (issue: the raw rule froze after the first rows). Reads
 * plotly's trace data in the page, against a real writer process.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { openNewNotebook } from './helpers';
import { IWriter, startWriter } from './writer';

const VIEW = '.jp-OutputArea-output .jp-runwatch-plots';

interface IPhases {
  /** Rows written first, and at what rate. */
  firstRows: number;
  firstHz: number;
  /** Then a pause, then rows at `thenHz` until stopped. */
  pauseS: number;
  thenHz: number;
}

/** A writer of one `last` channel whose value is the row's index. */
function probeWriter(phases: IPhases): Promise<IWriter> {
  return startWriter({
    source: [
      'import time, runwatch',
      "run = runwatch.new_run('probe')",
      'print(run, flush=True)',
      'with runwatch.to_run(run):',
      '    k = 0',
      `    for _ in range(${phases.firstRows}):`,
      "        runwatch.stats.last('probe.token', k)",
      "        print('row', k, flush=True)",
      '        k += 1',
      `        time.sleep(${1 / phases.firstHz})`,
      `    time.sleep(${phases.pauseS})`,
      '    while True:',
      "        runwatch.stats.last('probe.token', k)",
      "        print('row', k, flush=True)",
      '        k += 1',
      `        time.sleep(${1 / phases.thenHz})`
    ].join('\n')
  });
}

/** The last row index the writer has written (-1 before the first). */
function lastWritten(writer: IWriter): number {
  const rows = [...writer.stdout().matchAll(/^row (\d+)$/gm)];
  return rows.length ? Number(rows[rows.length - 1][1]) : -1;
}

/** The probe plot's line: how many points, and the values drawn. */
async function probeTrace(page: IJupyterLabPageFixture) {
  return page.evaluate(selector => {
    const area = document.querySelector(
      `${selector} .jp-runwatch-plot[data-group="probe"] .jp-runwatch-plot-area`
    ) as any;
    const line = (area?.data ?? []).find((t: any) => t.hoverinfo !== 'skip');
    if (!line) {
      return { points: 0, max: -1, distinct: 0 };
    }
    const ys = Array.from(line.y as ArrayLike<number>).filter(isFinite);
    return {
      points: line.x.length as number,
      max: ys.length ? Math.max(...ys) : -1,
      distinct: new Set(ys).size
    };
  }, VIEW);
}

/** Pick `rule` and wait until the plots are drawn at it. */
async function setRule(page: IJupyterLabPageFixture, rule: string) {
  await page
    .locator(`${VIEW} .jp-runwatch-plots-rule select`)
    .selectOption(rule);
  // The old rule's trace may already look caught up: wait for the new one.
  await expect(page.locator(VIEW)).toHaveAttribute('data-drawn-rule', rule, {
    timeout: 10000
  });
}

/** Wait until the plot shows the row the writer has just written. */
async function expectCaughtUp(page: IJupyterLabPageFixture, writer: IWriter) {
  const target = lastWritten(writer);
  await expect
    .poll(() => probeTrace(page).then(t => t.max), { timeout: 5000 })
    .toBeGreaterThanOrEqual(target);
}

/** At the raw rule, every row is a point: 0..max, none missing or doubled. */
async function expectEveryRow(page: IJupyterLabPageFixture) {
  const trace = await probeTrace(page);
  expect(trace.points).toBe(trace.max + 1);
  expect(trace.distinct).toBe(trace.max + 1);
}

async function openView(
  page: IJupyterLabPageFixture,
  request: any,
  notebook: string
) {
  await openNewNotebook(page, request, notebook);
  await page.notebook.setCell(0, 'code', '%view -1');
}

let writer: IWriter | undefined;

test.afterEach(() => {
  writer?.stop();
  writer = undefined;
});

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

test.describe('%view keeps up with the writer', () => {
  const cases: [string, IPhases, number][] = [
    // [what, the writer's phases, when the view opens (s after start)]
    [
      '120 rows at 20 Hz, a pause, then 4 Hz; opened at 1.5 s',
      { firstRows: 120, firstHz: 20, pauseS: 4, thenHz: 4 },
      1.5
    ],
    [
      '1 row, a pause, then 4 Hz; opened during the pause',
      { firstRows: 1, firstHz: 20, pauseS: 4, thenHz: 4 },
      1
    ],
    [
      '5 rows, a pause, then 4 Hz; opened during the pause',
      { firstRows: 5, firstHz: 20, pauseS: 4, thenHz: 4 },
      1
    ],
    [
      '4 Hz from the start, no pause',
      { firstRows: 0, firstHz: 1, pauseS: 0, thenHz: 4 },
      1
    ]
  ];
  for (const [what, phases, openAtS] of cases) {
    test(`raw rule: ${what}`, async ({ page, request, tmpPath }) => {
      await openView(page, request, `${tmpPath}/view.ipynb`);
      writer = await probeWriter(phases);
      await sleep(openAtS * 1000);
      await page.notebook.runCell(0);
      await expect(page.locator(VIEW)).toBeVisible();
      await setRule(page, 'raw');
      // Past the pause and a few rows of the second phase.
      const firstPhaseS = phases.firstRows / phases.firstHz;
      await sleep(Math.max(0, (firstPhaseS + phases.pauseS - openAtS) * 1000));
      await sleep(2500);
      await expectCaughtUp(page, writer);
      await expectEveryRow(page);
      // And it keeps going.
      await sleep(1500);
      await expectCaughtUp(page, writer);
      await expectEveryRow(page);
    });
  }

  test('1 s and 60 s rules, and switching rules during a pause, lose nothing', async ({
    page,
    request,
    tmpPath
  }) => {
    await openView(page, request, `${tmpPath}/rules.ipynb`);
    writer = await probeWriter({
      firstRows: 40,
      firstHz: 20,
      pauseS: 4,
      thenHz: 4
    });
    await sleep(1000);
    await page.notebook.runCell(0);
    await expect(page.locator(VIEW)).toBeVisible();
    await setRule(page, '1');
    await sleep(2000);
    // In the pause: switch to raw and back while nothing is written.
    await setRule(page, 'raw');
    await expectCaughtUp(page, writer);
    await expectEveryRow(page);
    await setRule(page, '60');
    await sleep(4000);
    // The 60 s bucket still filling shows the latest value.
    await expectCaughtUp(page, writer);
    await setRule(page, '1');
    await sleep(1500);
    await expectCaughtUp(page, writer);
    await setRule(page, 'raw');
    await expectCaughtUp(page, writer);
    await expectEveryRow(page);
  });
});

test('a paused view says what it has not drawn, and catches up on resume', async ({
  page,
  request,
  tmpPath
}) => {
  await openView(page, request, `${tmpPath}/paused.ipynb`);
  writer = await probeWriter({
    firstRows: 0,
    firstHz: 1,
    pauseS: 0,
    thenHz: 8
  });
  await sleep(1000);
  await page.notebook.runCell(0);
  await setRule(page, 'raw');
  await expectCaughtUp(page, writer);
  const status = page.locator(`${VIEW} .jp-runwatch-plots-status`);
  await page.locator(`${VIEW} .jp-runwatch-plots-pause`).click();
  const drawn = (await probeTrace(page)).max;
  await expect(status).toHaveText(/paused · ([1-9]\d*) new rows? not drawn/, {
    timeout: 5000
  });
  expect((await probeTrace(page)).max).toBe(drawn);
  await page.locator(`${VIEW} .jp-runwatch-plots-pause`).click();
  await expect(status).toHaveText(/caught up [1-9]\d* rows?/);
  await expectCaughtUp(page, writer);
  await expectEveryRow(page);
});
