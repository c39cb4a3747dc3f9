/**
 * `%review` and `%view` in a notebook output: the plots, the PNG a review
 * saves into the notebook, and that PNG again when the runs are gone.
 */
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { Panel, Widget } from '@lumino/widgets';
import type { OutputModel } from '../outputs/outputModel';
import type { IRunwatchClient } from '../tokens';
import { GroupedPlots } from './groups/groupedPlots';
import { PlotsWidget } from './view/plotsWidget';

/** The bundle of a plots output, as the kernel emits it. */
export interface IPlotsBundle {
  readonly widget: 'review' | 'view';
  readonly runs: readonly string[];
  readonly query?: string;
  readonly root?: string;
  /** `--group`: `auto`, `none` or param names; absent: the runs decide. */
  readonly group?: 'auto' | 'none' | readonly string[];
  /** `--split`: one column of plots per value of this param. */
  readonly split?: string;
  /** `--x`: the channel x starts on (a step or counter); absent: time. */
  readonly x?: string;
}

const PNG = 'image/png';

/**
 * The output's widget: live or snapshot plots of the bundle's runs.
 *
 * #### Notes
 * Once a review has drawn, its plots are written back into the output as
 * `image/png` (`model.write`), so the saved notebook shows them where
 * runwatch or the store is missing: without runwatch, JupyterLab renders
 * the PNG; with runwatch but without the runs, this shows it.
 */
export function createPlotsOutput(
  bundle: IPlotsBundle,
  model: OutputModel,
  client: IRunwatchClient,
  translator?: ITranslator
): Widget {
  const trans = (translator ?? nullTranslator).load('runwatch');
  const host = new Panel();
  host.addClass('jp-runwatch-plots-output');
  const grouped =
    bundle.widget === 'review' && bundle.runs.length > 1
      ? new GroupedPlots({
          runs: bundle.runs,
          query: bundle.query,
          group: bundle.group,
          x: bundle.x,
          split: bundle.split,
          ...client,
          translator
        })
      : undefined;
  const single = grouped
    ? undefined
    : new PlotsWidget({
        runs: bundle.runs,
        live: bundle.widget === 'view',
        query: bundle.query,
        x: bundle.x,
        ...client,
        translator
      });
  host.addWidget(grouped ?? single!);
  const ready = grouped ? grouped.ready : single!.ready;
  void ready.then(async () => {
    const plots = grouped?.plots ?? single;
    if (!plots) {
      return;
    }
    await plots.ready;
    if (plots.isDisposed) {
      return;
    }
    const saved = model.data[PNG];
    if (plots.failed) {
      if (typeof saved === 'string') {
        host.addWidget(savedImage(saved, plots, trans));
      }
      return;
    }
    if (bundle.widget !== 'review') {
      return;
    }
    const png = await plots.snapshotPng();
    if (png && !plots.isDisposed && png !== saved) {
      model.write(PNG, png);
    }
  });
  return host;
}

/** The PNG saved with the notebook, for runs no longer in the store. */
function savedImage(
  png: string,
  plots: PlotsWidget,
  trans: TranslationBundle
): Widget {
  const node = document.createElement('div');
  node.className = 'jp-runwatch-plots-saved';
  const note = document.createElement('div');
  note.className = 'jp-runwatch-plots-message';
  note.textContent = trans.__(
    'These runs are not in the store: showing the plots saved with the notebook.'
  );
  const image = document.createElement('img');
  image.alt = trans.__('runwatch plots of %1', plots.runs.join(', '));
  image.src = `data:${PNG};base64,${png}`;
  node.append(note, image);
  return new Widget({ node });
}
