// api: the dashboard's calls to /api/v1. The CSRF token the session
// gave goes with every state-changing call; a 401 sends the person back
// to the login page with the reason.
let csrf = '';

export class ApiError extends Error {
  constructor(status, key, message) {
    super(message);
    this.status = status;
    this.key = key;
  }
}

export function setCsrf(token) {
  csrf = token || '';
}

export async function api(method, path, body) {
  const headers = {};
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch(`/api/v1/${path}`, init);
  let data = null;
  try {
    data = await r.json();
  } catch (e) {
    data = null;
  }
  if (!r.ok) {
    const err = new ApiError(r.status, data && data.error, (data && data.message) || r.statusText);
    if (r.status === 401 && path !== 'session') window.dispatchEvent(new CustomEvent('mamori-logged-out', { detail: err.key }));
    throw err;
  }
  return data;
}
