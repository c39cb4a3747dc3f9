/**
 * Dedent on paste: real clipboard events into real CodeMirror cells.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

async function pasteInto(
  page: IJupyterLabPageFixture,
  cell: number,
  text: string
) {
  const content = (await page.notebook.getCellLocator(cell))!.locator(
    '.cm-content'
  );
  await content.click();
  await content.evaluate((node, pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    node.dispatchEvent(
      new ClipboardEvent('paste', {
        clipboardData: data,
        bubbles: true,
        cancelable: true
      })
    );
  }, text);
}

const INDENTED = [
  '        for i in range(3):',
  '            if i:',
  '                print(i)',
  '',
  '        done = True'
].join('\n');

const DEDENTED = [
  'for i in range(3):',
  '    if i:',
  '        print(i)',
  '',
  'done = True'
].join('\n');

test('a block indented by 8 spaces lands at the left margin, one undo restores', async ({
  page
}) => {
  await page.notebook.createNew('paste.ipynb');
  await page.notebook.setCell(0, 'code', '');
  await pasteInto(page, 0, INDENTED);
  expect(await page.notebook.getCellTextInput(0)).toBe(DEDENTED);

  await page.keyboard.press('Control+z');
  expect(await page.notebook.getCellTextInput(0)).toBe('');
});

test('CRLF is normalised and markdown cells are left alone', async ({
  page
}) => {
  await page.notebook.createNew('paste-md.ipynb');
  await page.notebook.setCell(0, 'code', '');
  await pasteInto(page, 0, '    a = 1\r\n    b = 2\r\n');
  expect(await page.notebook.getCellTextInput(0)).toBe('a = 1\nb = 2\n');

  await page.notebook.addCell('markdown', '');
  await page.notebook.enterCellEditingMode(1);
  await pasteInto(page, 1, '    - indented item\n    - another');
  expect(await page.notebook.getCellTextInput(1)).toBe(
    '    - indented item\n    - another'
  );
});
