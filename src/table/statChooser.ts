/**
 * Which summary each channel column shows (last, min, max, mean of the last
 * N rows, value at T s): the pure keys, and the toolbar control that picks
 * them.
 */
import { TranslationBundle } from '@jupyterlab/translation';

/** A channel's summary, as the server's `stat=` names it after the dot. */
export type StatChoice =
  | { readonly kind: 'last' | 'min' | 'max' }
  | { readonly kind: 'mean'; readonly rows: number }
  | { readonly kind: 'at'; readonly seconds: number };

export const DEFAULT_STAT: StatChoice = { kind: 'last' };

/** The default N of `mean<N>` and T of `at<T>` when first chosen. */
const DEFAULT_MEAN_ROWS = 10;
const DEFAULT_AT_SECONDS = 3600;
/** The server's limit on N (runwatch/table/stat_keys.py: 7 digits). */
const MAX_MEAN_ROWS = 9_999_999;

/** `last`, `min`, `max`, `mean10`, `at3600`. */
export function statSuffix(choice: StatChoice): string {
  switch (choice.kind) {
    case 'mean':
      return `mean${choice.rows}`;
    case 'at':
      return `at${choice.seconds}`;
    default:
      return choice.kind;
  }
}

/**
 * A summary key's parts (the server's rule, runwatch/table/stat_keys.py): `loss.val.mean10` is channel `loss.val`, stat mean
 * of 10 rows. Channel names hold dots, so the stat is after the last one.
 * Undefined when the key names no summary.
 */
export function parseStatKey(
  key: string
): { channel: string; choice: StatChoice } | undefined {
  const dot = key.lastIndexOf('.');
  if (dot <= 0) {
    return undefined;
  }
  const channel = key.slice(0, dot);
  const suffix = key.slice(dot + 1);
  if (suffix === 'last' || suffix === 'min' || suffix === 'max') {
    return { channel, choice: { kind: suffix } };
  }
  const mean = /^mean([1-9]\d{0,6})$/.exec(suffix);
  if (mean) {
    return { channel, choice: { kind: 'mean', rows: Number(mean[1]) } };
  }
  const at = /^at(\d{1,10})$/.exec(suffix);
  if (at) {
    return { channel, choice: { kind: 'at', seconds: Number(at[1]) } };
  }
  return undefined;
}

/**
 * The `stat=` keys to ask for: each channel's chosen summary, then any
 * summary a filter names that isn't among them (so `loss.min < 0.3` can be
 * tested while the column shows `loss.last`).
 */
export function statKeys(
  channels: readonly string[],
  choices: ReadonlyMap<string, StatChoice>,
  queryNames: Iterable<string> = [],
  fallback: StatChoice = DEFAULT_STAT
): string[] {
  const keys = channels.map(
    channel => `${channel}.${statSuffix(choices.get(channel) ?? fallback)}`
  );
  const known = new Set(channels);
  for (const name of queryNames) {
    const parsed = parseStatKey(name);
    if (parsed && known.has(parsed.channel) && !keys.includes(name)) {
      keys.push(name);
    }
  }
  return keys;
}

/** `''` in the channel select: apply to every channel. */
const ALL_CHANNELS = '';

/**
 * The toolbar control: a channel select (or all channels), a summary select
 * and, for mean and at, a number; a change calls `onChange` once.
 */
export class StatChooser {
  constructor(
    trans: TranslationBundle,
    private readonly _onChange: () => void
  ) {
    this.node = document.createElement('span');
    this.node.className = 'jp-runwatch-table-stat';
    this._channel = document.createElement('select');
    this._channel.className = 'jp-runwatch-table-stat-channel';
    this._channel.setAttribute('aria-label', trans.__('channel summarised'));
    this._allLabel = trans.__('all channels');
    this._kind = document.createElement('select');
    this._kind.className = 'jp-runwatch-table-stat-kind';
    this._kind.setAttribute('aria-label', trans.__('summary shown'));
    const kinds: Array<[StatChoice['kind'], string]> = [
      ['last', trans.__('last')],
      ['min', trans.__('min')],
      ['max', trans.__('max')],
      ['mean', trans.__('mean of last N rows')],
      ['at', trans.__('value at T s')]
    ];
    for (const [value, label] of kinds) {
      this._kind.appendChild(new Option(label, value));
    }
    this._number = document.createElement('input');
    this._number.className = 'jp-runwatch-table-stat-number';
    this._number.type = 'number';
    this._number.min = '0';
    this._number.setAttribute('aria-label', trans.__('N rows or T seconds'));
    this._channel.addEventListener('change', () => this._showChoice());
    this._kind.addEventListener('change', () => this._choose(true));
    this._number.addEventListener('change', () => this._choose(false));
    this.node.append(this._channel, this._kind, this._number);
    this.setChannels([]);
  }

  /** The control's element, for the toolbar. */
  readonly node: HTMLElement;

  /** Each channel's chosen summary (absent: `last`). */
  get choices(): ReadonlyMap<string, StatChoice> {
    return this._choices;
  }

  /** The `stat=` keys for the channels offered (see `statKeys`). */
  statKeys(queryNames: Iterable<string> = []): string[] {
    return statKeys(this._channels, this._choices, queryNames, this._default);
  }

  /** The channels to offer; the one picked stays picked if still there. */
  setChannels(channels: readonly string[]): void {
    const picked = this._channel.value;
    this._channels = [...channels];
    this._channel.textContent = '';
    this._channel.appendChild(new Option(this._allLabel, ALL_CHANNELS));
    for (const channel of channels) {
      this._channel.appendChild(new Option(channel, channel));
    }
    this._channel.value = channels.includes(picked) ? picked : ALL_CHANNELS;
    this.node.hidden = channels.length === 0;
    this._showChoice();
  }

  /** Choose `choice` for `channel` (every channel if undefined). */
  setChoice(choice: StatChoice, channel?: string): void {
    const targets = channel === undefined ? this._channels : [channel];
    if (channel === undefined) {
      this._default = choice;
    }
    for (const target of targets) {
      this._choices.set(target, choice);
    }
    this._showChoice();
    this._onChange();
  }

  /** Show the picked channel's summary in the selects. */
  private _showChoice(): void {
    const channel = this._channel.value;
    const choice =
      channel === ALL_CHANNELS
        ? this._default
        : (this._choices.get(channel) ?? this._default);
    this._kind.value = choice.kind;
    this._number.hidden = choice.kind !== 'mean' && choice.kind !== 'at';
    if (choice.kind === 'mean') {
      this._number.value = String(choice.rows);
    } else if (choice.kind === 'at') {
      this._number.value = String(choice.seconds);
    }
  }

  /** Read the selects; `kindChanged` resets the number to the kind's default. */
  private _choose(kindChanged: boolean): void {
    const kind = this._kind.value as StatChoice['kind'];
    const number = Number(this._number.value);
    let choice: StatChoice;
    if (kind === 'mean') {
      const rows =
        !kindChanged && Number.isInteger(number) && number >= 1
          ? Math.min(number, MAX_MEAN_ROWS)
          : DEFAULT_MEAN_ROWS;
      choice = { kind, rows };
    } else if (kind === 'at') {
      const seconds =
        !kindChanged && Number.isFinite(number) && number >= 0
          ? Math.round(number)
          : DEFAULT_AT_SECONDS;
      choice = { kind, seconds };
    } else {
      choice = { kind };
    }
    const channel = this._channel.value;
    this.setChoice(choice, channel === ALL_CHANNELS ? undefined : channel);
  }

  private readonly _channel: HTMLSelectElement;
  private readonly _kind: HTMLSelectElement;
  private readonly _number: HTMLInputElement;
  private readonly _allLabel: string;
  private _channels: string[] = [];
  private _default: StatChoice = DEFAULT_STAT;
  private readonly _choices = new Map<string, StatChoice>();
}
