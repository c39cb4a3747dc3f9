/**
 * Debian's Chromium and the flags every headless run here launches it with:
 * the Galata config (playwright.config.js) and the browser benches
 * (bench/harness.js) read them from this one place.
 */
'use strict';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
];

module.exports = { CHROMIUM_PATH, CHROMIUM_FLAGS };
