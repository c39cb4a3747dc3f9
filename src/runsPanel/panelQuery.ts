/**
 * The runs panel's filter: a word, glob or index over names (`filterRuns`),
 * or a filter expression of the one query language over what the listing
 * knows of each run (name, status, reason, created, description, params).
 */
import type { IRunSummary } from '../client';
import { isFilter, parseFilter, QueryError } from '../query';
import { filterRuns, IRunEntry } from '../store/resolve';

/** The runs shown, or why the filter can't be read. */
export interface IPanelMatch {
  readonly runs: IRunSummary[];
  readonly error?: string;
}

/** A listed run as a query row: params flattened under `params.`. */
export function summaryRow(run: IRunSummary): Record<string, unknown> {
  const row: Record<string, unknown> = {
    name: run.name,
    status: run.status,
    reason: run.reason ?? null,
    created: run.created,
    created_ms: run.created_ms,
    description: run.description ?? null
  };
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value)) {
        walk(child, path ? `${path}.${key}` : key);
      }
    } else if (path) {
      row[`params.${path}`] = value;
    }
  };
  walk(run.params, '');
  return row;
}

function entry(run: IRunSummary): IRunEntry {
  return { name: run.name, created: run.created_ms ?? undefined };
}

/** The runs `text` keeps, in the listing's order. */
export function matchRuns(
  text: string,
  runs: readonly IRunSummary[]
): IPanelMatch {
  const query = text.trim();
  // An exact name wins, even one that reads like a filter.
  if (!isFilter(query) || runs.some(r => r.name === query)) {
    return { runs: filterRuns(text, runs, entry) };
  }
  try {
    const filter = parseFilter(query);
    return { runs: runs.filter(run => filter.matches(summaryRow(run))) };
  } catch (error) {
    if (error instanceof QueryError) {
      return { runs: [], error: error.message };
    }
    throw error;
  }
}
