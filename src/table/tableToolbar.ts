/**
 * The runs table's toolbar: the query box and its error, the "n of m runs"
 * count, the summary chooser, and the buttons that act on the selection.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { StatChooser } from './statChooser';

/** What a toolbar button does; its `data-action`. */
export type TableAction = 'review' | 'view' | 'compare' | 'monitor' | 'csv';

/** What the toolbar reports back to the table. */
export interface ITableToolbarHandlers {
  /** Enter in the query box. */
  query(text: string): void;
  /** A button was pressed. */
  action(action: TableAction): void;
  /** A channel's summary changed. */
  statsChanged(): void;
}

/** The toolbar's DOM; the table fills in counts, errors and states. */
export class TableToolbar extends Widget {
  constructor(trans: TranslationBundle, handlers: ITableToolbarHandlers) {
    super();
    this.addClass('jp-runwatch-table-toolbar');
    this.queryInput = document.createElement('input');
    this.queryInput.className = 'jp-runwatch-table-query jp-mod-styled';
    this.queryInput.dataset.testid = 'runwatch-table-query';
    this.queryInput.placeholder = trans.__(
      'query: lr < 1e-3 and status == "finished", a glob or a word (Enter)'
    );
    this.queryInput.setAttribute('aria-label', trans.__('query runs'));
    this.queryInput.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        event.preventDefault();
        handlers.query(this.queryInput.value);
      }
    });
    this.count = document.createElement('span');
    this.count.className = 'jp-runwatch-table-count';
    this.count.dataset.testid = 'runwatch-table-count';
    this.stats = new StatChooser(trans, () => handlers.statsChanged());
    const buttons = document.createElement('span');
    buttons.className = 'jp-runwatch-table-actions';
    const labels: Array<[TableAction, string, string]> = [
      ['review', trans.__('Review'), trans.__('Review the selected runs')],
      ['view', trans.__('View'), trans.__('View the selected runs live')],
      [
        'compare',
        trans.__('Compare'),
        trans.__('Review the selected runs together (select two or more)')
      ],
      ['monitor', trans.__('Monitor'), trans.__('Monitor the selected run')],
      ['csv', trans.__('CSV'), trans.__('Download the rows shown as CSV')]
    ];
    for (const [action, label, title] of labels) {
      const button = document.createElement('button');
      button.className = 'jp-runwatch-table-action jp-mod-styled';
      button.dataset.action = action;
      button.textContent = label;
      button.title = title;
      button.addEventListener('click', () => handlers.action(action));
      this.buttons.set(action, button);
      buttons.appendChild(button);
    }
    const row = document.createElement('div');
    row.className = 'jp-runwatch-table-toolbar-row';
    row.append(this.queryInput, this.count, this.stats.node, buttons);
    this.error = document.createElement('div');
    this.error.className = 'jp-runwatch-table-error';
    this.error.dataset.testid = 'runwatch-table-error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.node.append(row, this.error);
  }

  readonly queryInput: HTMLInputElement;
  readonly count: HTMLElement;
  readonly error: HTMLElement;
  readonly stats: StatChooser;
  readonly buttons = new Map<TableAction, HTMLButtonElement>();

  /** Show `message` under the query box, or hide it when empty. */
  showError(message: string): void {
    this.error.textContent = message;
    this.error.hidden = !message;
  }

  /** Enable each button by whether it can act on `selected` runs. */
  enableFor(selected: number, shown: number): void {
    const enabled: Record<TableAction, boolean> = {
      review: selected >= 1,
      view: selected >= 1,
      compare: selected >= 2,
      monitor: selected === 1,
      csv: shown > 0
    };
    for (const [action, button] of this.buttons) {
      button.disabled = !enabled[action];
    }
  }
}
