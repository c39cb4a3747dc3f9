/**
 * The log tails of a run: one pane per log file, headed by its writer.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { Panel, Widget } from '@lumino/widgets';
import { IFileEntry } from '../client';
import { ILogSource, IRunChange, RunModel } from '../runs';

/**
 * Who wrote a log file, from its `_files` entry: `MainProcess · pid 1234`.
 */
export function writerLabel(
  file: IFileEntry,
  trans: TranslationBundle = nullTranslator.load('runwatch')
): string {
  const writer = file.writer ?? {};
  const name = writer._process_name;
  const pid = writer._process_id;
  const parts: string[] = [];
  if (typeof name === 'string' && name) {
    parts.push(name);
  }
  if (pid !== undefined && pid !== null && pid !== '') {
    parts.push(trans.__('pid %1', String(pid)));
  }
  return parts.length ? parts.join(' · ') : file.name;
}

/**
 * One log file's last lines, following new ones.
 *
 * It stops following when the user scrolls up and resumes when they scroll
 * back to the bottom. Lines are appended as text nodes, never re-rendered.
 */
export class LogPane extends Widget {
  constructor(
    private readonly _source: ILogSource,
    translator?: ITranslator
  ) {
    super();
    this.addClass('jp-runwatch-log');
    const head = document.createElement('div');
    head.className = 'jp-runwatch-log-head';
    const who = document.createElement('span');
    who.className = 'jp-runwatch-log-writer';
    who.textContent = writerLabel(
      _source.file,
      (translator ?? nullTranslator).load('runwatch')
    );
    const file = document.createElement('span');
    file.className = 'jp-runwatch-log-file';
    file.textContent = _source.file.name;
    head.append(who, file);
    this._body = document.createElement('pre');
    this._body.className = 'jp-runwatch-log-body';
    this._body.addEventListener('scroll', () => {
      const body = this._body;
      this._following =
        body.scrollTop + body.clientHeight >= body.scrollHeight - 4;
    });
    this._partial = document.createElement('span');
    this._partial.className = 'jp-runwatch-log-partial';
    this.node.append(head, this._body);
    this.refresh();
  }

  /** Whether new lines scroll into view. */
  get following(): boolean {
    return this._following;
  }

  /** Show the lines that arrived since the last call. */
  refresh(): void {
    const tail = this._source.tail;
    const lines = tail.lines;
    const fresh = tail.totalLines - this._shownTotal;
    if (fresh >= lines.length || this._shownTotal === 0) {
      this._body.textContent = '';
      lines.forEach(line => this._body.appendChild(lineNode(line)));
    } else {
      for (let i = lines.length - fresh; i < lines.length; i++) {
        this._body.insertBefore(lineNode(lines[i]), this._partial);
      }
    }
    this._shownTotal = tail.totalLines;
    this._partial.textContent = tail.partial;
    this._body.appendChild(this._partial);
    // Keep only the lines the tail holds (plus the partial line's node).
    while (this._body.childNodes.length > lines.length + 1) {
      this._body.removeChild(this._body.firstChild!);
    }
    if (this._following) {
      this._body.scrollTop = this._body.scrollHeight;
    }
  }

  private readonly _body: HTMLElement;
  private readonly _partial: HTMLElement;
  private _shownTotal = 0;
  private _following = true;
}

function lineNode(line: string): HTMLElement {
  const node = document.createElement('div');
  node.className = 'jp-runwatch-log-line';
  node.textContent = line;
  return node;
}

/** Every log pane of a run, added as its log files appear. */
export class LogTails extends Panel {
  constructor(
    private readonly _model: RunModel,
    private readonly _translator?: ITranslator
  ) {
    super();
    this.addClass('jp-runwatch-logs');
    const trans = (_translator ?? nullTranslator).load('runwatch');
    this._empty = document.createElement('div');
    this._empty.className = 'jp-runwatch-empty';
    this._empty.textContent = trans.__('No logs yet');
    this.node.appendChild(this._empty);
    this.refresh();
  }

  /** The pane of each log file. */
  get panes(): ReadonlyMap<string, LogPane> {
    return this._panes;
  }

  /** Add panes for new log files and refresh those that changed. */
  refresh(change?: IRunChange): void {
    for (const [name, source] of this._model.logs) {
      let pane = this._panes.get(name);
      if (!pane) {
        pane = new LogPane(source, this._translator);
        this._panes.set(name, pane);
        this.addWidget(pane);
      } else if (!change || change.logs.has(name)) {
        pane.refresh();
      }
    }
    this._empty.hidden = this._panes.size > 0;
  }

  dispose(): void {
    this._panes.forEach(pane => pane.dispose());
    this._panes.clear();
    super.dispose();
  }

  private readonly _panes = new Map<string, LogPane>();
  private readonly _empty: HTMLElement;
}
