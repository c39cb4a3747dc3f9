/**
 * A run's steering as `GET runs/<run>/steer` says it, and turning what a
 * user typed into the value the declaration asks for.
 */

export type SteerType = 'bool' | 'int' | 'float' | 'str';

export interface ISteerKey {
  readonly type: SteerType;
  readonly bounds: readonly [number, number] | null;
}

export interface ISteerLogEntry {
  readonly id: string;
  readonly time: string;
  readonly step?: number | null;
  readonly key: string | null;
  readonly old?: unknown;
  readonly new?: unknown;
  readonly stop?: boolean;
  readonly status: 'applied' | 'rejected';
  readonly reason: string | null;
}

export interface ISteerState {
  readonly run: string;
  readonly status: string;
  readonly declared: boolean;
  /** The run can take requests now (running, stalled or live). */
  readonly steerable: boolean;
  readonly keys: Readonly<Record<string, ISteerKey>>;
  readonly values: Readonly<Record<string, unknown>>;
  readonly stop_requested: boolean;
  readonly pending: readonly string[];
  readonly log: readonly ISteerLogEntry[];
}

/** The value `text` means for `key`, or why it can't be. */
export function parseSteerValue(
  key: string,
  spec: ISteerKey,
  text: string
): { value: unknown } | { error: string } {
  const trimmed = text.trim();
  if (spec.type === 'str') {
    return { value: text };
  }
  if (spec.type === 'bool') {
    if (/^(true|1|yes|on)$/i.test(trimmed)) {
      return { value: true };
    }
    if (/^(false|0|no|off)$/i.test(trimmed)) {
      return { value: false };
    }
    return { error: `${key}: true or false, not ${JSON.stringify(text)}` };
  }
  const value = Number(trimmed);
  if (!trimmed || !Number.isFinite(value)) {
    return { error: `${key}: a number, not ${JSON.stringify(text)}` };
  }
  if (spec.type === 'int' && !Number.isInteger(value)) {
    return { error: `${key}: a whole number, not ${trimmed}` };
  }
  if (spec.bounds && (value < spec.bounds[0] || value > spec.bounds[1])) {
    return {
      error: `${key}: ${trimmed} is outside ${spec.bounds[0]} … ${spec.bounds[1]}`
    };
  }
  return { value };
}

/** A log entry in words: `lr 0.0003 → 0.0001 applied at 12:03:05 (step 120)`. */
export function describeEntry(entry: ISteerLogEntry): string {
  const at = entry.time.slice(11, 19);
  const step =
    entry.step !== undefined && entry.step !== null
      ? ` (step ${entry.step})`
      : '';
  const what = entry.stop
    ? 'stop'
    : `${entry.key} ${JSON.stringify(entry.old)} → ${JSON.stringify(entry.new)}`;
  return entry.status === 'applied'
    ? `${what} applied at ${at}${step}`
    : `${what} rejected: ${entry.reason ?? 'no reason given'}`;
}
