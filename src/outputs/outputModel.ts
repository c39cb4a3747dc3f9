/**
 * The model of the output a runwatch widget shows in, which the kernel may
 * replace while the widget is up: `%review` displays the plots at once and
 * sends its text table after (`update_display_data`), and JupyterLab then
 * gives the same renderer a new model holding the same bundle.
 */
import { IRenderMime } from '@jupyterlab/rendermime';

export class OutputModel {
  constructor(private _current: IRenderMime.IMimeModel) {}

  /** The output's data now. */
  get data(): IRenderMime.IMimeModel['data'] {
    return this._current.data;
  }

  /** Add `type` to the output's data (it is saved with the notebook). */
  write(type: string, value: string): void {
    this._written.set(type, value);
    this._current.setData({ data: { ...this._current.data, [type]: value } });
  }

  /**
   * The kernel replaced the output's model: write to `next` from now on,
   * with what was written to the old one and `next` lacks (the review's
   * image of its plots).
   */
  replace(next: IRenderMime.IMimeModel): void {
    this._current = next;
    const missing = [...this._written].filter(([type]) => !(type in next.data));
    if (missing.length > 0) {
      next.setData({ data: { ...next.data, ...Object.fromEntries(missing) } });
    }
  }

  private readonly _written = new Map<string, string>();
}
