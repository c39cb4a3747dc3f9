/**
 * Helpers shared by the Galata specs: sessions, files on disk, command mode.
 */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { APIRequestContext } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

/** The repository's virtualenv, which `make` creates and tests run from. */
export const VENV_BIN = path.resolve(__dirname, '..', '..', '.venv', 'bin');
export const PYTHON = path.join(VENV_BIN, 'python');

/** The server's root folder, made fresh by start-server.sh. */
export const SERVER_ROOT = path.resolve(
  __dirname,
  '..',
  `.jupyter-root-${process.env.RUNWATCH_TEST_PORT || '8890'}`
);

export interface ISessionModel {
  path: string;
  kernel: { id: string; execution_state: string } | null;
}

export async function listSessions(
  request: APIRequestContext
): Promise<ISessionModel[]> {
  const response = await request.get('/api/sessions');
  return (await response.json()) as ISessionModel[];
}

export function onDisk(relative: string): string {
  return path.join(SERVER_ROOT, relative);
}

export function existsOnDisk(relative: string): boolean {
  return fs.existsSync(onDisk(relative));
}

/**
 * Put the current notebook in command mode with the focus on it, as a user
 * does by clicking a cell's prompt, so that command-mode chords reach it.
 */
export async function commandMode(page: IJupyterLabPageFixture): Promise<void> {
  const notebook = (await page.notebook.getNotebookInPanelLocator())!;
  await notebook
    .locator('.jp-Cell.jp-mod-active .jp-InputPrompt')
    .first()
    .click();
  await page.keyboard.press('Escape');
  await expect(notebook).toHaveClass(/jp-mod-commandMode/, { timeout: 5000 });
}

/** Press a two-key chord such as `t t` in command mode. */
export async function chord(
  page: IJupyterLabPageFixture,
  first: string,
  second: string
): Promise<void> {
  await commandMode(page);
  await page.keyboard.press(first);
  await page.keyboard.press(second);
}

/** Write a notebook straight to disk (as another program would). */
export function writeNotebook(
  relative: string,
  metadata: Record<string, unknown>,
  source = 'print("hello")'
): string {
  const content = {
    cells: [
      {
        cell_type: 'code',
        execution_count: null,
        metadata: {},
        outputs: [],
        source
      }
    ],
    metadata: {
      kernelspec: {
        name: 'python3',
        display_name: 'Python 3 (ipykernel)',
        language: 'python'
      },
      ...metadata
    },
    nbformat: 4,
    nbformat_minor: 5
  };
  const text = JSON.stringify(content, null, 1);
  fs.mkdirSync(path.dirname(onDisk(relative)), { recursive: true });
  fs.writeFileSync(onDisk(relative), text);
  return text;
}

/** The label of every open main-area tab. */
export async function tabLabels(
  page: IJupyterLabPageFixture
): Promise<string[]> {
  return page
    .locator('#jp-main-dock-panel .lm-TabBar-tabLabel')
    .allTextContents();
}

/** Wait until the kernel of the session at `notebookPath` is idle. */
export async function waitForIdleKernel(
  request: APIRequestContext,
  notebookPath: string,
  timeout = 15000
): Promise<ISessionModel> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const session = (await listSessions(request)).find(
      s => s.path === notebookPath
    );
    if (session?.kernel?.execution_state === 'idle') {
      return session;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `kernel of ${notebookPath} not idle: ${JSON.stringify(await listSessions(request))}`
      );
    }
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

/**
 * Write a fresh Python notebook to disk, open it and wait for its kernel.
 *
 * Writing the file first (rather than File > New and a rename) means the
 * server's session path is the notebook's final path from the start.
 */
export async function openNewNotebook(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  notebookPath: string,
  metadata: Record<string, unknown> = {},
  source = ''
): Promise<ISessionModel> {
  writeNotebook(notebookPath, metadata, source);
  await page.filebrowser.refresh();
  await page.notebook.openByPath(notebookPath);
  await page.notebook.activate(path.basename(notebookPath));
  return waitForIdleKernel(request, notebookPath);
}
