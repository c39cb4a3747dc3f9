/**
 * A group of runs as the plots see one run: its label, the group keys'
 * values as its params, and every channel any of its runs has.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { IPlotRun, SnapshotChannel, SnapshotRun } from '../data/sources';
import { IRunGroup } from './grouping';

export class GroupRun implements IPlotRun {
  /** `members` are listed already, or being listed; they stay theirs. */
  constructor(
    readonly group: IRunGroup,
    private readonly _members: readonly SnapshotRun[]
  ) {
    this.run = group.label;
    this.ready = Promise.all(_members.map(m => m.ready)).then(() =>
      this._collect()
    );
  }

  readonly run: string;
  readonly ready: Promise<void>;

  get info(): Readonly<Record<string, unknown>> {
    return { params: Object.fromEntries(this.group.values) };
  }
  get channels(): ReadonlyMap<string, SnapshotChannel> {
    return this._channels;
  }
  get message(): string | undefined {
    const failed = this._members.filter(m => m.failed);
    if (failed.length === 0) {
      return undefined;
    }
    return `${failed.length} of ${this._members.length} runs of ${this.run} can't be read: ${failed
      .map(m => `${m.run}: ${m.message}`)
      .join('; ')}`;
  }
  get failed(): boolean {
    return this._members.every(m => m.failed);
  }
  get createdMs(): number | undefined {
    const created = this._members
      .map(m => m.createdMs)
      .filter((ms): ms is number => ms !== undefined);
    return created.length > 0 ? Math.min(...created) : undefined;
  }
  get lastWriteMs(): number | undefined {
    const written = this._members
      .map(m => m.lastWriteMs)
      .filter((ms): ms is number => ms !== undefined);
    return written.length > 0 ? Math.max(...written) : undefined;
  }
  get changed(): ISignal<this, readonly string[]> {
    return this._changed;
  }

  /** The members are shared with the host (regrouping keeps them). */
  dispose(): void {
    Signal.clearData(this);
  }

  /** Every member's channels, once each, in the members' order. */
  private _collect(): void {
    for (const member of this._members) {
      for (const channel of member.channels.values()) {
        if (!this._channels.has(channel.name) && !channel.error) {
          this._channels.set(
            channel.name,
            new SnapshotChannel(this.run, '0', channel.name, channel.kind)
          );
        }
      }
    }
    this._changed.emit([...this._channels.keys()]);
  }

  private readonly _channels = new Map<string, SnapshotChannel>();
  private readonly _changed = new Signal<this, readonly string[]>(this);
}
