/**
 * A review measured with no automation attached, as a user's browser runs
 * it: Debian's Chromium started by the bench itself (a fresh profile, so an
 * empty HTTP cache), driven by Playwright over CDP to open the lab and the
 * notebook, then let go of while the page reviews on its own and reports
 * each review by a beacon to a small HTTP sink of the bench's.
 *
 * #### Why
 * Playwright keeps a DevTools session on every page and worker it drives.
 * Its network agent copies each response body and decodes it as text when
 * it ends: a 20-run glob's sixteen 1 MB series answers cost the page's main
 * thread 10-40 ms each (`ResponseBodyLoader::DidFinishLoadingBody` and
 * `TextResourceDecoder::Decode` in a trace), work no user's browser does.
 * bench/README.md gives both figures.
 */
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { chromium } = require('@playwright/test');
const { CHROMIUM, CHROMIUM_FLAGS, killGroup, sleep } = require('./harness');
const { reviewInPage } = require('./notebook_review');

// Every Chromium started here, killed if the bench exits without stopping
// it (its deadline's `process.exit`): each runs in a process group of its own.
const running = new Set();
process.on('exit', () => running.forEach(child => killGroup(child, 'SIGKILL')));

/**
 * Chromium of the bench's own, headless with the usual flags, its window
 * (and so its viewport) `width` × `height`, listening for CDP on a port it
 * picks. `connect()` attaches Playwright (the default context's one page);
 * `stop()` kills it and removes its profile.
 */
async function ownChromium({ width, height }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'runwatch-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      ...CHROMIUM_FLAGS,
      // As Playwright's own launch: no scrollbars, so the same viewport.
      '--hide-scrollbars',
      '--remote-debugging-port=0',
      `--user-data-dir=${profile}`,
      `--window-size=${width},${height}`,
      'about:blank'
    ],
    { detached: true, stdio: 'ignore' }
  );
  running.add(child);
  const stop = async () => {
    killGroup(child, 'SIGKILL');
    running.delete(child);
    await sleep(200);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  try {
    const endpoint = await devToolsEndpoint(profile, child);
    const connect = async () => {
      const browser = await chromium.connectOverCDP(endpoint);
      const [page] = browser.contexts()[0].pages();
      return { browser, page };
    };
    return { connect, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The CDP address Chromium writes to its profile once it listens. */
async function devToolsEndpoint(profile, child) {
  const file = path.join(profile, 'DevToolsActivePort');
  for (let tries = 0; tries < 300; tries++) {
    if (child.exitCode !== null) {
      throw new Error(`chromium exited with ${child.exitCode}`);
    }
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : '';
    const port = Number(text.split('\n')[0]);
    if (port > 0) {
      return `http://127.0.0.1:${port}`;
    }
    await sleep(100);
  }
  throw new Error('chromium gave no DevTools port in 30 s');
}

/**
 * An HTTP sink on loopback for the page's beacons: `url`; `next()` resolves
 * with the next report (its JSON, and `at`: when it came, in this process's
 * ms), in order; `close()`.
 */
async function beaconSink() {
  const reports = [];
  const waiting = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', chunk => (body += chunk));
    request.on('end', () => {
      response.writeHead(204, { 'Access-Control-Allow-Origin': '*' });
      response.end();
      let report;
      try {
        report = { ...JSON.parse(body), at: Date.now() };
      } catch {
        return;
      }
      const resolve = waiting.shift();
      resolve ? resolve(report) : reports.push(report);
    });
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/report`,
    next: timeoutMs =>
      reports.length
        ? Promise.resolve(reports.shift())
        : new Promise((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`no beacon in ${timeoutMs} ms`)),
              timeoutMs
            );
            waiting.push(report => {
              clearTimeout(timer);
              resolve(report);
            });
          }),
    close: () => new Promise(resolve => server.close(resolve))
  };
}

/**
 * Have `page` run `magic` in its notebook's first cell `reviews` times
 * (bench/notebook_review.js's `reviewInPage`), `pauseMs` apart, starting
 * `delayMs` from now, each review announced (`{event: 'start', review}`)
 * and reported (`{event: 'done', review, result}`) by a beacon to
 * `sinkUrl`; then let go of the browser: nothing is attached while the
 * page works. Resolves with when it let go (`Date.now()`), which must come
 * before the first review's start.
 */
async function reviewDetached(
  { browser, page },
  {
    sinkUrl,
    magic,
    plots,
    timeoutMs,
    reviews = 2,
    pauseMs = 2000,
    delayMs = 1000
  }
) {
  const script = `(() => {
    const review = ${reviewInPage.toString()};
    const send = report =>
      navigator.sendBeacon(${JSON.stringify(sinkUrl)}, JSON.stringify(report));
    setTimeout(async () => {
      for (let index = 0; index < ${Number(reviews)}; index++) {
        if (index > 0) {
          await new Promise(r => setTimeout(r, ${Number(pauseMs)}));
        }
        send({ event: 'start', review: index });
        let result;
        try {
          result = await review(${JSON.stringify({ magic, plots, timeoutMs })});
        } catch (error) {
          result = { timedOut: true, error: String(error) };
        }
        send({ event: 'done', review: index, result });
      }
    }, ${Number(delayMs)});
  })()`;
  await page.evaluate(script);
  await browser.close(); // over CDP: disconnects, the browser and page stay
  return Date.now();
}

/**
 * Review `review`'s beacons from `sink`: its start (then `started()` is
 * called), which must come after `letGo` (`reviewDetached`'s answer), and
 * its result, which this resolves with; each must be the one expected.
 */
async function nextReview(sink, review, letGo, timeoutMs, started) {
  const start = await sink.next(timeoutMs);
  if (start.event !== 'start' || start.review !== review) {
    throw new Error(
      `expected review ${review}'s start, got ${JSON.stringify(start)}`
    );
  }
  if (start.at < letGo) {
    throw new Error('the review started before Playwright let go of the page');
  }
  started();
  const done = await sink.next(timeoutMs);
  if (done.event !== 'done' || done.review !== review) {
    throw new Error(
      `expected review ${review}'s result, got ${JSON.stringify(done)}`
    );
  }
  return done.result;
}

module.exports = { ownChromium, beaconSink, reviewDetached, nextReview };
