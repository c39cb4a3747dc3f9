/**
 * Galata/Playwright configuration: Debian's Chromium against a JupyterLab
 * server that the run starts and stops itself (see start-server.sh).
 */
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');
const { CHROMIUM_FLAGS, CHROMIUM_PATH } = require('./chromium');

const PORT = process.env.RUNWATCH_TEST_PORT || '8890';

module.exports = {
  ...baseConfig,
  reporter: [
    ['list'],
    [
      'html',
      { open: 'never', outputFolder: path.join(__dirname, 'playwright-report') }
    ]
  ],
  outputDir: path.join(__dirname, 'test-results'),
  workers: 1,
  retries: 0,
  timeout: 90000,
  use: {
    ...baseConfig.use,
    baseURL: `http://127.0.0.1:${PORT}`,
    video: 'off',
    trace: 'off',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_FLAGS
    }
  },
  webServer: {
    command: `bash ${path.join(__dirname, 'start-server.sh')} ${PORT}`,
    url: `http://127.0.0.1:${PORT}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: false
  }
};
