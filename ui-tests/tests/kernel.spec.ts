/**
 * Kernel chords (`i i`, `0 0`) and start-up code, against a real ipykernel.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { APIRequestContext } from '@playwright/test';
import * as fs from 'fs';
import { chord, onDisk, openNewNotebook, waitForIdleKernel } from './helpers';

async function newNotebook(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  tmpPath: string,
  name: string
) {
  await openNewNotebook(page, request, `${tmpPath}/${name}`);
}

async function outputText(page: IJupyterLabPageFixture, cell: number) {
  return ((await page.notebook.getCellTextOutput(cell)) ?? []).join('\n');
}

async function putSetting(
  request: APIRequestContext,
  plugin: string,
  raw: Record<string, unknown>
) {
  const response = await request.put(`/lab/api/settings/${plugin}`, {
    data: { raw: JSON.stringify(raw) }
  });
  expect(response.ok()).toBe(true);
}

test.describe('i i', () => {
  test('interrupts a sleeping cell within 3 s', async ({
    page,
    request,
    tmpPath
  }) => {
    await newNotebook(page, request, tmpPath, 'sleepy.ipynb');
    await page.notebook.setCell(0, 'code', 'import time; time.sleep(60)');
    void page.notebook.runCell(0);
    await expect
      .poll(async () =>
        (await request.get('/api/sessions'))
          .json()
          .then(
            (s: any[]) =>
              s.find(x => x.path === `${tmpPath}/sleepy.ipynb`)?.kernel
                .execution_state
          )
      )
      .toBe('busy');
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
    await newNotebook(page, request, tmpPath, 'restart.ipynb');
    await page.notebook.setCell(0, 'code', 'x = 42\nprint(x)');
    await page.notebook.runCell(0);
    expect(await outputText(page, 0)).toContain('42');

    await chord(page, '0', '0');
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('Restart Kernel');
    await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
    await waitForIdleKernel(request, `${tmpPath}/restart.ipynb`);

    await page.notebook.setCell(0, 'code', 'print(x)');
    await page.notebook.runCell(0);
    expect(await outputText(page, 0)).toContain(
      "NameError: name 'x' is not defined"
    );
  });

  test('restarts without asking when the setting says so', async ({
    page,
    request,
    tmpPath
  }) => {
    await putSetting(request, 'runwatch:kernel-chords', {
      restartWithoutConfirmation: true
    });
    await page.reload();
    await newNotebook(page, request, tmpPath, 'unconfirmed.ipynb');
    await page.notebook.setCell(0, 'code', 'y = 7');
    await page.notebook.runCell(0);

    await chord(page, '0', '0');
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    await expect
      .poll(
        async () => {
          await page.notebook.setCell(0, 'code', 'print(y)');
          await page.notebook.runCell(0);
          return outputText(page, 0);
        },
        { timeout: 20000 }
      )
      .toContain("NameError: name 'y' is not defined");
    await putSetting(request, 'runwatch:kernel-chords', {});
  });
});

test.describe('start-up code', () => {
  test('autoreload picks up an edited module after a restart', async ({
    page,
    request,
    tmpPath
  }) => {
    fs.writeFileSync(
      onDisk(`${tmpPath}/mod_auto.py`),
      'def f():\n    return 1\n'
    );
    await newNotebook(page, request, tmpPath, 'auto.ipynb');

    // Restart first: start-up code must run again on restart, not just on start.
    await chord(page, '0', '0');
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Restart', exact: true })
      .click();
    await waitForIdleKernel(request, `${tmpPath}/auto.ipynb`);

    await page.notebook.setCell(
      0,
      'code',
      'import mod_auto\nprint("value", mod_auto.f())'
    );
    await page.notebook.runCell(0);
    expect(await outputText(page, 0)).toContain('value 1');

    // Let the file's mtime move on before editing it.
    await page.waitForTimeout(1100);
    fs.writeFileSync(
      onDisk(`${tmpPath}/mod_auto.py`),
      'def f():\n    return 2\n'
    );
    await page.notebook.setCell(0, 'code', 'print("value", mod_auto.f())');
    await page.notebook.runCell(0);
    expect(await outputText(page, 0)).toContain('value 2');
  });

  test('runs silently, without touching the execution count', async ({
    page,
    request,
    tmpPath
  }) => {
    await newNotebook(page, request, tmpPath, 'silent.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      "print(get_ipython().execution_count, 'autoreload' in get_ipython().extension_manager.loaded)"
    );
    await page.notebook.runCell(0);
    expect(await outputText(page, 0)).toContain('1 True');
  });

  test('an error in the start-up code shows a notification naming it', async ({
    page,
    request,
    tmpPath
  }) => {
    await putSetting(request, 'runwatch:startup', {
      code: 'raise ValueError("broken start-up")'
    });
    await page.reload();
    await newNotebook(page, request, tmpPath, 'broken.ipynb');
    await expect(
      page.locator('.Toastify__toast', {
        hasText: 'Kernel start-up code failed'
      })
    ).toContainText('ValueError: broken start-up', { timeout: 20000 });
    await putSetting(request, 'runwatch:startup', {});
  });
});
