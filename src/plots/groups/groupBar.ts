/**
 * The grouping controls above a review of several runs: group by (none,
 * auto, or one differing param), the line (mean or median), the band, and
 * whether each group's runs show faintly.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { GroupBand, GroupBy, GroupCenter, IGroupOptions } from './grouping';

export interface IGroupBarOptions {
  /** The params that differ between the runs: what can group them. */
  readonly keys: readonly string[];
  /** What `auto` groups by, said in its choice. */
  readonly autoKeys: readonly string[];
  readonly initial: IGroupOptions;
  readonly onChange: (options: IGroupOptions) => void;
  readonly trans: TranslationBundle;
}

const AUTO = '\u0000auto';
const NONE = '\u0000none';

/** The bar's node; its selects carry `data-control` for tests. */
export function groupBar(options: IGroupBarOptions): HTMLElement {
  const { trans } = options;
  const node = document.createElement('div');
  node.className = 'jp-runwatch-group-bar';
  let current = options.initial;
  const emit = (change: Partial<IGroupOptions>) => {
    current = { ...current, ...change };
    sync();
    options.onChange(current);
  };

  const by = select('by', trans.__('Group runs by'), [
    [NONE, trans.__('no grouping')],
    [
      AUTO,
      trans.__(
        'auto (%1)',
        options.autoKeys.length > 0
          ? options.autoKeys.join(', ')
          : trans.__('all runs')
      )
    ],
    ...options.keys.map(k => [k, k] as [string, string])
  ]);
  by.value = byValue(current.by);
  by.addEventListener('change', () =>
    emit({
      by: by.value === NONE ? 'none' : by.value === AUTO ? 'auto' : [by.value]
    })
  );
  const center = select('center', trans.__('The group line'), [
    ['mean', trans.__('mean')],
    ['median', trans.__('median')]
  ]);
  center.value = current.center;
  center.addEventListener('change', () =>
    emit({ center: center.value as GroupCenter })
  );
  const band = select('band', trans.__('The band around it'), [
    ['minmax', trans.__('min–max')],
    ['std', trans.__('± std')],
    ['stderr', trans.__('± stderr')],
    ['none', trans.__('no band')]
  ]);
  band.value = current.band;
  band.addEventListener('change', () =>
    emit({ band: band.value as GroupBand })
  );
  const runs = document.createElement('label');
  runs.className = 'jp-runwatch-group-runs';
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.dataset.control = 'runs';
  box.checked = current.showRuns;
  box.addEventListener('change', () => emit({ showRuns: box.checked }));
  runs.append(box, trans.__('runs'));
  runs.title = trans.__("Show each group's runs, faintly");

  const split = select('split', trans.__('One column of plots per value of'), [
    [NONE, trans.__('no split')],
    ...options.keys.map(
      k => [k, trans.__('split by %1', k)] as [string, string]
    )
  ]);
  split.value = current.split ?? NONE;
  split.addEventListener('change', () =>
    emit({ split: split.value === NONE ? undefined : split.value })
  );

  const label = document.createElement('span');
  label.textContent = trans.__('group');
  node.append(label, by, center, band, runs, split);

  const sync = () => {
    const grouped = current.by !== 'none';
    center.disabled = band.disabled = box.disabled = !grouped;
    node.classList.toggle('jp-mod-grouped', grouped);
  };
  sync();
  return node;
}

function byValue(by: GroupBy): string {
  return by === 'none' ? NONE : by === 'auto' ? AUTO : by[0];
}

function select(
  control: string,
  title: string,
  choices: readonly (readonly [string, string])[]
): HTMLSelectElement {
  const node = document.createElement('select');
  node.className = 'jp-runwatch-plots-select';
  node.dataset.control = control;
  node.title = title;
  for (const [value, text] of choices) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = text;
    node.append(option);
  }
  return node;
}
