// JSON-RPC as Odoo's web client speaks it, for the benchmarks and the demo, which act as a logged-in user.

/** Logs in on `database` and returns the session id. */
export async function login(baseUrl, database, { login = "admin", password = "admin" } = {}) {
  const response = await fetch(`${baseUrl}/web/session/authenticate`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: { db: database, login, password } }),
  });
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith("session_id="));
  if (!response.ok || !cookie) throw new Error(`login failed: HTTP ${response.status}`);
  return cookie.split(";")[0].slice("session_id=".length);
}

/** A `(route, params) => result` caller bound to a session; an Odoo error is thrown with its message. */
export function jsonRpc(baseUrl, session) {
  return async (route, params) => {
    const response = await fetch(`${baseUrl}${route}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: `session_id=${session}` },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", params }),
    });
    const answer = await response.json();
    if (answer.error) throw new Error(`${route}: ${answer.error.data?.message ?? answer.error.message}`);
    return answer.result;
  };
}

/** The route and params of a model method call, for a `jsonRpc` caller. */
export const callKw = (model, method, args, kwargs = {}) => [`/web/dataset/call_kw/${model}/${method}`, { model, method, args, kwargs }];
