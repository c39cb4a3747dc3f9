/**
 * When comparing runs, colour tells runs apart and dash tells labels
 * apart: this line says, once for the grid, which dash is which label.
 */
import { IGridMember, labelDash } from '../series/grid';
import { drawnFrom } from './drawnFrom';
import { plotlyDash } from './canvasTraces';

/** Each label of the grid with its dash, in the grid's dash order. */
export function dashKey(
  members: readonly IGridMember[]
): { label: string; dash: string }[] {
  const labels = [...new Set(members.map(m => m.label))].sort();
  return labels.map(label => ({ label, dash: labelDash(label, labels) }));
}

/** Fill `node` with the dash key (hidden with fewer than two labels). */
export function renderDashLegend(
  node: HTMLElement,
  members: readonly IGridMember[],
  comparing: boolean
): void {
  const key = comparing ? dashKey(members) : [];
  if (drawnFrom(node, JSON.stringify(key))) {
    return;
  }
  node.hidden = key.length < 2;
  node.textContent = '';
  if (node.hidden) {
    return;
  }
  const svgNs = 'http://www.w3.org/2000/svg';
  for (const { label, dash } of key) {
    const item = document.createElement('span');
    item.className = 'jp-runwatch-dash-item';
    const svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('width', '28');
    svg.setAttribute('height', '8');
    const line = document.createElementNS(svgNs, 'line');
    line.setAttribute('x1', '0');
    line.setAttribute('x2', '28');
    line.setAttribute('y1', '4');
    line.setAttribute('y2', '4');
    line.setAttribute('stroke-dasharray', plotlyDash(dash, 2).join(','));
    svg.appendChild(line);
    item.append(svg, label || '(no label)');
    item.dataset.dash = dash;
    node.appendChild(item);
  }
}
