/**
 * A review loads the plots in view first: the channels of the grid's first
 * plots, then, once those are painted, the rest. The first screen of a glob
 * then waits for its own series only, and its painting has the CPU to
 * itself, not shared with the server computing the rest.
 */
import { splitChannel } from '../../store';

/** What the widget tells its data about the plots in view. */
export interface IInView {
  /**
   * How many of the grid's first plots fill the view, once what goes
   * above them (the review's head) is laid out.
   */
  plots(): Promise<number>;
  /** Settles once what has come in so far is drawn and painted. */
  painted(): Promise<void>;
}

/**
 * `channels` (in grid order) cut after the last channel of the first
 * `plots` groups: [those channels, the rest].
 */
export function splitInView<C extends { readonly name: string }>(
  channels: readonly C[],
  plots: number
): [C[], C[]] {
  const groups = new Set<string>();
  const first: C[] = [];
  const rest: C[] = [];
  for (const channel of channels) {
    const group = splitChannel(channel.name).group;
    if (!groups.has(group) && groups.size < plots) {
      groups.add(group);
    }
    (groups.has(group) ? first : rest).push(channel);
  }
  return [first, rest];
}
