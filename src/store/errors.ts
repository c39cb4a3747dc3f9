/**
 * Typed errors for everything the store reads.
 *
 * Every malformed input (a `.npr` header, a dtype, an `_info.json`, a run
 * query) is reported as a `StoreError` naming the file (or query) and the
 * reason, so the UI can flag exactly that channel or run and keep going.
 */

/**
 * The base class of every error raised by `src/store`.
 */
export class StoreError extends Error {
  /**
   * @param file - the file, run or query the error is about.
   * @param reason - what is wrong with it, in words a user can act on.
   */
  constructor(
    readonly file: string,
    readonly reason: string
  ) {
    super(`${file}: ${reason}`);
    this.name = new.target.name;
  }
}

/** A `.npy`/`.npr` header is truncated, has the wrong magic or is garbled. */
export class HeaderError extends StoreError {}

/** A header is readable but describes a dtype or shape runwatch can't decode. */
export class DtypeError extends StoreError {}

/** An `_info.json` is not JSON, not an object, or lacks `_created`. */
export class InfoError extends StoreError {}

/** A run folder name doesn't follow `YYYY-MM-DD HH-MM-SS words[ suffix]`. */
export class RunNameError extends StoreError {}

/** A run query matched no run, or several where exactly one is needed. */
export class ResolveError extends StoreError {}

/** Columns can't be aggregated: unknown kind, missing field, bad rule. */
export class AggregateError extends StoreError {}
