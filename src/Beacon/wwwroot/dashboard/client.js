// What the dashboard and the vendor console share (the console loads it from here, as it does the
// stylesheet): the HTTP client and its errors, the session-scoped credential, number formatting and the
// meter catalog. Each page keeps its own rendering.

/** An answer that was not 2xx: the status, and the problem's words (RFC 9457) for the person reading. */
export class ApiError extends Error {
  constructor(status, message, errors = []) {
    super(message);
    this.status = status;
    this.errors = errors; // a validation problem's fields (or an uploaded file's rows), one message each
  }
}

/**
 * Fetches `path` with the credential in `header`; returns the response when it is 2xx and throws an
 * ApiError otherwise. A validation problem is told by its title with its `errors` listed; any other
 * problem by its detail.
 */
export async function call(path, { header, secret, contentType, ...init } = {}) {
  const headers = { ...(header ? { [header]: secret ?? '' } : {}), ...(init.body ? { 'Content-Type': contentType ?? 'application/json' } : {}) };
  const response = await fetch(path, { ...init, headers });
  if (response.ok) return response;
  let problem = null;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try { problem = await response.json(); } catch { /* not a problem body */ }
  }
  const errors = Array.isArray(problem?.errors) ? problem.errors : [];
  throw new ApiError(response.status, (errors.length ? problem.title : problem?.detail || problem?.title) || `The request failed (${response.status}).`, errors);
}

/** A credential kept in this tab's session storage only (never in the URL, gone when the tab closes). */
export const session = (name) => ({
  get: () => sessionStorage.getItem(name),
  set: (value) => sessionStorage.setItem(name, value),
  clear: () => sessionStorage.removeItem(name),
});

const numbers = new Intl.NumberFormat('en-US');

/** A count as both pages show it: digits grouped by commas, '—' for none. */
export const formatNumber = (n) => (n === null || n === undefined ? '—' : numbers.format(n));

/** The meter catalog (public, no credential): every meter's name and title, every kind's fields, come from it. */
export async function meterCatalog() {
  return (await call('/api/v1/meters')).json();
}
