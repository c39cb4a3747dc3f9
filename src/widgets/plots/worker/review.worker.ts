/**
 * The review worker: streams a run's stats files from the server, decodes
 * and merges them, and resolves and reduces their series off the UI
 * thread (`resolve.ts`). Only the reduced series cross to the page,
 * transferred, not copied; the rows are dropped once resolved.
 */
import { errorMessage } from '../../../client/errorMessage';
import { WorkerReply, WorkerRequest } from './protocol';
import {
  channelsCsv,
  ReadChunks,
  resolveChannels,
  resolvedBuffers
} from './resolve';
import { RowCache } from './rowCache';

/** The worker's global scope, typed without the WebWorker lib. */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(
    message: WorkerReply,
    options?: { transfer: Transferable[] }
  ): void;
};

let server = { baseUrl: '', token: '' };
const cache = new RowCache();
const cancelledIds = new Set<number>();

scope.onmessage = event => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      server = { baseUrl: message.baseUrl, token: message.token };
      break;
    case 'cancel':
      cancelledIds.add(message.id);
      break;
    case 'series':
      void answer(message.id, cancelled =>
        resolveChannels(
          message,
          readChunks,
          resolved =>
            scope.postMessage(
              { type: 'channel', id: message.id, resolved },
              { transfer: resolvedBuffers(resolved) }
            ),
          cancelled,
          cache
        )
      );
      break;
    case 'csv':
      void answer(message.id, async cancelled => {
        const encoder = new TextEncoder();
        const text = await channelsCsv(
          message.channels,
          readChunks,
          cancelled,
          cache
        );
        const chunks = text.map(t => encoder.encode(t));
        scope.postMessage(
          { type: 'csv', id: message.id, chunks },
          { transfer: chunks.map(c => c.buffer as ArrayBuffer) }
        );
      });
      break;
  }
};

/** Run request `id`, then say `done` (or why it failed). */
async function answer(
  id: number,
  work: (cancelled: () => boolean) => Promise<void>
): Promise<void> {
  try {
    await work(() => cancelledIds.has(id));
    scope.postMessage({ type: 'done', id });
  } catch (error) {
    scope.postMessage({ type: 'error', id, message: (error as Error).message });
  } finally {
    cancelledIds.delete(id);
  }
}

/** Bytes read per chunk into one reused buffer (per read in flight). */
const CHUNK_BYTES = 1 << 20;

/**
 * A file's byte range over HTTP, chunk by chunk as it arrives: reading the
 * body as a stream is much faster than `arrayBuffer()` in Chromium (about
 * 2x here) and lets decoding overlap the transfer. A BYOB reader fills one
 * reused buffer, so streaming a gigabyte leaves no gigabyte of garbage;
 * each chunk is only valid until the next is asked for (`ReadChunks`).
 */
const readChunks: ReadChunks = async function* (run, file, offset, length) {
  const url =
    `${server.baseUrl.replace(/\/?$/, '/')}runwatch/api/runs/` +
    `${encodeURIComponent(run)}/files/${encodeURIComponent(file)}` +
    `?offset=${offset}&length=${length}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: server.token ? { Authorization: `token ${server.token}` } : {},
      credentials: 'same-origin'
    });
  } catch (error) {
    throw new Error(
      `can't reach the Jupyter server: ${(error as Error).message}`
    );
  }
  if (!response.ok) {
    throw new Error(`${file}: ${await errorMessage(response)}`);
  }
  if (!response.body) {
    yield new Uint8Array(await response.arrayBuffer());
    return;
  }
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = response.body.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream here: the default reader below.
  }
  if (byob) {
    yield* readInto(byob);
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        return;
      }
      yield value;
    }
  } finally {
    // Stops the transfer if the reader left early (cancelled).
    void reader.cancel().catch(() => undefined);
  }
};

/** A byte stream read into one reused buffer. */
async function* readInto(
  reader: ReadableStreamBYOBReader
): AsyncIterable<Uint8Array> {
  let buffer = new ArrayBuffer(CHUNK_BYTES);
  try {
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done || !value) {
        return;
      }
      yield value;
      buffer = value.buffer as ArrayBuffer;
    }
  } finally {
    void reader.cancel().catch(() => undefined);
  }
}
