/**
 * What the runs table's buttons do: open the selected runs through the
 * app's commands (review and compare, view, or monitor one run).
 */
import type { CommandRegistry } from '@lumino/commands';
import { CommandIDs } from '../tokens';
import type { OpenKind } from './runsTableWidget';

export function openRunsWith(
  commands: CommandRegistry
): (kind: OpenKind, runs: string[]) => void {
  return (kind, runs) => {
    if (runs.length === 0) {
      return;
    }
    const id =
      kind === 'monitor'
        ? CommandIDs.monitorRun
        : kind === 'view'
          ? CommandIDs.viewRun
          : CommandIDs.reviewRun;
    void commands.execute(id, { run: runs[0], runs });
  };
}
