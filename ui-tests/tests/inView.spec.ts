/**
 * A comparison of many runs asks for the plots in the window first and the
 * rest once those are painted (src/plots/data/inViewFirst.ts): the user's
 * first screen doesn't wait for the plots below it. Its runs are listed in
 * one request (src/client/runDetails.ts).
 */
import { expect, test } from '@jupyterlab/galata';
import { IChannelSpec, makeRun, paintedBy, runMagic } from './plotRuns';

const PLOTS = '.jp-OutputArea-output .jp-runwatch-plots';
const GROUPS = 20;
const RUNS = 10;

/** A series request as the page sent it, and the plots painted by then. */
interface IAsked {
  groups: string[];
  painted: string[];
}

test('a glob of many runs paints the plots in the window before it asks for the rest', async ({
  page,
  request,
  tmpPath
}) => {
  // 10 runs × 20 plots of 3 channels: 600 series, most of them below the window.
  const channels: IChannelSpec[] = [];
  for (let g = 0; g < GROUPS; g++) {
    for (const label of ['a', 'b', 'c']) {
      const group = `g${String(g).padStart(2, '0')}`;
      channels.push({ name: `${group}.${label}`, kind: 'mean', rows: 300 });
    }
  }
  // Its own suffix, new each time: the store outlives a test.
  const suffix = `in-view-${Date.now().toString(36)}`;
  for (let run = 0; run < RUNS; run++) {
    makeRun(channels, { lr: run }, suffix, run);
  }
  // Note each series request's plots, and which plots were painted when it
  // was sent.
  await page.evaluate(() => {
    const w = window as any;
    w.seriesAsked = [];
    w.listed = [];
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(
        input instanceof Request ? input.url : String(input),
        location.href
      );
      // The runs' listings: several at once, or one (runs/<name>).
      if (url.pathname.endsWith('/runwatch/api/run-details')) {
        w.listed.push(url.searchParams.getAll('run'));
      } else if (/\/runwatch\/api\/runs\/[^/]+$/.test(url.pathname)) {
        w.listed.push([decodeURIComponent(url.pathname.split('/').pop()!)]);
      }
      if (url.pathname.endsWith('/runwatch/api/series')) {
        w.seriesAsked.push({
          groups: [
            ...new Set(
              url.searchParams.getAll('channel').map(c => c.split('.')[0])
            )
          ],
          painted: [
            ...document.querySelectorAll<HTMLElement>(
              '.jp-runwatch-plot[data-painted]'
            )
          ].map(c => c.dataset.group)
        });
      }
      return realFetch(input, init);
    };
  });
  await runMagic(
    page,
    request,
    `${tmpPath}/in-view.ipynb`,
    `%review '*${suffix}*'`
  );
  await expect(page.locator(`${PLOTS} .jp-runwatch-plots-title`)).toHaveText(
    /10 runs/
  );
  await expect
    .poll(() => paintedBy(page).then(p => p.filter(Boolean).length), {
      timeout: 60000
    })
    .toBe(GROUPS);

  const asked: IAsked[] = await page.evaluate(
    () => (window as any).seriesAsked
  );
  const inWindow = await page
    .locator(`${PLOTS} .jp-runwatch-plot`)
    .evaluateAll(cells =>
      cells
        .filter(c => c.getBoundingClientRect().top < window.innerHeight)
        .map(c => (c as HTMLElement).dataset.group!)
    );
  // Asked for before any plot was painted: the first screen's plots.
  const first = new Set(
    asked.filter(a => a.painted.length === 0).flatMap(a => a.groups)
  );
  expect(inWindow.length).toBeGreaterThan(0);
  expect(inWindow.length).toBeLessThan(GROUPS);
  expect([...first].sort()).toEqual(expect.arrayContaining(inWindow));
  expect(first.size).toBeLessThan(GROUPS);
  // Every other plot was asked for once the first screen was painted.
  const later = asked.filter(a => a.groups.some(g => !first.has(g)));
  expect(later.length).toBeGreaterThan(0);
  for (const a of later) {
    expect(a.painted).toEqual(expect.arrayContaining([...first]));
  }
  const allAsked = new Set(asked.flatMap(a => a.groups));
  expect(allAsked.size).toBe(GROUPS);
  // The 10 runs were listed in one request.
  const listed: string[][] = await page.evaluate(() => (window as any).listed);
  expect(listed).toHaveLength(1);
  expect(listed[0]).toHaveLength(RUNS);
  expect(listed[0].every(run => run.endsWith(suffix))).toBe(true);
});
