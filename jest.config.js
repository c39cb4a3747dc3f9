const jestJupyterLab = require('@jupyterlab/testutils/lib/jest-config');

const esModules = [
  '@codemirror',
  '@jupyter/ydoc',
  '@jupyterlab/',
  'lib0',
  'nanoid',
  'vscode-ws-jsonrpc',
  'y-protocols',
  'y-websocket',
  'yjs'
].join('|');

const baseConfig = jestJupyterLab(__dirname);

module.exports = {
  ...baseConfig,
  automock: false,
  testRegex: '(src|test)/.*\\.spec\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/ui-tests/', '/lib/'],
  transformIgnorePatterns: [`/node_modules/(?!${esModules}).+`]
};
