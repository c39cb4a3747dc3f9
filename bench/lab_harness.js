/**
 * A `jupyter lab` over a store with its page open, for the issue-12 browser
 * benches (table_browser_bench.js, group_review_bench.js): a fresh server
 * (its own folder and summary cache, so the server starts cold), a fresh
 * Chromium context, the lab loaded with its app restored; everything
 * stopped afterwards. Also the figures' small helpers: medians, a table
 * line, long tasks seen in the page, and a CPU profile's top functions.
 */
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {
  freePort,
  killGroup,
  spawnLab,
  waitExit,
  summarisedAhead,
  waitForServer
} = require('./harness');

/**
 * A fresh `jupyter lab` whose RUNWATCH_ROOT is `store`, answering: its own
 * folder `tmp` (`prefix`-named) and summary cache, or `cacheHome` when
 * given (a cache kept across labs, as a restarted server's); its background
 * summaries only with `ahead`, and then it answers once their first pass is
 * done (`aheadS`: how long it took). `log()` is the tail of its stderr;
 * `stop()` ends it and removes `tmp`.
 */
async function startLab({ store, prefix, cacheHome, ahead = false }) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const env = {
    ...process.env,
    RUNWATCH_ROOT: store,
    XDG_CACHE_HOME: cacheHome ?? path.join(tmp, 'cache')
  };
  const { child: server, log } = spawnLab({
    port,
    token,
    root: tmp,
    env,
    ahead
  });
  const stop = async () => {
    killGroup(server);
    await waitExit(server, 10000);
    killGroup(server, 'SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await waitForServer(
      `http://127.0.0.1:${port}/api/status?token=${token}`,
      Date.now() + 120000,
      server
    );
    const aheadS = ahead
      ? await summarisedAhead(log, Date.now() + 300000)
      : undefined;
    return { tmp, port, token, log, stop, aheadS };
  } catch (error) {
    console.error(`${prefix}: server log tail:\n${log().slice(-3000)}`);
    await stop();
    throw error;
  }
}

/**
 * Run `body({ page, context, tmp, port, token })` against a fresh lab
 * (`startLab`) in `browser` (a new context of `viewport`); everything is
 * stopped and the server's folder removed afterwards.
 */
async function withLab(
  { browser, store, viewport, prefix, cacheHome, ahead },
  body
) {
  const { tmp, port, token, log, stop } = await startLab({
    store,
    prefix,
    cacheHome,
    ahead
  });
  let context;
  try {
    context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/lab?token=${token}`, {
      timeout: 120000
    });
    await page.waitForFunction(() => window.jupyterapp?.restored, null, {
      timeout: 120000
    });
    await page.evaluate(() => window.jupyterapp.restored);
    return await body({ page, context, tmp, port, token });
  } catch (error) {
    console.error(`${prefix}: server log tail:\n${log().slice(-3000)}`);
    throw error;
  } finally {
    await context?.close();
    await stop();
  }
}

/** The median of the finite values (the lower middle one), or NaN. */
function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
}

/** `ms` as "123 ms" or "1.23 s". */
function duration(ms) {
  if (!Number.isFinite(ms)) {
    return 'n/a';
  }
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

/** One line of a figures table: label, median, each sample, and a note. */
function figureLine(label, samples, note = '') {
  const each = samples.map(duration).join(', ');
  return `  ${label.padEnd(46)} ${duration(median(samples)).padStart(8)}   (${each})${note ? `  ${note}` : ''}`;
}

/**
 * In the page: start recording long tasks (> 50 ms on the UI thread) into
 * `window.__longTasks` as { start, ms }.
 */
async function recordLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver(list => {
      for (const entry of list.getEntries()) {
        window.__longTasks.push({ start: entry.startTime, ms: entry.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
  });
}

/** The `top` functions by self time in a CDP CPU profile. */
function topFunctions(profile, top = 10) {
  const self = new Map();
  const interval = new Map();
  profile.samples.forEach((id, i) => {
    interval.set(id, (interval.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  let total = 0;
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`;
    const us = interval.get(node.id) ?? 0;
    self.set(name, (self.get(name) ?? 0) + us);
    total += us;
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => `      ${duration(us / 1000).padStart(8)} ${name}`)
    .concat(`      ${duration(total / 1000).padStart(8)} in all`);
}

/** Profile `action` in the page (CDP) and print its top functions. */
async function profileOf(page, label, action) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const result = await action();
  const { profile } = await cdp.send('Profiler.stop');
  console.log(`    profile of ${label} (${duration(result.ms)}), self time:`);
  console.log(topFunctions(profile).join('\n'));
  await cdp.detach();
}

module.exports = {
  startLab,
  withLab,
  median,
  duration,
  figureLine,
  recordLongTasks,
  profileOf
};
