/**
 * Kernel chords (`i i`, `0 0`) and start-up code, against a real ipykernel.
 */
import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { APIRequestContext } from '@playwright/test';
import * as fs from 'fs';
import {
  chord,
  commandMode,
  listSessions,
  onDisk,
  openNewNotebook,
  waitForIdleKernel
} from './helpers';

const CONFIRM_RESTART = '.jp-Dialog .jp-Dialog-button.jp-mod-accept';

// Galata's kernel tracking answers POST /api/kernels/<id>/restart with 201,
// which JupyterLab rejects; these tests need real restarts.
test.use({ kernels: null });

async function outputText(page: IJupyterLabPageFixture, cell: number) {
  return ((await page.notebook.getCellTextOutput(cell)) ?? []).join('\n');
}

/** Run the active cell in place (Ctrl+Enter), without waiting for it. */
async function startActiveCell(page: IJupyterLabPageFixture) {
  await commandMode(page);
  await page.keyboard.press('Control+Enter');
}

async function kernelState(request: APIRequestContext, notebookPath: string) {
  const sessions = await listSessions(request);
  return sessions.find(s => s.path === notebookPath)?.kernel?.execution_state;
}

async function runAndRead(page: IJupyterLabPageFixture, source: string) {
  await page.notebook.setCell(0, 'code', source);
  await page.notebook.runCell(0);
  return outputText(page, 0);
}

test.describe('i i', () => {
  test('interrupts a sleeping cell within 3 s', async ({
    page,
    request,
    tmpPath
  }) => {
    const notebook = `${tmpPath}/sleepy.ipynb`;
    await openNewNotebook(page, request, notebook);
    await page.notebook.setCell(0, 'code', 'import time; time.sleep(60)');
    await startActiveCell(page);
    await expect.poll(() => kernelState(request, notebook)).toBe('busy');

    const pressed = Date.now();
    await chord(page, 'i', 'i');
    await expect
      .poll(() => outputText(page, 0), { timeout: 3000, intervals: [50] })
      .toContain('KeyboardInterrupt');
    expect(Date.now() - pressed).toBeLessThan(3000);
  });
});

test.describe('0 0', () => {
  test('restarts after the confirmation dialog, dropping variables', async ({
    page,
    request,
    tmpPath
  }) => {
    const notebook = `${tmpPath}/restart.ipynb`;
    await openNewNotebook(page, request, notebook);
    expect(await runAndRead(page, 'x = 42\nprint(x)')).toContain('42');

    await chord(page, '0', '0');
    await expect(page.locator('.jp-Dialog')).toContainText('Restart Kernel');
    await page.locator(CONFIRM_RESTART).click();
    await waitForIdleKernel(request, notebook);

    expect(await runAndRead(page, 'print(x)')).toContain(
      "NameError: name 'x' is not defined"
    );
  });

  test.describe('with restartWithoutConfirmation', () => {
    test.use({
      mockSettings: {
        ...galata.DEFAULT_SETTINGS,
        'runwatch:kernel-chords': { restartWithoutConfirmation: true }
      }
    });

    test('restarts at once, without a dialog', async ({
      page,
      request,
      tmpPath
    }) => {
      const notebook = `${tmpPath}/unconfirmed.ipynb`;
      await openNewNotebook(page, request, notebook);
      await runAndRead(page, 'y = 7');

      await chord(page, '0', '0');
      await page.waitForTimeout(500);
      await expect(page.locator('.jp-Dialog')).toHaveCount(0);
      await waitForIdleKernel(request, notebook);
      expect(await runAndRead(page, 'print(y)')).toContain(
        "NameError: name 'y' is not defined"
      );
    });
  });
});

test.describe('start-up code', () => {
  test('autoreload picks up an edited module after a restart', async ({
    page,
    request,
    tmpPath
  }) => {
    const notebook = `${tmpPath}/auto.ipynb`;
    fs.writeFileSync(
      onDisk(`${tmpPath}/mod_auto.py`),
      'def f():\n    return 1\n'
    );
    await openNewNotebook(page, request, notebook);

    // Restart first: start-up code must run on restart, not just on start.
    await chord(page, '0', '0');
    await page.locator(CONFIRM_RESTART).click();
    await waitForIdleKernel(request, notebook);

    expect(
      await runAndRead(page, 'import mod_auto\nprint("value", mod_auto.f())')
    ).toContain('value 1');

    // Let the file's mtime move on before editing it.
    await page.waitForTimeout(1100);
    fs.writeFileSync(
      onDisk(`${tmpPath}/mod_auto.py`),
      'def f():\n    return 2\n'
    );
    expect(await runAndRead(page, 'print("value", mod_auto.f())')).toContain(
      'value 2'
    );
  });

  test('runs silently: loads its extensions but leaves no trace in the notebook', async ({
    page,
    request,
    tmpPath
  }) => {
    await openNewNotebook(page, request, `${tmpPath}/silent.ipynb`);
    const text = await runAndRead(
      page,
      'print(sorted(get_ipython().extension_manager.loaded))'
    );
    expect(text).toContain('IPython.extensions.autoreload');
    expect(text).toContain("'runwatch'");
    // The first cell the user runs is still [1], and it has one output only.
    await expect(
      (await page.notebook.getCellLocator(0))!.locator('.jp-InputPrompt')
    ).toHaveText('[1]:');
    expect(await page.notebook.getCellTextOutput(0)).toHaveLength(1);
  });

  test.describe('with broken start-up code', () => {
    test.use({
      mockSettings: {
        ...galata.DEFAULT_SETTINGS,
        'runwatch:startup': { code: 'raise ValueError("broken start-up")' }
      }
    });

    test('shows a notification naming the error', async ({
      page,
      request,
      tmpPath
    }) => {
      await openNewNotebook(page, request, `${tmpPath}/broken.ipynb`);
      await expect(
        page.locator('.Toastify__toast', {
          hasText: 'Kernel start-up code failed'
        })
      ).toContainText('ValueError: broken start-up', { timeout: 20000 });
    });
  });
});
