/**
 * The one helper for calls to runwatch's server extension (`runwatch/api/`).
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { errorMessage } from './errorMessage';

/** The path of runwatch's REST API under the server's base URL. */
export const API_PATH = 'runwatch/api';

/**
 * A failed call to runwatch's server, carrying the server's own message.
 *
 * `status` is the HTTP status, or 0 when the server couldn't be reached.
 */
export class RunwatchAPIError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly url: string
  ) {
    super(message);
    this.name = 'RunwatchAPIError';
  }
}

/** The raw bytes of a byte-range request and the headers that place them. */
export interface IByteResponse {
  readonly bytes: Uint8Array;
  /** The response's headers (`X-Runwatch-File-Size`, `X-Runwatch-Offset`). */
  readonly headers: Headers;
}

/**
 * Call `runwatch/api/<endPoint>` and parse the JSON reply.
 *
 * @param endPoint - the path under `runwatch/api/`, with any query string;
 *   the caller encodes path segments.
 * @throws RunwatchAPIError with the server's `message` on any failure.
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<T> {
  const { response, url } = await send(endPoint, init, settings);
  const text = await response.text();
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch {
    throw new RunwatchAPIError(`${url}: the server sent invalid JSON`, 0, url);
  }
}

/**
 * Call `runwatch/api/<endPoint>` and return the reply's raw bytes.
 *
 * @throws RunwatchAPIError with the server's `message` on any failure.
 */
export async function requestBytes(
  endPoint: string,
  init: RequestInit = {},
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): Promise<IByteResponse> {
  const { response } = await send(endPoint, init, settings);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { bytes, headers: response.headers };
}

async function send(
  endPoint: string,
  init: RequestInit,
  settings: ServerConnection.ISettings
): Promise<{ response: Response; url: string }> {
  const url = URLExt.join(settings.baseUrl, API_PATH, endPoint);
  let response: Response;
  try {
    // makeRequest adds the token and the XSRF header.
    response = await ServerConnection.makeRequest(url, init, settings);
  } catch (error) {
    throw new RunwatchAPIError(
      `can't reach the Jupyter server: ${(error as Error).message}`,
      0,
      url
    );
  }
  if (!response.ok) {
    throw new RunwatchAPIError(
      await errorMessage(response),
      response.status,
      url
    );
  }
  return { response, url };
}
