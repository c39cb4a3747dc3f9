/**
 * Typed access to runwatch's REST endpoints, behind an interface that tests
 * replace with a fake.
 */
import { requestAPI, requestBytes } from './requestAPI';
import { IRunRefusal, RUN_DETAILS, RunDetailsBatch } from './runDetails';

/**
 * A run's status, as the server judges it from evidence (docs/server-api.md,
 * "Run status"): `running`, `stalled`, `crashed`, `failed` or `finished`
 * for runs whose writers record their process; `live`, `stale` or
 * `finished` by mtime for pavlov's runs; `unreadable`.
 */
export type RunStatus =
  | 'running'
  | 'stalled'
  | 'crashed'
  | 'failed'
  | 'live'
  | 'stale'
  | 'finished'
  | 'unreadable';

/** One run in `GET runwatch/api/runs`. */
export interface IRunSummary {
  readonly name: string;
  /** `_created` as ISO 8601, or `null` if unreadable. */
  readonly created: string | null;
  readonly created_ms: number | null;
  readonly status: RunStatus;
  /** The status in words (`pid 1234 gone…`), or `null` (unreadable). */
  readonly reason?: string | null;
  /** Why the run is unreadable, or `null`. */
  readonly error: string | null;
  /** Bytes on disk. */
  readonly size: number;
  readonly last_write_ms: number | null;
  /** Cut at 1,000 characters in the listing (whole in `GET runs/<run>`). */
  readonly description?: unknown;
  /** Summarised past 4 KiB in the listing (whole in `GET runs/<run>`). */
  readonly params?: unknown;
  /** Whether `params` was summarised. */
  readonly params_truncated?: boolean;
}

/** The reply of `GET runwatch/api/runs`: newest run first. */
export interface IRunList {
  /** The store root as the server sees it. */
  readonly root: string;
  readonly runs: IRunSummary[];
}

/** One file of a run, from `_info.json`'s `_files` and the disk. */
export interface IFileEntry {
  readonly name: string;
  readonly size: number;
  readonly mtime_ms: number;
  readonly type: 'stats' | 'log' | 'info';
  /** The stats channel, for stats files. */
  readonly channel?: string | null;
  /** The stat kind, for stats files. */
  readonly kind?: string | null;
  /** The `_files` entry: `_process_id`, `_process_name`, `_thread_id`… */
  readonly writer?: Record<string, unknown> | null;
  /** Why the file can't be read (e.g. a bad header), or `null`. */
  readonly error: string | null;
}

/** The reply of `GET runwatch/api/runs/<name>`. */
export interface IRunDetail {
  readonly name: string;
  /** `_info.json` without `_env`; `null` if unreadable. */
  readonly info: Record<string, unknown> | null;
  readonly status: RunStatus;
  readonly reason?: string | null;
  readonly error: string | null;
  readonly size: number;
  readonly files: IFileEntry[];
  /**
   * The run declared steerable params or holds steering answers (absent
   * from an older server: unknown).
   */
  readonly steering?: boolean;
}

/** A byte range of a store file. */
export interface IFileChunk {
  readonly bytes: Uint8Array;
  /** The file offset of `bytes[0]` (resolves a negative request offset). */
  readonly offset: number;
  /** The file's size when the server read it. */
  readonly fileSize: number;
}

/** The server's run-store endpoints. */
export interface IRunwatchAPI {
  /** Runs newest first, optionally filtered by an fnmatch glob. */
  listRuns(glob?: string): Promise<IRunList>;
  /** The names a query (`-1`, a name, a glob) resolves to. */
  resolve(query: string): Promise<string[]>;
  /** One run's info and files. */
  getRun(name: string): Promise<IRunDetail>;
  /**
   * Bytes of a run's file from `offset` (negative: from the end), at most
   * `length` of them (all the rest if omitted).
   */
  readFile(
    run: string,
    file: string,
    offset: number,
    length?: number
  ): Promise<IFileChunk>;
}

/** `IRunwatchAPI` over HTTP, through `requestAPI`. */
export class RunwatchAPI implements IRunwatchAPI {
  listRuns(glob?: string): Promise<IRunList> {
    const query = glob ? `?glob=${encodeURIComponent(glob)}` : '';
    return requestAPI<IRunList>(`runs${query}`);
  }

  async resolve(query: string): Promise<string[]> {
    const reply = await requestAPI<{ runs: string[] }>(
      `resolve?q=${encodeURIComponent(query)}`
    );
    return reply.runs;
  }

  /** Fetched with the other runs asked for in the same turn (`runDetails`). */
  getRun(name: string): Promise<IRunDetail> {
    return this._details.get(name);
  }

  private readonly _details = new RunDetailsBatch(
    name => requestAPI<IRunDetail>(`runs/${encodeURIComponent(name)}`),
    async names => {
      const query = names.map(n => `run=${encodeURIComponent(n)}`).join('&');
      const reply = await requestAPI<{
        runs: (IRunDetail | IRunRefusal)[];
      }>(`${RUN_DETAILS}?${query}`);
      return reply.runs;
    }
  );

  async readFile(
    run: string,
    file: string,
    offset: number,
    length?: number
  ): Promise<IFileChunk> {
    let query = `offset=${offset}`;
    if (length !== undefined) {
      query += `&length=${length}`;
    }
    const { bytes, headers } = await requestBytes(
      `runs/${encodeURIComponent(run)}/files/${encodeURIComponent(file)}?${query}`
    );
    const fileSize = Number(headers.get('X-Runwatch-File-Size') ?? NaN);
    const start = Number(headers.get('X-Runwatch-Offset') ?? NaN);
    return {
      bytes,
      offset: Number.isFinite(start) ? start : Math.max(0, offset),
      fileSize: Number.isFinite(fileSize) ? fileSize : NaN
    };
  }
}
