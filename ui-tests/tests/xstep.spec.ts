/**
 * x by step: two runs written by the real writer at different speeds line
 * up on `step` (`%review --x step`), and a run that logs no step (as
 * pavlov's never do) is left out with one note saying so.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import { PYTHON } from './helpers';
import { allBuilt, makeRun, runMagic } from './plotRuns';
import { STORE_ROOT } from './writer';

const PLOTS = '.jp-OutputArea-output .jp-runwatch-plots';
const STEPS = 40;

/** Logs `step(i)` then a loss, `STEPS` times, `pause` s apart. */
const WRITER = `
import sys, time, runwatch
suffix, steps, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
run = runwatch.new_run(suffix)
with runwatch.to_run(run):
    for i in range(steps):
        runwatch.stats.step(i)
        runwatch.stats.mean('loss.train', 1.0 / (i + 1))
        time.sleep(pause)
print(run, flush=True)
`;

function writeRun(suffix: string, pause: number): string {
  return execFileSync(
    PYTHON,
    ['-c', WRITER, suffix, String(STEPS), `${pause}`],
    {
      env: { ...process.env, RUNWATCH_ROOT: STORE_ROOT },
      encoding: 'utf-8'
    }
  ).trim();
}

/** Each drawn line's last x, by `run channel`. */
const lastX = (page: IJupyterLabPageFixture, group: string) =>
  page.evaluate(g => {
    const area = document.querySelector(
      `.jp-runwatch-plots .jp-runwatch-plot[data-group="${g}"] .jp-runwatch-plot-area`
    ) as any;
    const out: Record<string, number> = {};
    for (const t of area?.data ?? []) {
      if (t.hoverinfo === 'skip' || !t.meta?.run) {
        continue;
      }
      const key = `${t.meta.run} ${t.meta.channel}`;
      out[key] = Math.max(out[key] ?? -Infinity, ...Array.from<number>(t.x));
    }
    return out;
  }, group);

test('runs of different speeds line up on step; a run without step is named', async ({
  page,
  request,
  tmpPath
}) => {
  const tag = `xstep${Date.now() % 1_000_000}`;
  const fast = writeRun(`${tag}-fast`, 0.01);
  const slow = writeRun(`${tag}-slow`, 0.04);
  // Like a pavlov run: a loss, no step (rows over 2 s, so raw opens).
  const old = makeRun(
    [{ name: 'loss.train', kind: 'mean', rows: 50 }],
    {},
    `${tag}-old`,
    0,
    { spanS: 2, agoS: 5 }
  );
  await runMagic(
    page,
    request,
    `${tmpPath}/xstep.ipynb`,
    `%review '*${tag}*' --group none --x step`
  );
  const plots = page.locator(PLOTS);
  await expect(plots).toHaveAttribute('data-drawn-x', 'step', {
    timeout: 30000
  });
  // Every row drawn as it is: the raw rule.
  await plots.locator('select[aria-label="bucket rule"]').selectOption('raw');
  await expect(plots).toHaveAttribute('data-drawn-rule', 'raw', {
    timeout: 30000
  });
  const x = plots.locator('select[aria-label="x axis"]');
  await expect(x).toHaveValue('step');

  // The step plot on step: each run ends at its last step, though the
  // slow run took about four times as long.
  await expect
    .poll(async () => lastX(page, 'step'), { timeout: 30000 })
    .toEqual({ [`${fast} step`]: STEPS - 1, [`${slow} step`]: STEPS - 1 });
  // plotly builds each sketched plot when the page is idle.
  await expect.poll(() => allBuilt(page)).toBe(true);
  // The loss lines up too: each loss row sits just after its step.
  const loss = await lastX(page, 'loss');
  expect(Object.keys(loss).sort()).toEqual(
    [`${fast} loss.train`, `${slow} loss.train`].sort()
  );
  for (const last of Object.values(loss)) {
    expect(last).toBeGreaterThan(STEPS - 3);
    expect(last).toBeLessThanOrEqual(STEPS - 1);
  }
  // Ticks are steps, not times.
  const ticks = await plots
    .locator('.jp-runwatch-plot[data-group="loss"] .xtick text')
    .allTextContents();
  expect(ticks.length).toBeGreaterThan(1);
  expect(ticks.some(t => /[smhd]$/.test(t))).toBe(false);

  // One note names the run left out, and why.
  const message = plots.locator('.jp-runwatch-plots-message');
  await expect(message).toContainText(`${old}: left out`);
  await expect(message).toContainText("no channel 'step'");
  expect(await lastX(page, 'loss')).not.toHaveProperty(`${old} loss.train`);

  // Back to time: all three runs draw, the note goes.
  await x.selectOption(''); // time
  await expect(plots).toHaveAttribute('data-drawn-x', 'time', {
    timeout: 30000
  });
  await expect
    .poll(async () => Object.keys(await lastX(page, 'loss')).length, {
      timeout: 30000
    })
    .toBe(3);
  await expect(message).not.toContainText('left out');
});
