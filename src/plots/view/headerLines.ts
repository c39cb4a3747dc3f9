/**
 * What the plots' header says about the runs: a note per run that can't be
 * shown (or has no stats yet), the runs' state, and the status line.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { summariseBadges } from '../../runs';
import { IPlotsData } from '../data/plotsData';

export interface IHeaderLines {
  /** The lines under the header. */
  readonly notes: readonly string[];
  /** What each run is doing; none for a snapshot. */
  readonly badge:
    { readonly text: string; readonly mixed: boolean } | undefined;
  /** `N channels · reading… · backlog`, the empty parts left out. */
  readonly status: string;
}

/**
 * The header's lines for `data`'s runs.
 *
 * @param backlog - a live view's paused or caught-up note, or ''.
 */
export function headerLines(
  data: Pick<IPlotsData, 'sources' | 'busy' | 'badges'>,
  runs: readonly string[],
  backlog: string,
  trans: TranslationBundle
): IHeaderLines {
  const notes: string[] = [];
  let channels = 0;
  for (const source of data.sources) {
    channels += source.channels.size;
    if (source.message) {
      notes.push(`${source.run}: ${source.message}`);
    } else if (source.channels.size === 0) {
      const none = trans.__('no stats yet');
      notes.push(runs.length > 1 ? `${source.run}: ${none}` : none);
    }
  }
  const badges = data.badges();
  const badge =
    badges.length > 0
      ? // A finished run is not "live"; several states are counted.
        {
          text: summariseBadges(badges, trans),
          mixed: new Set(badges).size > 1
        }
      : undefined;
  const status = [
    trans._n('%1 channel', '%1 channels', channels),
    data.busy ? trans.__('reading…') : '',
    backlog
  ]
    .filter(Boolean)
    .join(' · ');
  return { notes, badge, status };
}
