import type { TypedDocumentString } from "@/gql/graphql";

/** One refused input as the server reports it (extensions.violations). */
export interface Violation {
  field: string;
  rule: string;
  message: string;
}

/** A refusal from the server: a stable code for the program, a Chinese message for people. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly violations: Violation[] = [],
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const ACTING_KEY = "zjh.actingRole";

/**
 * The role this browser tab acts in. Kept per tab (sessionStorage) and sent as `x-acting-role`,
 * so two tabs of one user can act in two roles; the server checks the header against the
 * user's own assignments on every request.
 */
export const actingRole = {
  get(): string | null {
    return sessionStorage.getItem(ACTING_KEY);
  },
  set(id: string | null) {
    if (id) sessionStorage.setItem(ACTING_KEY, id);
    else sessionStorage.removeItem(ACTING_KEY);
  },
};

/**
 * A download link (GET /api/files/<id>) that names this tab's acting role. A plain link cannot
 * send the `x-acting-role` header, and without it the server would answer in the session's
 * default role (the one another tab switched to last), so the link carries the role as the
 * `actingRole` query parameter, checked by the server like the header. Plain links let the
 * browser stream large videos straight to disk.
 */
export function fileHref(url: string): string {
  const acting = actingRole.get();
  if (!acting) return url;
  return `${url}${url.includes("?") ? "&" : "?"}actingRole=${encodeURIComponent(acting)}`;
}

type UnauthenticatedHandler = () => void;
let onUnauthenticated: UnauthenticatedHandler = () => undefined;

/** Called when the session has ended (expired, logged out elsewhere, account locked). */
export function setUnauthenticatedHandler(fn: UnauthenticatedHandler) {
  onUnauthenticated = fn;
}

/** The server's answer when it sheds load (HTTP 503): its message, or this one. */
export const BUSY_MESSAGE = "系统繁忙，请稍后重试";

/** Asked when the server answers 503 (busy or over its time budget): true retries the request. */
type BusyHandler = (message: string) => Promise<boolean>;
let onBusy: BusyHandler = async () => false;

/** Installs the prompt that offers to retry a request the server was too busy to answer. */
export function setBusyHandler(fn: BusyHandler) {
  onBusy = fn;
}

/** Codes of a 503: the server did not do the work now; the same request may be retried. */
const RETRYABLE = new Set(["SERVER_BUSY", "TIMEOUT"]);

/**
 * Runs `send` and, while the server answers 503 (SERVER_BUSY or TIMEOUT) and the user chooses
 * to retry, sends it again. Declining throws the server's refusal.
 */
async function withBusyRetry(send: () => Promise<Response>): Promise<Response> {
  for (;;) {
    const res = await send();
    if (res.status !== 503) return res;
    let code = "SERVER_BUSY";
    let message = BUSY_MESSAGE;
    try {
      const body = (await res.clone().json()) as { errors?: GqlErrorBody[]; error?: { code?: string; message?: string } };
      const e = body.errors?.[0] ?? body.error;
      const c = (e as GqlErrorBody | undefined)?.extensions?.code ?? (e as { code?: string } | undefined)?.code;
      if (c && RETRYABLE.has(String(c))) {
        code = String(c);
        message = e?.message ?? BUSY_MESSAGE;
      }
    } catch {
      // a 503 from a proxy: the generic busy message
    }
    if (!(await onBusy(message))) throw new ApiError(code, message);
  }
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  const h: Record<string, string> = { ...extra };
  const acting = actingRole.get();
  if (acting) h["x-acting-role"] = acting;
  return h;
}

interface GqlErrorBody {
  message: string;
  extensions?: { code?: string; field?: string; violations?: Violation[]; [k: string]: unknown };
}

function toApiError(e: GqlErrorBody): ApiError {
  const ext = e.extensions ?? {};
  return new ApiError(String(ext.code ?? "INTERNAL_SERVER_ERROR"), e.message, ext.field, ext.violations ?? [], ext);
}

/** Runs one typed GraphQL operation; a refusal throws ApiError with the server's message. */
export async function gql<TResult, TVariables>(
  doc: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  let res: Response;
  try {
    res = await withBusyRetry(() =>
      fetch("/graphql", {
        method: "POST",
        credentials: "same-origin",
        headers: headers({ "content-type": "application/json" }),
        body: JSON.stringify({ query: doc.toString(), variables }),
      }),
    );
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError("NETWORK", "无法连接服务器，请检查网络后重试");
  }
  let body: { data?: TResult; errors?: GqlErrorBody[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError("HTTP_" + res.status, `服务器返回了无法识别的响应（HTTP ${res.status}），请稍后重试`);
  }
  if (body.errors?.length) {
    const err = toApiError(body.errors[0]!);
    if (err.code === "UNAUTHENTICATED") onUnauthenticated();
    throw err;
  }
  return body.data as TResult;
}

/** Builds a query string from filters, leaving out empty values. */
export function queryString(params: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === "") continue;
    q.set(k, String(v));
  }
  const s = q.toString();
  return s ? "?" + s : "";
}

function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get("content-disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]!);
  const plain = /filename="([^"]+)"/i.exec(cd);
  return plain?.[1] ?? fallback;
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    if (body.error) return new ApiError(body.error.code ?? "HTTP_" + res.status, body.error.message ?? "请求失败");
  } catch {
    // not JSON: fall through to the generic message
  }
  return new ApiError("HTTP_" + res.status, `请求失败（HTTP ${res.status}）`);
}

/**
 * Downloads an Excel export (GET /api/export/<name>.xlsx?filters) with the acting-role header,
 * so the file has exactly the scope of the screen; a refusal surfaces the server's message.
 */
export async function downloadExport(name: string, filters: Record<string, unknown> = {}): Promise<string> {
  const res = await withBusyRetry(() =>
    fetch(`/api/export/${encodeURIComponent(name)}.xlsx${queryString(filters)}`, {
      credentials: "same-origin",
      headers: headers(),
    }),
  );
  if (!res.ok) throw await errorOf(res);
  const blob = await res.blob();
  const fileName = fileNameOf(res, `${name}.xlsx`);
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return fileName;
}

let exportList: Promise<{ name: string; title: string }[]> | null = null;

/** The exports the server offers (GET /api/exports), fetched once per page load. */
export function listExports(): Promise<{ name: string; title: string }[]> {
  exportList ??= (async () => {
    const res = await fetch("/api/exports", { credentials: "same-origin", headers: headers() });
    if (!res.ok) throw await errorOf(res);
    return res.json();
  })();
  exportList.catch(() => (exportList = null));
  return exportList;
}

export interface UploadProgress {
  loaded: number;
  total: number;
  percent: number;
}

/**
 * Uploads one file with progress (XMLHttpRequest: fetch cannot report upload progress).
 * Resolves with the server's JSON answer; a refusal rejects with its ApiError.
 */
export function uploadFile<T = unknown>(
  url: string,
  file: File,
  fields: Record<string, string> = {},
  onProgress?: (p: UploadProgress) => void,
): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("file", file, file.name);
    xhr.open("POST", url);
    xhr.withCredentials = true;
    // Upload routes refuse requests a cross-site form could send (no custom header).
    for (const [k, v] of Object.entries(headers({ "x-requested-with": "XMLHttpRequest" }))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.({ loaded: e.loaded, total: e.total, percent: Math.floor((e.loaded / e.total) * 100) });
    };
    xhr.onerror = () => reject(new ApiError("NETWORK", "上传失败：无法连接服务器"));
    xhr.onabort = () => reject(new ApiError("ABORTED", "已取消上传"));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // handled below
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body as T);
        return;
      }
      const err = (body as { error?: GqlErrorBody & { code?: string } } | null)?.error;
      if (err) {
        const ext = err.extensions ?? {};
        reject(new ApiError(err.code ?? String(ext.code ?? "HTTP_" + xhr.status), err.message, ext.field ?? (err as { field?: string }).field, ext.violations ?? (err as { violations?: Violation[] }).violations ?? []));
      } else {
        reject(new ApiError("HTTP_" + xhr.status, `上传失败（HTTP ${xhr.status}）`));
      }
    };
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
