/**
 * Scratch notebooks: `t t` opens one beside the current notebook, `t q`
 * discards it, and never deletes a notebook that isn't scratch.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  chord,
  existsOnDisk,
  listSessions,
  onDisk,
  openNewNotebook,
  tabLabels,
  waitForIdleKernel,
  writeNotebook
} from './helpers';

const SCRATCH_TAB = /^scratch-[a-z]+-[a-z]+\.ipynb$/;

async function openScratchFromParent(page: any, request: any, tmpPath: string) {
  await openNewNotebook(page, request, `${tmpPath}/parent.ipynb`);
  await chord(page, 't', 't');
  const tab = page
    .locator('#jp-main-dock-panel .lm-TabBar-tabLabel')
    .filter({ hasText: SCRATCH_TAB });
  await expect(tab).toHaveCount(1, { timeout: 30000 });
  const name = (await tab.textContent())!.trim();
  return { name, scratchPath: `${tmpPath}/${name}` };
}

test.describe('t t', () => {
  test('opens a scratch notebook beside its parent with a running kernel', async ({
    page,
    request,
    tmpPath
  }) => {
    const { name, scratchPath } = await openScratchFromParent(
      page,
      request,
      tmpPath
    );

    // The file sits next to its parent and is marked scratch in its metadata.
    expect(existsOnDisk(scratchPath)).toBe(true);
    const saved = JSON.parse(fs.readFileSync(onDisk(scratchPath), 'utf-8'));
    expect(saved.metadata.runwatch).toEqual({ scratch: true });
    expect(saved.metadata.kernelspec.name).toBe('python3');

    // Its kernel is running.
    const session = await waitForIdleKernel(request, scratchPath);
    expect(session.kernel).not.toBeNull();

    // It opened in a split to the right: two tab bars side by side.
    const bars = page.locator('#jp-main-dock-panel .lm-DockPanel-tabBar');
    await expect(bars).toHaveCount(2);
    const [left, right] = await Promise.all([
      bars.nth(0).boundingBox(),
      bars.nth(1).boundingBox()
    ]);
    expect(right!.x).toBeGreaterThan(left!.x + 100);

    // Focus is in the first cell's editor, ready to type.
    await page.keyboard.type('1 + 1');
    const scratchPanel = page.locator('.jp-NotebookPanel').filter({
      has: page.locator(`.jp-Notebook`)
    });
    const active = await page.evaluate(() => {
      const app = (window as any).jupyterapp;
      const panel = app.shell.currentWidget;
      return {
        title: panel.title.label,
        index: panel.content.activeCellIndex,
        mode: panel.content.mode,
        text: panel.content.activeCell.model.sharedModel.getSource()
      };
    });
    expect(active).toEqual({
      title: name,
      index: 0,
      mode: 'edit',
      text: '1 + 1'
    });
    expect(await scratchPanel.count()).toBeGreaterThan(0);

    await page.screenshot({
      path: path.join(__dirname, '..', 'screenshots', 'scratch-split.png')
    });
  });

  test('from the file browser uses the browsed folder', async ({
    page,
    tmpPath
  }) => {
    await page.filebrowser.openDirectory(tmpPath);
    await page
      .locator('.jp-DirListing-content')
      .click({ button: 'right', position: { x: 50, y: 200 } });
    await page
      .locator('.lm-Menu-itemLabel', { hasText: 'New Scratch Notebook' })
      .click();
    await expect
      .poll(
        async () =>
          (await tabLabels(page)).filter(t => SCRATCH_TAB.test(t)).length,
        {
          timeout: 30000
        }
      )
      .toBe(1);
    const files = fs
      .readdirSync(onDisk(tmpPath))
      .filter(f => SCRATCH_TAB.test(f));
    expect(files).toHaveLength(1);
  });

  test('in a folder that cannot be written to, explains why', async ({
    page,
    request,
    tmpPath
  }) => {
    await openNewNotebook(page, request, `${tmpPath}/parent.ipynb`);
    const before = fs.readdirSync(onDisk(tmpPath)).sort();
    // root ignores permission bits, so make the folder immutable instead.
    execFileSync('chattr', ['+i', onDisk(tmpPath)]);
    try {
      await chord(page, 't', 't');
      const toast = page.locator('.Toastify__toast', {
        hasText: 'Could not create a scratch notebook'
      });
      await expect(toast).toBeVisible({ timeout: 15000 });
      await expect(toast).toContainText(/Permission denied|not permitted/i);
    } finally {
      execFileSync('chattr', ['-i', onDisk(tmpPath)]);
    }
    expect(fs.readdirSync(onDisk(tmpPath)).sort()).toEqual(before);
  });
});

test.describe('t q', () => {
  test('discards a scratch notebook: tab, file and session are gone', async ({
    page,
    request,
    tmpPath
  }) => {
    const { name, scratchPath } = await openScratchFromParent(
      page,
      request,
      tmpPath
    );
    await waitForIdleKernel(request, scratchPath);
    // Type something so that closing would normally ask to save.
    await page.keyboard.type('x = 1');
    await chord(page, 't', 'q');

    await expect
      .poll(() => existsOnDisk(scratchPath), { timeout: 15000 })
      .toBe(false);
    await expect
      .poll(async () =>
        (await listSessions(request)).some(s => s.path === scratchPath)
      )
      .toBe(false);
    expect(await tabLabels(page)).not.toContain(name);
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    const checkpoint = `${tmpPath}/.ipynb_checkpoints/${name.replace('.ipynb', '')}-checkpoint.ipynb`;
    expect(existsOnDisk(checkpoint)).toBe(false);
    // The parent is untouched.
    expect(existsOnDisk(`${tmpPath}/parent.ipynb`)).toBe(true);
  });

  test('on a normal notebook deletes nothing and says why', async ({
    page,
    request,
    tmpPath
  }) => {
    await openNewNotebook(
      page,
      request,
      `${tmpPath}/precious.ipynb`,
      {},
      'precious = 1'
    );
    const before = fs.readFileSync(
      onDisk(`${tmpPath}/precious.ipynb`),
      'utf-8'
    );
    await chord(page, 't', 'q');
    await expect(
      page.locator('.Toastify__toast', { hasText: 'is not a scratch notebook' })
    ).toBeVisible();
    expect(fs.readFileSync(onDisk(`${tmpPath}/precious.ipynb`), 'utf-8')).toBe(
      before
    );
    expect(await tabLabels(page)).toContain('precious.ipynb');
  });

  test('metadata decides, not the name', async ({ page, request, tmpPath }) => {
    // A scratch notebook renamed away from a scratch name is still scratch.
    writeNotebook(`${tmpPath}/renamed-experiment.ipynb`, {
      runwatch: { scratch: true }
    });
    // A normal notebook that merely looks like a scratch one is not.
    await openNewNotebook(page, request, `${tmpPath}/scratch-fake-name.ipynb`);
    const lookalike = fs.readFileSync(
      onDisk(`${tmpPath}/scratch-fake-name.ipynb`),
      'utf-8'
    );
    await chord(page, 't', 'q');
    await expect(
      page.locator('.Toastify__toast', { hasText: 'is not a scratch notebook' })
    ).toBeVisible();
    expect(
      fs.readFileSync(onDisk(`${tmpPath}/scratch-fake-name.ipynb`), 'utf-8')
    ).toBe(lookalike);

    await page.notebook.openByPath(`${tmpPath}/renamed-experiment.ipynb`);
    await page.notebook.activate('renamed-experiment.ipynb');
    await waitForIdleKernel(request, `${tmpPath}/renamed-experiment.ipynb`);
    await chord(page, 't', 'q');
    await expect
      .poll(() => existsOnDisk(`${tmpPath}/renamed-experiment.ipynb`), {
        timeout: 15000
      })
      .toBe(false);
    expect(existsOnDisk(`${tmpPath}/scratch-fake-name.ipynb`)).toBe(true);
  });
});

test('commands are in the palette', async ({ page }) => {
  await page.keyboard.press('Control+Shift+C');
  const input = page.locator('#command-palette .lm-CommandPalette-input');
  await input.fill('scratch');
  await expect(
    page.locator('#command-palette .lm-CommandPalette-item')
  ).toContainText(['New Scratch Notebook', 'Discard Scratch Notebook']);
  void galata;
});
