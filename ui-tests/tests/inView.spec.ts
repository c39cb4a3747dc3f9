/**
 * A comparison of many runs asks for the plots in the window first and the
 * rest once their series are in (src/plots/data/inViewFirst.ts): the user's
 * first screen doesn't wait for the plots below it. Its runs are listed in
 * one request (src/client/runDetails.ts).
 */
import { expect, test } from '@jupyterlab/galata';
import { IChannelSpec, makeRun, paintedBy, runMagic } from './plotRuns';

const PLOTS = '.jp-OutputArea-output .jp-runwatch-plots';
const GROUPS = 20;
const RUNS = 10;

/** A series request as the page sent it, and the requests answered by then. */
interface IAsked {
  groups: string[];
  answered: number[];
}

test('a glob of many runs asks for the plots in the window first, the rest once those are in', async ({
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
  // Note each series request's plots, and which requests were answered in
  // full (their bodies read to the end) when it was sent.
  await page.evaluate(() => {
    const w = window as any;
    w.seriesAsked = [];
    w.answered = [];
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
        const id = w.seriesAsked.length;
        w.seriesAsked.push({
          groups: [
            ...new Set(
              url.searchParams.getAll('channel').map(c => c.split('.')[0])
            )
          ],
          answered: [...w.answered]
        });
        // Answered once the page reads the body's end: noted before it sees it.
        return realFetch(input, init).then(response => {
          const body = response.body!.getReader();
          const watched = new ReadableStream({
            async pull(controller) {
              const { done, value } = await body.read();
              if (done) {
                w.answered.push(id);
                controller.close();
              } else {
                controller.enqueue(value);
              }
            }
          });
          return new Response(watched, response);
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
  // Asked for before any answer was in: the first screen's plots.
  const firstIds = asked
    .map((a, id) => (a.answered.length === 0 ? id : -1))
    .filter(id => id >= 0);
  const first = new Set(firstIds.flatMap(id => asked[id].groups));
  expect(inWindow.length).toBeGreaterThan(0);
  expect(inWindow.length).toBeLessThan(GROUPS);
  expect([...first].sort()).toEqual(expect.arrayContaining(inWindow));
  expect(first.size).toBeLessThan(GROUPS);
  // Every other plot was asked for once the first screen's series were in.
  const later = asked.filter(a => a.groups.some(g => !first.has(g)));
  expect(later.length).toBeGreaterThan(0);
  for (const a of later) {
    expect(a.answered).toEqual(expect.arrayContaining(firstIds));
  }
  const allAsked = new Set(asked.flatMap(a => a.groups));
  expect(allAsked.size).toBe(GROUPS);
  // The 10 runs were listed in one request.
  const listed: string[][] = await page.evaluate(() => (window as any).listed);
  expect(listed).toHaveLength(1);
  expect(listed[0]).toHaveLength(RUNS);
  expect(listed[0].every(run => run.endsWith(suffix))).toBe(true);
});
