/**
 * One run open in several widgets at once: monitors and views in one
 * notebook, a runs-panel tab beside them, and a second notebook. Each fills
 * in and keeps updating, and closing one leaves the others going.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { openNewNotebook, waitForIdleKernel, writeNotebook } from './helpers';
import { IWriter, startWriter } from './writer';

const MONITORS = '.jp-runwatch-monitor';
const VIEWS = '.jp-runwatch-plots';

/** The last `tick N` shown by each monitor on the page, in DOM order. */
async function monitorTicks(page: IJupyterLabPageFixture): Promise<number[]> {
  return page.evaluate(selector => {
    return Array.from(document.querySelectorAll(selector)).map(monitor => {
      const ticks = Array.from(
        monitor.querySelectorAll('.jp-runwatch-log-line')
      )
        .map(line => /tick (\d+)/.exec(line.textContent ?? '')?.[1])
        .filter(Boolean)
        .map(Number);
      return ticks.length ? ticks[ticks.length - 1] : -1;
    });
  }, MONITORS);
}

/** The largest x in the `train` plot of each view on the page (-1: none). */
async function viewLastX(page: IJupyterLabPageFixture): Promise<number[]> {
  return page.evaluate(selector => {
    return Array.from(document.querySelectorAll(selector)).map(view => {
      const area = view.querySelector(
        '.jp-runwatch-plot[data-group="train"] .jp-runwatch-plot-area'
      ) as any;
      const xs: number[] = (area?.data ?? [])
        .filter((t: any) => t.hoverinfo !== 'skip')
        .flatMap((t: any) => Array.from(t.x as ArrayLike<number>));
      return xs.length ? Math.max(...xs) : -1;
    });
  }, VIEWS);
}

/** Wait until every entry of `read` has moved past where it is now. */
async function expectAllAdvance(
  read: () => Promise<number[]>,
  count: number
): Promise<void> {
  await expect
    .poll(async () => (await read()).filter(v => v > 0).length, {
      timeout: 15000
    })
    .toBe(count);
  const before = await read();
  await expect
    .poll(
      async () => {
        const now = await read();
        return now.every((v, i) => v > before[i]);
      },
      { timeout: 15000 }
    )
    .toBe(true);
}

async function addCell(
  page: IJupyterLabPageFixture,
  source: string
): Promise<void> {
  const last = (await page.notebook.getCellCount()) - 1;
  await page.notebook.setCell(last, 'code', source);
  await page.notebook.runCell(last);
}

let writer: IWriter | undefined;

test.afterEach(() => {
  writer?.stop();
  writer = undefined;
});

test('one run in monitors, views, a panel tab and two notebooks: all load and follow it', async ({
  page,
  request,
  tmpPath
}) => {
  writer = await startWriter();
  await openNewNotebook(page, request, `${tmpPath}/first.ipynb`);
  // monitor + view + monitor + view, all of the same live run.
  await page.notebook.setCell(0, 'code', '%monitor -1');
  await page.notebook.runCell(0);
  await addCell(page, '%view -1');
  await addCell(page, '%monitor -1');
  await addCell(page, '%view -1');
  await expect(page.locator(MONITORS)).toHaveCount(2);
  await expect(page.locator(VIEWS)).toHaveCount(2);
  for (const select of await page
    .locator(`${VIEWS} .jp-runwatch-plots-rule select`)
    .all()) {
    await select.selectOption('raw');
  }
  await expectAllAdvance(() => monitorTicks(page), 2);
  await expectAllAdvance(() => viewLastX(page), 2);
  await expect(
    page.locator(`${VIEWS} .jp-runwatch-plots-status`)
  ).not.toHaveText([/no stats yet/, /no stats yet/]);

  // Close the first monitor (re-running its cell replaces the output): the
  // other widgets of the run keep following it.
  await page.notebook.setCell(0, 'code', '1 + 1');
  await page.notebook.runCell(0);
  await expect(page.locator(MONITORS)).toHaveCount(1);
  await expectAllAdvance(() => monitorTicks(page), 1);
  await expectAllAdvance(() => viewLastX(page), 2);

  // The runs panel's monitor of the same run, in a tab beside the notebook.
  await page.sidebar.openTab('runwatch-runs-panel');
  const item = page.locator('.jp-runwatch-run', { hasText: writer!.run });
  await item.locator('.jp-runwatch-run-name').click();
  await expect(page.locator('.jp-runwatch-monitor-panel')).toBeVisible();
  await expect(page.locator(MONITORS)).toHaveCount(2);
  await expectAllAdvance(() => monitorTicks(page), 2);

  // A second notebook, split to the right, viewing the run while the first
  // one still does.
  const second = `${tmpPath}/second.ipynb`;
  writeNotebook(second, {}, '');
  // Nothing comes back: the opened panel can't be serialized to the test.
  await page.evaluate(async path => {
    await (window as any).jupyterapp.commands.execute('docmanager:open', {
      path,
      options: { mode: 'split-right' }
    });
  }, second);
  await waitForIdleKernel(request, second);
  await page.notebook.setCell(0, 'code', '%view -1');
  await page.notebook.runCell(0);
  const secondView = page.locator(`.jp-NotebookPanel:visible ${VIEWS}`);
  await expect(secondView).toHaveCount(1);
  await secondView
    .locator('.jp-runwatch-plots-rule select')
    .selectOption('raw');
  await expect
    .poll(async () => (await viewLastX(page)).filter(v => v > 0).length, {
      timeout: 15000
    })
    .toBe(3);
  await expectAllAdvance(() => viewLastX(page), 3);
});

test('a view of a run that has finished says finished, not live', async ({
  page,
  request,
  tmpPath
}) => {
  const done = await startWriter({
    source: [
      'import runwatch',
      "run = runwatch.new_run('done')",
      'print(run, flush=True)',
      'with runwatch.to_run(run):',
      '    for step in range(5):',
      "        runwatch.stats.last('train.step', step)"
    ].join('\n')
  });
  await new Promise(resolve => done.process.on('exit', resolve));
  await openNewNotebook(page, request, `${tmpPath}/done.ipynb`);
  await page.notebook.setCell(0, 'code', `%view '${done.run}'`);
  await page.notebook.runCell(0);
  const view = page.locator(VIEWS);
  await expect(
    view.locator('.jp-runwatch-plot[data-group="train"]')
  ).toBeVisible();
  await expect(view.locator('.jp-runwatch-plots-mode')).toHaveText('finished');
});
