import { nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { RunsDataModel } from './runsDataModel';
import { contiguousRuns, RunsGrid } from './tableGrid';
import { tableColumns } from './tableRows';
import { fakeRow } from './testing';

describe('contiguousRuns', () => {
  it('groups selected rows into ranges', () => {
    expect(contiguousRuns([8, 1, 3, 2, 7])).toEqual([
      [1, 3],
      [7, 8]
    ]);
    expect(contiguousRuns([])).toEqual([]);
  });
});

describe('RunsGrid', () => {
  // jsdom has no canvas; the grid paints nothing but keeps its state.
  beforeEach(() => {
    jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  });
  afterEach(() => jest.restoreAllMocks());

  it('selects whole rows and reads them back', () => {
    const model = new RunsDataModel();
    const grid = new RunsGrid(model);
    Widget.attach(grid.widget, document.body);
    model.update(
      tableColumns(['lr'], [], nullTranslator.load('runwatch')),
      ['a', 'b', 'c', 'd'].map(name => fakeRow(name, 0)),
      null
    );
    let changes = 0;
    grid.selectionChanged.connect(() => changes++);
    grid.selectRows([3, 0, 1]);
    expect(grid.selectedRows()).toEqual([0, 1, 3]);
    expect(changes).toBe(0);
    grid.retheme();
    grid.dispose();
    expect(grid.isDisposed).toBe(true);
  });
});
