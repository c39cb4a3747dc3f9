/**
 * Names in a run store: run folders (`YYYY-MM-DD HH-MM-SS words[ suffix]`),
 * channels (`group.la.bel`) and stats files (`stats.<channel>.<n>.npr`).
 */
import { RunNameError } from './errors';

/** The parts of a run folder name. */
export interface IRunName {
  /** Creation time from the name, ms since the epoch (UTC, whole seconds). */
  readonly created: number;
  /** The two-word tag, e.g. `neat-funds`. */
  readonly words: string;
  /** Anything after the words; `''` if none. */
  readonly suffix: string;
}

const RUN_NAME =
  /^(\d{4})-(\d\d)-(\d\d) (\d\d)-(\d\d)-(\d\d)(?: (\S+)(?: (.*))?)?$/su;

/**
 * Parse a run folder name `YYYY-MM-DD HH-MM-SS adjective-noun[ suffix]`,
 * whose time is the run's creation time in UTC.
 *
 * @throws RunNameError if the name doesn't start with the stamp.
 */
export function parseRunName(name: string): IRunName {
  const match = RUN_NAME.exec(name);
  if (!match) {
    throw new RunNameError(
      name,
      "not a run name: expected 'YYYY-MM-DD HH-MM-SS words[ suffix]'"
    );
  }
  const [, y, mo, d, h, mi, s, words, suffix] = match;
  const fields = [y, mo, d, h, mi, s].map(Number);
  const created = Date.UTC(
    2000,
    fields[1] - 1,
    fields[2],
    fields[3],
    fields[4],
    fields[5]
  );
  const date = new Date(created);
  date.setUTCFullYear(fields[0]);
  // Date.UTC rolls invalid fields over (month 13, hour 25); reject those.
  const valid =
    date.getUTCMonth() === fields[1] - 1 &&
    date.getUTCDate() === fields[2] &&
    date.getUTCHours() === fields[3] &&
    date.getUTCMinutes() === fields[4] &&
    date.getUTCSeconds() === fields[5];
  if (!valid) {
    throw new RunNameError(name, 'the run name has an invalid date or time');
  }
  return { created: date.getTime(), words: words ?? '', suffix: suffix ?? '' };
}

/**
 * A channel's group (the part before its first dot, which picks the plot)
 * and label (the rest, which names the line; `''` if there is no dot).
 */
export function splitChannel(channel: string): {
  group: string;
  label: string;
} {
  const dot = channel.indexOf('.');
  return dot < 0
    ? { group: channel, label: '' }
    : { group: channel.slice(0, dot), label: channel.slice(dot + 1) };
}

const STATS_FILE = /^stats\.([\p{L}\p{N}_.-]+)\.(\d+)\.npr$/u;

/**
 * The channel and writer index of a stats file name such as
 * `stats.loss.value.1.npr`, or `undefined` if it isn't one.
 */
export function parseStatsFileName(
  name: string
): { channel: string; index: number } | undefined {
  const match = STATS_FILE.exec(name);
  return match ? { channel: match[1], index: Number(match[2]) } : undefined;
}
