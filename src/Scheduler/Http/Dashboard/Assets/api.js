// The API as the pages use it: every call carries the token kept for this tab; a 401 signs the tab out.
const tokenKey = 'sched.token';
const signedOut = new Set();

export const token = () => sessionStorage.getItem(tokenKey);
export const signIn = value => sessionStorage.setItem(tokenKey, value.trim());
export const onSignedOut = handler => signedOut.add(handler);

export function signOut(reason) {
  sessionStorage.removeItem(tokenKey);
  signedOut.forEach(handler => handler(reason));
}

/** A refusal of the API with its problem document: title, detail and, for a 400, the errors of each field. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title || `HTTP ${status}`;
    this.errors = problem.errors || {};
  }
}

/** fetch with the token; answers the Response of a success, throws ApiError for any other answer. */
export async function call(path, { method = 'GET', body, type, signal } = {}) {
  const headers = { Authorization: `Bearer ${token() || ''}` };
  if (type) headers['Content-Type'] = type;
  const response = await fetch(path, { method, body, headers, signal, cache: 'no-store' });
  if (response.ok) return response;
  const problem = await response.json().catch(() => ({}));
  const error = new ApiError(response.status, problem);
  if (response.status === 401) signOut(`${error.title}: ${error.message}`);
  throw error;
}

export const getJson = async (path, options) => (await call(path, options)).json();

export const sendJson = (path, method, value) =>
  getJson(path, { method, body: value === undefined ? undefined : JSON.stringify(value), type: 'application/json' });
