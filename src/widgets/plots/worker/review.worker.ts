/**
 * The review worker: fetches a snapshot's stats files, decodes and merges
 * them and resolves their series off the UI thread, and hands each
 * channel's arrays back without copying them (transferred).
 */
import { loadChannels, resultBuffers } from './load';
import { ILoadMessage, WorkerReply } from './protocol';

/** The worker's global scope, typed without the WebWorker lib. */
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ILoadMessage>) => void) | null;
  postMessage(
    message: WorkerReply,
    options?: { transfer: Transferable[] }
  ): void;
};

scope.onmessage = event => {
  void load(event.data);
};

async function load(message: ILoadMessage): Promise<void> {
  const headers: Record<string, string> = message.token
    ? { Authorization: `token ${message.token}` }
    : {};
  const read = async (file: string, offset: number, length: number) => {
    const url =
      `${message.baseUrl.replace(/\/?$/, '/')}runwatch/api/runs/` +
      `${encodeURIComponent(message.run)}/files/${encodeURIComponent(file)}` +
      `?offset=${offset}&length=${length}`;
    let response: Response;
    try {
      response = await fetch(url, { headers, credentials: 'same-origin' });
    } catch (error) {
      throw new Error(
        `can't reach the Jupyter server: ${(error as Error).message}`
      );
    }
    if (!response.ok) {
      throw new Error(await errorMessage(response));
    }
    return new Uint8Array(await response.arrayBuffer());
  };
  try {
    await loadChannels(
      message.channels,
      BigInt(message.originNs),
      read,
      result =>
        scope.postMessage(
          { type: 'channel', result },
          { transfer: resultBuffers(result) }
        ),
      { rule: message.rule }
    );
    scope.postMessage({ type: 'done' });
  } catch (error) {
    scope.postMessage({ type: 'error', message: (error as Error).message });
  }
}

/** The server's `{"message"}` (Jupyter's error format), else the status. */
async function errorMessage(response: Response): Promise<string> {
  let text = '';
  try {
    text = await response.text();
    const body = JSON.parse(text) as { message?: unknown; reason?: unknown };
    for (const value of [body.message, body.reason]) {
      if (typeof value === 'string' && value) {
        return value;
      }
    }
  } catch {
    // Not JSON: fall through to the status line.
  }
  const status = `${response.status} ${response.statusText}`.trim();
  return text && text.length < 200 && !text.startsWith('<')
    ? `${status}: ${text}`
    : status;
}
