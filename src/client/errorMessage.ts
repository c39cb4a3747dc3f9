/**
 * The reason a failed HTTP response gives, read the way Jupyter's server
 * writes errors. No JupyterLab imports, so the review worker can use it.
 */

/** The server's `{"message"}` (Jupyter's error format), else the status. */
export async function errorMessage(response: Response): Promise<string> {
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
