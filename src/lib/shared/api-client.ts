// fetch wrapper for islands: JSON in and out, errors as { code, message } so
// forms can show them inline. Never throws for HTTP errors.
export interface ApiError {
  code: string;
  message: string;
  details?: { issues?: { path: string; message: string }[] };
}

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: ApiError };

export function callApi<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  extraHeaders: Record<string, string> = {},
): Promise<ApiResult<T>> {
  return send<T>(url, {
    method,
    headers: {
      ...extraHeaders,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** One request, its JSON answer or error as an ApiResult. */
async function send<T>(url: string, init: RequestInit, httpMessage = genericMessage): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'same-origin' });
  } catch {
    return {
      ok: false,
      status: 0,
      error: { code: 'NETWORK', message: 'Could not reach Soko; check your connection and try again' },
    };
  }
  const data = (await res.json().catch(() => null)) as { error?: ApiError } | null;
  if (res.ok) return { ok: true, status: res.status, data: data as T };
  return {
    ok: false,
    status: res.status,
    error: data?.error ?? { code: 'HTTP_' + res.status, message: httpMessage(res.status) },
  };
}

const genericMessage = (status: number) => `Something went wrong (${status}); please try again`;

/** Field errors keyed by field name ('email' for 'body.email'). */
export function fieldErrors(error: ApiError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.details?.issues ?? []) {
    const field = issue.path.replace(/^body\.?/, '');
    if (field && !out[field]) out[field] = issue.message;
  }
  return out;
}

/** Uploads a multipart form (an image); same result shape as callApi. The browser adds the boundary and Origin. */
export function uploadForm<T>(url: string, form: FormData): Promise<ApiResult<T>> {
  return send<T>(url, { method: 'POST', headers: { Accept: 'application/json' }, body: form }, (status) =>
    status === 413 ? 'That file is too large' : genericMessage(status),
  );
}

/** The message to show beside a field for an API error: the first issue's own words if it has some. */
export function errorText(error: ApiError): string {
  return error.details?.issues?.[0]?.message ?? error.message;
}
