/**
 * Driving `%review` in a notebook, as a user does, from Playwright: open a
 * notebook with a Python kernel, run a cell, and wait until every plot is
 * drawn. Shared by bench/remote_review_bench.js and the Galata spec
 * ui-tests/tests/remote.spec.ts. Needs the lab's app exposed to the page
 * (`window.jupyterapp`: `--LabApp.expose_app_in_browser`, or Galata's config).
 */
'use strict';

/**
 * Open `path` (a notebook already on disk under the server's root, with a
 * python3 kernelspec) and wait until its kernel is idle and has run
 * `%load_ext runwatch`.
 */
async function openNotebook(page, path, timeoutMs = 60000) {
  await page.waitForFunction(
    () => window.jupyterapp?.commands.hasCommand('runwatch:review-run'),
    null,
    { timeout: timeoutMs }
  );
  await page.evaluate(
    async ({ path, timeoutMs }) => {
      const app = window.jupyterapp;
      await app.restored;
      const panel = await app.commands.execute('docmanager:open', {
        path,
        factory: 'Notebook'
      });
      await panel.context.ready;
      await panel.sessionContext.ready;
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const kernel = panel.sessionContext.session?.kernel;
        if (kernel && kernel.status === 'idle') {
          await kernel.requestExecute({ code: '%load_ext runwatch' }).done;
          break;
        }
        if (performance.now() > deadline) {
          throw new Error(`kernel of ${path} not idle`);
        }
        await new Promise(r => setTimeout(r, 100));
      }
      app.shell.activateById(panel.id);
    },
    { path, timeoutMs }
  );
}

/**
 * In the current notebook, set cell 0 to `magic` and run it; resolve when
 * its output holds a review whose status is settled (no "loading…" or
 * "reading…") and at least `plots` plots, each painted (its sketch or
 * plotly's drawing: `data-painted`, see src/plots/view/plotSketch.ts). Timed
 * in the page, from just before the run command to the animation frame that
 * sees it all (`ms`); then until plotly has built every plot, hover and zoom
 * ready (`interactiveMs`), whose data the facts below are read from.
 *
 * Returns { ms, viewMs, interactiveMs, plots, traces, points (the most in a trace),
 * widthPx and maxWidthPx (the narrowest and widest plot), maxY: {group: max
 * of its traces' y}, timedOut, status }.
 */
async function reviewInCell(page, magic, plots, timeoutMs) {
  return page.evaluate(reviewInPage, { magic, plots, timeoutMs });
}

/**
 * `reviewInCell`'s work, run in the page (and given to it as source by
 * bench/detached_page.js): self-contained, it closes over nothing.
 */
async function reviewInPage({ magic, plots, timeoutMs }) {
  const app = window.jupyterapp;
  const notebook = app.shell.currentWidget.content;
  notebook.model.cells.get(0).sharedModel.setSource(magic);
  notebook.activeCellIndex = 0;
  const node = notebook.widgets[0].node;
  // A previous review in this cell is going: never mistake it for this one.
  node
    .querySelectorAll('.jp-runwatch-plots')
    .forEach(old => (old.dataset.benchOld = '1'));
  const settled = (built = false) => {
    const review = node.querySelector(
      '.jp-runwatch-plots:not([data-bench-old])'
    );
    const status = review?.querySelector('.jp-runwatch-plots-status');
    if (!review || !status || /…/.test(status.textContent)) {
      return undefined;
    }
    const cells = [...review.querySelectorAll('.jp-runwatch-plot')];
    const painted = cells.filter(c =>
      built
        ? c.dataset.painted === 'plotly' &&
          c.querySelector('.jp-runwatch-plot-area')?._fullLayout
        : c.dataset.painted
    );
    return painted.length >= plots && painted.length === cells.length
      ? {
          status: status.textContent,
          areas: painted.map(c => c.querySelector('.jp-runwatch-plot-area'))
        }
      : undefined;
  };
  // The window's plots all painted, and the grid down to the window's
  // bottom (or every plot in): what the user sees is complete.
  let viewMs = NaN;
  const viewComplete = () => {
    const review = node.querySelector(
      '.jp-runwatch-plots:not([data-bench-old])'
    );
    const cells = [...(review?.querySelectorAll('.jp-runwatch-plot') ?? [])];
    if (cells.length === 0) {
      return false;
    }
    const bottom = Math.min(
      window.innerHeight,
      notebook.node.getBoundingClientRect().bottom
    );
    const last = cells[cells.length - 1].getBoundingClientRect();
    const inView = cells.filter(c => {
      const r = c.getBoundingClientRect();
      return r.top < bottom && r.bottom > 0;
    });
    return (
      (last.bottom >= bottom || cells.length >= plots) &&
      inView.every(c => c.dataset.painted)
    );
  };
  const until = (test, t0) =>
    new Promise(resolve => {
      const frame = () => {
        if (Number.isNaN(viewMs) && viewComplete()) {
          viewMs = performance.now() - t0;
        }
        const state = test();
        if (state || performance.now() - t0 > timeoutMs) {
          resolve(state);
        } else {
          requestAnimationFrame(frame);
        }
      };
      requestAnimationFrame(frame);
    });
  const t0 = performance.now();
  void app.commands.execute('notebook:run-cell');
  const painted = await until(() => settled(), t0);
  const ms = performance.now() - t0;
  viewMs = Number.isNaN(viewMs) ? ms : viewMs;
  const done = painted && (await until(() => settled(true), t0));
  const interactiveMs = performance.now() - t0;
  if (!done) {
    return {
      ms,
      viewMs,
      interactiveMs,
      timedOut: true,
      plots: 0,
      traces: 0
    };
  }
  const maxY = {};
  let traces = 0;
  let points = 0;
  for (const area of done.areas) {
    const group = area.closest('.jp-runwatch-plot').dataset.group;
    let max = -Infinity;
    for (const trace of area.data) {
      traces++;
      points = Math.max(points, trace.x.length);
      for (const y of trace.y) {
        if (y > max) {
          max = y;
        }
      }
    }
    maxY[group] = max;
  }
  return {
    ms,
    viewMs,
    interactiveMs,
    timedOut: false,
    status: done.status,
    plots: done.areas.length,
    traces,
    points,
    widthPx: Math.min(...done.areas.map(a => a._fullLayout._size.w)),
    maxWidthPx: Math.max(...done.areas.map(a => a._fullLayout._size.w)),
    maxY
  };
}

/** A one-cell notebook with a python3 kernelspec, as ipynb text. */
function notebookJson() {
  return JSON.stringify({
    cells: [
      {
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source: ''
      }
    ],
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python'
      }
    },
    nbformat: 4,
    nbformat_minor: 5
  });
}

module.exports = { openNotebook, reviewInCell, reviewInPage, notebookJson };
