/**
 * Review and view plots (`%review`, `%view`) against the real server
 * extension, with runs made by `bench/review_bench.py` and a live writer.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { onDisk, PYTHON } from './helpers';
import { allBuilt, makeRun, runMagic } from './plotRuns';
import { IWriter, startWriter, STORE_ROOT } from './writer';

const SCREENSHOTS = path.resolve(__dirname, '..', 'screenshots');
const PLOTS = '.jp-OutputArea-output .jp-runwatch-plots';

/** Add a channel whose header is garbage to `run`. */
function addBrokenChannel(run: string): void {
  const folder = path.join(STORE_ROOT, run);
  fs.writeFileSync(
    path.join(folder, 'stats.broken.0.npr'),
    'not an npy header'.repeat(8)
  );
  const infoPath = path.join(folder, '_info.json');
  const info = JSON.parse(fs.readFileSync(infoPath, 'utf-8'));
  info._files['stats.broken.0.npr'] = {
    _pattern: 'stats.broken.{n}.npr',
    _created: info._created,
    kind: 'last'
  };
  fs.writeFileSync(infoPath, JSON.stringify(info));
}

/** `range` is under 60 % of `span`'s width (a drag-zoom happened). */
function narrowed(range: number[] | undefined, span: number[]): boolean {
  return !!range && range[1] - range[0] < 0.6 * (span[1] - span[0]);
}

/** Facts about one plot's traces, computed in the page. */
async function plotFacts(page: IJupyterLabPageFixture, group: string) {
  return page.evaluate(g => {
    const area = document.querySelector(
      `.jp-runwatch-plot[data-group="${g}"] .jp-runwatch-plot-area`
    ) as any;
    if (!area?.data) {
      return null;
    }
    const lines = area.data.filter((t: any) => t.hoverinfo !== 'skip');
    const bands = area.data.filter((t: any) => t.hoverinfo === 'skip');
    const max = (traces: any[]) =>
      Math.max(
        ...traces.map((t: any) =>
          Math.max(...Array.from(t.y as ArrayLike<number>).filter(isFinite))
        )
      );
    return {
      lines: lines.length,
      bands: bands.length,
      colours: [...new Set(lines.map((t: any) => t.line.color))],
      lineMax: lines.length ? max(lines) : NaN,
      bandMax: bands.length ? max(bands) : NaN,
      points: Math.max(...area.data.map((t: any) => t.x.length)),
      lastX: Math.max(...lines.map((t: any) => t.x[t.x.length - 1] as number)),
      widthPx: area._fullLayout?._size?.w ?? 0,
      xRange: area.layout.xaxis.range as number[] | undefined,
      yRange: area.layout.yaxis.range as number[] | undefined,
      yTicks: area.layout.yaxis.ticktext as string[]
    };
  }, group);
}

/**
 * Whether the plot's canvas is painted at its highest line point (a spike)
 * and in the plot's empty top-left corner: what the user sees of the lines.
 */
async function paintedAtMax(page: IJupyterLabPageFixture, group: string) {
  return page.evaluate(g => {
    const area = document.querySelector(
      `.jp-runwatch-plot[data-group="${g}"] .jp-runwatch-plot-area`
    ) as any;
    const canvas = area?.querySelector(
      'canvas.jp-runwatch-plot-lines'
    ) as HTMLCanvasElement | null;
    const line = area?.data?.find((t: any) => t.hoverinfo !== 'skip');
    if (!canvas || !line) {
      return null;
    }
    const ys = Array.from(line.y as ArrayLike<number>);
    const at = ys.indexOf(Math.max(...ys.filter(isFinite)));
    const xa = area._fullLayout.xaxis;
    const ya = area._fullLayout.yaxis;
    const ratio = canvas.width / canvas.clientWidth;
    const painted = (px: number, py: number) => {
      const data = canvas
        .getContext('2d')!
        .getImageData(
          Math.round(px * ratio) - 2,
          Math.round(py * ratio) - 2,
          5,
          5
        ).data;
      return data.some((v, i) => i % 4 === 3 && v > 0);
    };
    return {
      atMax: painted(
        xa._offset + xa.c2p(line.x[at]),
        ya._offset + ya.c2p(ys[at])
      ),
      corner: painted(xa._offset + 3, ya._offset + 3)
    };
  }, group);
}

async function setRule(page: IJupyterLabPageFixture, rule: string) {
  await page
    .locator(`${PLOTS} .jp-runwatch-plots-rule select`)
    .selectOption(rule);
}

let writer: IWriter | undefined;

test.afterEach(() => {
  writer?.stop();
  writer = undefined;
});

test.describe('plots', () => {
  test("%review -1 draws one plot per group, kind-aware, with errors in place, from the server's series", async ({
    page,
    request,
    tmpPath
  }) => {
    const run = makeRun(
      [
        { name: 'loss.train', kind: 'mean', rows: 4000 },
        { name: 'loss.eval', kind: 'mean', rows: 400 },
        { name: 'gpu.util', kind: 'mean_percent', rows: 2000 },
        { name: 'latency', kind: 'quantiles', rows: 2000 },
        { name: 'score', kind: 'mean_std', rows: 500 },
        { name: 'lr', kind: 'last', rows: 50 },
        { name: 'hidden', kind: 'silent' as string, rows: 10 }
      ].filter(c => c.kind !== 'silent')
    );
    addBrokenChannel(run);
    // The server reduces: the page asks for series, never for file bytes.
    const asked: string[] = [];
    page.on('request', r => {
      if (r.url().includes('/runwatch/api/runs/')) {
        asked.push(new URL(r.url()).pathname);
      }
    });
    await runMagic(page, request, `${tmpPath}/review.ipynb`, '%review -1');
    const plots = page.locator(PLOTS);
    await expect(plots).toBeVisible();
    await expect(plots.locator('.jp-runwatch-plots-title')).toHaveText(run);
    const groups = plots.locator('.jp-runwatch-plot');
    await expect(groups).toHaveCount(6); // broken, gpu, latency, loss, lr, score
    expect(
      await groups.evaluateAll(n =>
        n.map(e => (e as HTMLElement).dataset.group)
      )
    ).toEqual(['broken', 'gpu', 'latency', 'loss', 'lr', 'score']);
    await expect(
      plots.locator(
        '.jp-runwatch-plot[data-group="broken"] .jp-runwatch-plot-errors'
      )
    ).toContainText('stats.broken.0.npr');

    await expect
      .poll(() => plotFacts(page, 'loss').then(f => f?.lines))
      .toBe(2);
    // Once every channel is read, the status says how many there are.
    await expect(plots.locator('.jp-runwatch-plots-status')).toHaveText(
      '7 channels'
    );
    // plotly builds each sketched plot when the page is idle.
    await expect.poll(() => allBuilt(page)).toBe(true);
    const gpu = (await plotFacts(page, 'gpu'))!;
    expect(gpu.yRange).toEqual([0, 1]);
    expect(gpu.yTicks).toContain('100%');
    const score = (await plotFacts(page, 'score'))!;
    expect(score.bands).toBe(1); // the ±2σ band
    const latency = (await plotFacts(page, 'latency'))!;
    expect(latency.bands).toBe(2); // two fans: 0–100 and 25–75
    expect(latency.lines).toBe(1); // the median, bold
    const ticks = await page.evaluate(
      () =>
        (
          document.querySelector(
            '.jp-runwatch-plot[data-group="loss"] .jp-runwatch-plot-area'
          ) as any
        ).layout.xaxis.ticktext
    );
    expect(ticks).toContain('0m');
    expect(ticks.some((t: string) => /^1h\d\d$/.test(t))).toBe(true);

    // Lines are named in the legend when a group has several labels.
    await expect(
      plots.locator('.jp-runwatch-plot[data-group="loss"] .legendtext')
    ).toHaveText(['eval', 'train']);

    // Screenshots, light then dark.
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.sidebar.close('left');
    await page.setViewportSize({ width: 1280, height: 1200 });
    await page.waitForTimeout(500);
    await plots.scrollIntoViewIfNeeded();
    await plots.screenshot({
      path: path.join(SCREENSHOTS, 'review-light.png')
    });
    await page.evaluate(async () => {
      await (window as any).jupyterapp.commands.execute(
        'apputils:change-theme',
        {
          theme: 'JupyterLab Dark'
        }
      );
    });
    await expect(page.locator('body')).toHaveAttribute(
      'data-jp-theme-light',
      'false'
    );
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (
              document.querySelector(
                '.jp-runwatch-plot[data-group="loss"] .jp-runwatch-plot-area'
              ) as any
            )._fullLayout.paper_bgcolor
        )
      )
      .not.toBe('rgb(255, 255, 255)');
    await page.waitForTimeout(500);
    await plots.screenshot({ path: path.join(SCREENSHOTS, 'review-dark.png') });
    await page.evaluate(async () => {
      await (window as any).jupyterapp.commands.execute(
        'apputils:change-theme',
        {
          theme: 'JupyterLab Light'
        }
      );
    });

    expect(asked.some(p => p.endsWith('/series'))).toBe(true);
    expect(asked.filter(p => p.includes('/files/'))).toEqual([]);
  });

  test('%view -1 grows while a writer appends, keeps the zoom, and unsubscribes when cleared', async ({
    page,
    request,
    tmpPath
  }) => {
    // What the page asks the server over the runwatch websocket.
    const sent: string[] = [];
    page.on('websocket', socket => {
      if (socket.url().includes('/runwatch/api/watch')) {
        socket.on('framesent', frame => sent.push(String(frame.payload)));
      }
    });
    writer = await startWriter();
    await runMagic(page, request, `${tmpPath}/view.ipynb`, '%view -1');
    const plots = page.locator(PLOTS);
    await expect(plots.locator('.jp-runwatch-plots-title')).toHaveText(
      writer.run
    );
    await setRule(page, 'raw');
    await expect
      .poll(() => plotFacts(page, 'train').then(f => f?.lastX ?? 0), {
        timeout: 15000
      })
      .toBeGreaterThan(0.5);
    const before = (await plotFacts(page, 'train'))!;
    // New raw rows are appended to the traces (extendTraces), not redrawn.
    await expect(
      plots.locator('.jp-runwatch-plot[data-group="train"]')
    ).toHaveAttribute('data-last-update', 'appended');

    // Drag-zoom like a user, over the middle of the plot.
    const span = (await plotFacts(page, 'train'))!.xRange!;
    const drag = plots
      .locator('.jp-runwatch-plot[data-group="train"] .nsewdrag')
      .first();
    const box = (await drag.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, {
      steps: 5
    });
    await page.mouse.up();
    // Zoomed: the x range (the grid's shared span before) narrows.
    await expect
      .poll(() => plotFacts(page, 'train').then(f => narrowed(f?.xRange, span)))
      .toBe(true);
    const zoomed = (await plotFacts(page, 'train'))!.xRange!;

    // New rows keep arriving; the zoom stays where the user put it.
    await expect
      .poll(() => plotFacts(page, 'train').then(f => f!.lastX), {
        timeout: 10000
      })
      .toBeGreaterThan(before.lastX + 1);
    expect((await plotFacts(page, 'train'))!.xRange).toEqual(zoomed);

    // Pause stops the updates; resume catches up.
    await plots.locator('.jp-runwatch-plots-pause').click();
    const paused = (await plotFacts(page, 'train'))!.lastX;
    await page.waitForTimeout(1000);
    expect((await plotFacts(page, 'train'))!.lastX).toBe(paused);
    await plots.locator('.jp-runwatch-plots-pause').click();
    await expect
      .poll(() => plotFacts(page, 'train').then(f => f!.lastX))
      .toBeGreaterThan(paused);

    // Clearing the output disposes the plots: they stop watching the run.
    const unwatch = JSON.stringify({ op: 'unwatch', run: writer.run });
    expect(sent).toContain(JSON.stringify({ op: 'watch', run: writer.run }));
    expect(sent).not.toContain(unwatch);
    await page.evaluate(async () => {
      await (window as any).jupyterapp.commands.execute(
        'notebook:clear-all-cell-outputs'
      );
    });
    await expect(plots).toHaveCount(0);
    await expect.poll(() => sent).toContain(unwatch);
  });

  test('a spike among 1 M rows is drawn, raw and as a band; CSV has every row', async ({
    page,
    request,
    tmpPath
  }) => {
    makeRun([
      {
        name: 'big.loss',
        kind: 'mean',
        rows: 1_000_000,
        spike: [500_000, 1e6]
      },
      { name: 'small.value', kind: 'last', rows: 1234 }
    ]);
    await runMagic(page, request, `${tmpPath}/spike.ipynb`, '%review -1');
    const plots = page.locator(PLOTS);
    await expect
      .poll(() => plotFacts(page, 'big').then(f => f?.lines), {
        timeout: 30000
      })
      .toBe(1);
    // 60 s buckets average the spike away; the min–max band still shows it.
    const bucketed = (await plotFacts(page, 'big'))!;
    expect(bucketed.lineMax).toBeLessThan(1e6);
    expect(bucketed.bandMax).toBe(1e6);
    // The lines are drawn on the plot's canvas from its first draw on.
    expect(await paintedAtMax(page, 'big')).toEqual({
      atMax: true,
      corner: false
    });
    await setRule(page, 'raw');
    await expect
      .poll(() => plotFacts(page, 'big').then(f => f!.lineMax))
      .toBe(1e6);
    const raw = (await plotFacts(page, 'big'))!;
    // And the spike, once drawn raw.
    await expect
      .poll(() => paintedAtMax(page, 'big'))
      .toEqual({ atMax: true, corner: false });
    expect(raw.points).toBeLessThanOrEqual(4 * raw.widthPx);
    expect(raw.points).toBeGreaterThan(raw.widthPx);

    // Zoom like a user to the middle tenth, around the spike: the rows
    // there are read again at full resolution, so far more points land in
    // that range than the whole-span view had, and the spike stays.
    const pointsIn = (fractions?: [number, number]) =>
      page.evaluate(f => {
        const area = document.querySelector(
          '.jp-runwatch-plot[data-group="big"] .jp-runwatch-plot-area'
        ) as any;
        let [lo, hi] = area._fullLayout.xaxis.range as number[];
        if (f) {
          [lo, hi] = [lo + (hi - lo) * f[0], lo + (hi - lo) * f[1]];
        }
        const line = area.data.find((t: any) => t.hoverinfo !== 'skip');
        return Array.from(line.x as ArrayLike<number>).filter(
          x => x >= lo && x <= hi
        ).length;
      }, fractions);
    const coarse = await pointsIn([0.45, 0.55]);
    const span = (await plotFacts(page, 'big'))!.xRange!;
    const drag = plots
      .locator('.jp-runwatch-plot[data-group="big"] .nsewdrag')
      .first();
    const box = (await drag.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.45, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2, {
      steps: 5
    });
    await page.mouse.up();
    // Zoomed: the x range (the grid's shared span before) narrows.
    await expect
      .poll(() => plotFacts(page, 'big').then(f => narrowed(f?.xRange, span)))
      .toBe(true);
    await expect
      .poll(() => pointsIn(), { timeout: 15000 })
      .toBeGreaterThan(3 * coarse);
    const zoomed = (await plotFacts(page, 'big'))!;
    expect(zoomed.lineMax).toBe(1e6);
    expect(zoomed.points).toBeLessThanOrEqual(4 * zoomed.widthPx + 8);

    // Down to the rows themselves: ±20 ms around the spiked row (rows are
    // 3.9 ms apart). Every row there is drawn, and the spike is its exact
    // value at its row's exact time (as numpy writes and reads it).
    const spikeAt = Number(
      execFileSync(PYTHON, [
        '-c',
        'import numpy as np; print(repr(float(np.linspace(0, 3900e9, 1_000_000, dtype=np.int64)[500_000]) / 1e9))'
      ]).toString()
    );
    await page.evaluate(t => {
      const area = document.querySelector(
        '.jp-runwatch-plot[data-group="big"] .jp-runwatch-plot-area'
      ) as any;
      // The event plotly emits when a drag zooms the x axis.
      area.emit('plotly_relayout', {
        'xaxis.range[0]': t - 0.02,
        'xaxis.range[1]': t + 0.02
      });
    }, spikeAt);
    const nearSpike = () =>
      page.evaluate(t => {
        const area = document.querySelector(
          '.jp-runwatch-plot[data-group="big"] .jp-runwatch-plot-area'
        ) as any;
        const line = area.data.find((d: any) => d.hoverinfo !== 'skip');
        const xs = Array.from(line.x as ArrayLike<number>);
        const ys = Array.from(line.y as ArrayLike<number>);
        const inside = xs
          .map((x, i) => [x, ys[i]])
          .filter(([x]) => x >= t - 0.02 && x <= t + 0.02);
        const peak = inside.find(([, y]) => y === 1e6);
        return {
          rows: inside.length,
          peakError: peak ? Math.abs(peak[0] - t) : Infinity
        };
      }, spikeAt);
    // The coarse trace already holds the spike (M4 keeps the max row); the
    // fine one, when it arrives, holds every row of those 0.04 s (10 or 11).
    await expect
      .poll(() => nearSpike().then(n => n.rows), { timeout: 15000 })
      .toBeGreaterThanOrEqual(10);
    expect((await nearSpike()).peakError).toBeLessThan(1e-9);

    // CSV: every row written, not the downsampled view.
    const cell = plots.locator('.jp-runwatch-plot[data-group="small"]');
    await cell.hover();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      cell.locator('.jp-runwatch-plot-button', { hasText: 'CSV' }).click()
    ]);
    const file = await download.path();
    const lines = fs.readFileSync(file!, 'utf-8').trimEnd().split('\n');
    expect(lines[0]).toBe('run,channel,t_seconds,value,x');
    expect(lines.length).toBe(1 + 1234);
  });

  test('a glob over 3 runs overlays them in 3 colours with the params that differ', async ({
    page,
    request,
    tmpPath
  }) => {
    for (const lr of [0.1, 0.01, 0.001]) {
      makeRun(
        [{ name: 'loss.train', kind: 'mean', rows: 500 }],
        { lr, batch: 64 },
        'compare-three'
      );
    }
    // Its own suffix: other specs' sweeps share the store.
    await runMagic(
      page,
      request,
      `${tmpPath}/compare.ipynb`,
      "%review '*compare-three*'"
    );
    const plots = page.locator(PLOTS);
    await expect(plots.locator('.jp-runwatch-plots-title')).toHaveText(
      /3 runs/
    );
    await expect
      .poll(() => plotFacts(page, 'loss').then(f => f?.colours.length))
      .toBe(3);
    const params = plots.locator('.jp-runwatch-plots-params');
    await expect(params.locator('th')).toHaveText(['run', 'lr']);
    await expect(params.locator('tbody tr')).toHaveCount(3);
    await expect(params).not.toContainText('batch');
  });

  test("a glob over 6 runs shares one grey band that keeps one run's spike", async ({
    page,
    request,
    tmpPath
  }) => {
    for (let run = 0; run < 6; run++) {
      const spike: [number, number] | undefined =
        run === 3 ? [2000, 1e4] : undefined;
      makeRun(
        [{ name: 'loss.train', kind: 'mean', rows: 3900, spike }],
        { lr: run },
        'compare-six',
        run
      );
    }
    const asked: string[] = [];
    page.on('request', r => {
      if (r.url().includes('/runwatch/api/series?')) {
        asked.push(r.url());
      }
    });
    await runMagic(
      page,
      request,
      `${tmpPath}/compare-six.ipynb`,
      "%review '*compare-six*'"
    );
    await expect
      .poll(() => plotFacts(page, 'loss').then(f => f?.colours.length))
      .toBe(6);
    const facts = (await plotFacts(page, 'loss'))!;
    // The 60 s means average the spike away; the one shared band keeps it.
    expect(facts.bands).toBe(1);
    expect(facts.bandMax).toBe(1e4);
    expect(facts.lineMax).toBeLessThan(1e3);
    const sharedBand = () =>
      page.evaluate(() => {
        const area = document.querySelector(
          '.jp-runwatch-plot[data-group="loss"] .jp-runwatch-plot-area'
        ) as any;
        const band = area.data.find((t: any) => t.meta?.runs);
        return {
          fill: band.meta.drawn.fillcolor as string,
          runs: band.meta.runs as number,
          max: Math.max(...(Array.from(band.y) as number[]).filter(isFinite))
        };
      });
    expect(await sharedBand()).toEqual({
      fill: 'rgba(128,128,128,0.3)',
      runs: 6,
      max: 1e4
    });
    // The server folded the six runs' bands into the one sent.
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('&band=shared');

    // Hiding the spiked run (a row of the params table) takes its spike out
    // of the band: each run's own band is asked for, and the five shown
    // runs' are folded in the page.
    const row = page
      .locator('table.jp-runwatch-plots-params tbody tr')
      .filter({ has: page.locator('td:last-child', { hasText: /^3$/ }) });
    await row.click();
    await expect(row).toHaveClass(/jp-runwatch-run-off/);
    await expect.poll(() => sharedBand().then(b => b.runs)).toBe(5);
    await expect.poll(() => sharedBand().then(b => b.max)).toBeLessThan(1e3);
    expect(asked).toHaveLength(2);
    expect(asked[1]).not.toContain('band=');
  });

  test('a saved review reopened without its runs still shows the plots', async ({
    page,
    request,
    tmpPath
  }) => {
    makeRun([{ name: 'loss.train', kind: 'mean', rows: 500 }]);
    const notebook = `${tmpPath}/saved.ipynb`;
    await runMagic(page, request, notebook, '%review -1');
    // The review writes its PNG into the output; save the notebook with it.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const panel = (window as any).jupyterapp.shell.currentWidget;
          const outputs = panel.content.model.cells.get(0).outputs;
          return outputs.length
            ? 'image/png' in outputs.get(outputs.length - 1).data
            : false;
        })
      )
      .toBe(true);
    await page.notebook.save();
    const saved = JSON.parse(fs.readFileSync(onDisk(notebook), 'utf-8'));
    const output = saved.cells[0].outputs.at(-1);
    expect(output.data['image/png'].length).toBeGreaterThan(1000);
    expect([output.data['text/plain']].flat().join('')).toContain('loss.train');
    await page.notebook.close();

    const away = `${STORE_ROOT}-away`;
    fs.renameSync(STORE_ROOT, away);
    try {
      await page.notebook.openByPath(notebook);
      await expect(page.locator('.jp-runwatch-plots-saved img')).toBeVisible({
        timeout: 20000
      });
      const size = await page
        .locator('.jp-runwatch-plots-saved img')
        .evaluate(img => (img as HTMLImageElement).naturalWidth);
      expect(size).toBeGreaterThan(100);
    } finally {
      fs.renameSync(away, STORE_ROOT);
    }
  });
});
