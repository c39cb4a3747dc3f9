/**
 * What the user chose to see in one plots widget, for every plot in it:
 * the runs (legend keys) hidden, the channel search, and the smoothing.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { channelFilter } from '../series/channelFilter';
import { smoothingWeight } from '../series/smooth';

/** Which choice changed. */
export type PlotChoice = 'hidden' | 'filter' | 'smoothing';

export class PlotChoices {
  /** Start with nothing hidden, no search, and `smoothing`. */
  constructor(smoothing: number) {
    this._smoothing = smoothing;
  }

  /** Emits after a choice changed. */
  get changed(): ISignal<this, PlotChoice> {
    return this._changed;
  }

  /** The legend keys hidden in every plot. */
  get hidden(): ReadonlySet<string> {
    return this._hidden;
  }

  /** Hide a run (or a label) in every plot, or show it again. */
  toggle(key: string): void {
    if (!this._hidden.delete(key)) {
      this._hidden.add(key);
    }
    this._changed.emit('hidden');
  }

  /** The channel search as typed, trimmed. */
  get filterText(): string {
    return this._filterText;
  }

  /** Which channels the search keeps. */
  get channelFilter(): (channel: string) => boolean {
    return this._channelFilter;
  }

  /** Search the channels for `text` (see `channelFilter`). */
  filter(text: string): void {
    this._channelFilter = channelFilter(text);
    this._filterText = text.trim();
    this._changed.emit('filter');
  }

  /** The EMA weight (0: off). */
  get smoothing(): number {
    return this._smoothing;
  }

  /** Set to `smoothingWeight(weight)`: clamped, and 0 if not a number. */
  set smoothing(weight: number) {
    this._smoothing = smoothingWeight(weight);
    this._changed.emit('smoothing');
  }

  private readonly _hidden = new Set<string>();
  private _filterText = '';
  private _channelFilter: (channel: string) => boolean = () => true;
  private _smoothing: number;
  private readonly _changed = new Signal<this, PlotChoice>(this);
}
