// The public API (docs: README "API overview"), with the player's token, and problem+json turned into messages
// people understand.

const TOKEN_KEY = 'replay-buffer.token';

export const session = {
  /** Launchers open the page as /#token=...; the fragment never reaches a server log. Kept for this tab only. */
  load() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.get('token')) {
      sessionStorage.setItem(TOKEN_KEY, fragment.get('token'));
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  },
  save(token) { sessionStorage.setItem(TOKEN_KEY, token.trim()); },
  clear() { sessionStorage.removeItem(TOKEN_KEY); },
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  /** Who the token names (its subject), for display only: the server checks the token. */
  get user() {
    try {
      const claims = JSON.parse(atob(this.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      return claims.upn || claims.preferred_username || claims.sub;
    } catch (e) {
      return null;
    }
  },
};

/** An API error with a message for people; `problem` is the server's problem+json. */
export class ApiError extends Error {
  constructor(message, status, problem, retryAfterSeconds) {
    super(message);
    this.status = status;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }
  get type() { return problemType(this.problem); }
}

export class NetworkError extends Error {}

export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { Authorization: `Bearer ${session.token}`, Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
  } catch (e) {
    throw new NetworkError('Cannot reach the service. Check your connection; the page reconnects by itself.');
  }
  if (response.ok) {
    return response.status === 204 ? null : response.json();
  }
  const problem = await response.json().catch(() => null);
  const retryAfter = Number(response.headers.get('Retry-After')) || null;
  throw new ApiError(explain(response.status, problem, retryAfter), response.status, problem, retryAfter);
}

/** Fetches an authenticated image (thumbnails need the token) as an object URL. */
export async function imageUrl(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${session.token}` } });
  if (!response.ok) {
    return null;
  }
  return URL.createObjectURL(await response.blob());
}

/** The last part of a problem's type URI, e.g. "rate-limited". */
function problemType(problem) {
  return problem && problem.type ? problem.type.split('/').pop() : null;
}

function explain(status, problem, retryAfter) {
  switch (problemType(problem)) {
    case 'quota-exceeded':
      return 'Your clip storage is full. Delete some clips to make room, then capture again.';
    case 'rate-limited':
      // Every per-user limit shares this type; `limit` says which one.
      return !problem.limit || problem.limit === 'capture'
        ? `You are capturing too fast. Try again in ${retryAfter || '?'} s.`
        : `${problem.detail || 'Too many requests'}.`;
    case 'nothing-to-capture':
      return 'Your buffer has no footage to capture yet. Is your buffer running?';
    case 'capture-busy':
      return `The service is busy building other clips. Try again in ${retryAfter || 'a few'} s.`;
    case 'insufficient-storage':
      return 'The service is out of disk space right now. Try again later.';
    case 'livekit-unavailable':
      return 'Recording is unavailable right now. Try again in a minute.';
    default:
      if (status === 401) {
        return 'Your sign-in has expired. Sign in again.';
      }
      if (status === 404 && problem && /buffer/i.test(problem.detail || '')) {
        return 'Your buffer is not running.';
      }
      return (problem && (problem.detail || problem.title)) || `Something went wrong (HTTP ${status}).`;
  }
}
