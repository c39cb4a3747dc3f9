/**
 * runwatch's icons.
 */
import { LabIcon } from '@jupyterlab/ui-components';

/** A pulse line over a list: the runs panel's tab. */
export const runsIcon = new LabIcon({
  name: 'runwatch:runs',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<g class="jp-icon3" fill="none" stroke="#616161" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">' +
    '<polyline points="2,9 6,9 8.5,3 12.5,15 15,9 22,9"/>' +
    '<line x1="3" y1="15" x2="9" y2="15"/><line x1="3" y1="19" x2="21" y2="19"/>' +
    '</g></svg>'
});
