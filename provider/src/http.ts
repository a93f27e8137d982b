/**
 * The one HTTP client. Keep-alive connections, connect/header/body timeouts, bounded retries with exponential
 * backoff and full jitter on 408, 429, 5xx and connection errors, honouring Retry-After. A POST that creates
 * something is never blindly retried once it may have reached the server: it surfaces as AmbiguousRequestError and
 * the lifecycle reconciles by looking the resource up under its client-chosen ID.
 */
import { Agent, errors as undiciErrors, request } from "undici";
import { AmbiguousRequestError, ApiError, type ErrorContext, GRPC_CODE_NAMES, TransportError, errorText, redact } from "./errors";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface RetryPolicy {
  /** Total attempts, including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is capped, so one bad header cannot stall an update for an hour. */
  maxRetryAfterMs: number;
}

export interface HttpClientOptions {
  baseUrl: string;
  apiKey: string;
  retry?: Partial<RetryPolicy>;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  userAgent?: string;
  /** Injected in tests to observe backoff without waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
}

export interface RetryEvent {
  attempt: number;
  delayMs: number;
  reason: string;
  method: HttpMethod;
  path: string;
}

export interface ApiRequest {
  method: HttpMethod;
  /** Path below the base URL, starting with "/v1/". */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Whether repeating the request is harmless. Defaults to true for everything but POST. */
  idempotent?: boolean;
  context: ErrorContext;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 15_000, maxRetryAfterMs: 60_000 };

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Statuses that prove the server did not act on the request, so even a POST may be repeated. */
const REJECTED_UNPROCESSED = new Set([408, 429]);
/** Connection failures that happen before any byte of the request is sent. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "ENOTFOUND", "EAI_AGAIN"]);

const HTTP_STATUS_CODE_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 409: "ALREADY_EXISTS",
  429: "RESOURCE_EXHAUSTED", 499: "CANCELLED", 500: "INTERNAL", 501: "UNIMPLEMENTED", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
};

export class HttpClient {
  private readonly agent: Agent;
  private readonly retry: RetryPolicy;
  private readonly baseUrl: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.agent = new Agent({
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
      headersTimeout: options.headersTimeoutMs ?? 60_000,
      bodyTimeout: options.bodyTimeoutMs ?? 60_000,
      keepAliveTimeout: 10_000,
    });
  }

  /** Sends the request and returns the parsed JSON body (undefined for an empty body). Throws typed errors. */
  async request<T>(req: ApiRequest): Promise<T> {
    const idempotent = req.idempotent ?? req.method !== "POST";
    const url = this.url(req);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.maxAttempts;
      let status: number;
      let headers: Record<string, string | string[] | undefined>;
      let text: string;
      try {
        const res = await request(url, {
          method: req.method,
          dispatcher: this.agent,
          headers: {
            authorization: `Bearer ${this.options.apiKey}`,
            accept: "application/json",
            "user-agent": this.options.userAgent ?? "pulumi-fireworks",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          body,
        });
        status = res.statusCode;
        headers = res.headers;
        text = await res.body.text();
      } catch (err) {
        const cause = this.clean(errorText(err));
        const neverSent = NEVER_SENT_CODES.has(errCode(err));
        if (!idempotent && !neverSent) throw new AmbiguousRequestError(req.context, cause);
        if (last) throw new TransportError(req.context, cause, attempt);
        await this.backoff(attempt, undefined, cause, req);
        continue;
      }
      if (status >= 200 && status < 300) return this.parseSuccess<T>(req, text);
      const retryable = RETRYABLE_STATUS.has(status) && (idempotent || REJECTED_UNPROCESSED.has(status));
      if (!retryable || last) {
        if (!idempotent && RETRYABLE_STATUS.has(status) && !REJECTED_UNPROCESSED.has(status)) {
          throw new AmbiguousRequestError(req.context, `HTTP ${status}: ${this.clean(apiMessage(text))}`);
        }
        throw this.apiError(req.context, status, text, retryAfterMs(headers["retry-after"]));
      }
      await this.backoff(attempt, retryAfterMs(headers["retry-after"]), `HTTP ${status}`, req);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** Exponential backoff with full jitter; a server-given Retry-After wins (capped). */
  delayFor(attempt: number, retryAfter: number | undefined): number {
    if (retryAfter !== undefined) return Math.min(retryAfter, this.retry.maxRetryAfterMs);
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(this.random() * ceiling);
  }

  /** Waits as the client would before its own retry number `attempt` (for callers that retry a whole exchange). */
  async pause(attempt: number): Promise<void> {
    await this.sleep(this.delayFor(attempt, undefined));
  }

  private async backoff(attempt: number, retryAfter: number | undefined, reason: string, req: ApiRequest): Promise<void> {
    const delayMs = this.delayFor(attempt, retryAfter);
    this.options.onRetry?.({ attempt, delayMs, reason, method: req.method, path: req.path });
    await this.sleep(delayMs);
  }

  private url(req: ApiRequest): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.baseUrl}${req.path}${qs ? `?${qs}` : ""}`;
  }

  /** Redacts the key first, then shortens: truncating first could cut the key and leak its beginning. */
  private clean(text: string): string {
    const redacted = redact(text, [this.options.apiKey]);
    return redacted.slice(0, 500);
  }

  private parseSuccess<T>(req: ApiRequest, text: string): T {
    try {
      return parseJson<T>(text);
    } catch {
      throw new ApiError(req.context, 200, "INTERNAL", `the response was not JSON: ${this.clean(text.slice(0, 200))}`);
    }
  }

  private apiError(context: ErrorContext, status: number, text: string, retryAfter: number | undefined): ApiError {
    const { code, message } = parseErrorBody(text);
    const codeName = this.clean(code ?? HTTP_STATUS_CODE_NAMES[status] ?? "UNKNOWN");
    return new ApiError(context, status, codeName, this.clean(message), retryAfter === undefined ? undefined : retryAfter / 1000);
  }
}

function errCode(err: unknown): string {
  if (err instanceof undiciErrors.ConnectTimeoutError) return "UND_ERR_CONNECT_TIMEOUT";
  let cur: unknown = err;
  for (let i = 0; i < 3 && cur && typeof cur === "object"; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && NEVER_SENT_CODES.has(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return "";
}

function parseJson<T>(text: string): T {
  if (!text.trim()) return undefined as T;
  return JSON.parse(text) as T;
}

/**
 * The control plane's error body is inferred to be grpc-gateway's `{code: <int>, message, details}` (reference
 * §1.8); Fireworks' own client also accepts `{error: {message, code}}`, so both shapes are read.
 */
export function parseErrorBody(text: string): { code?: string; message: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object") {
      const outer = parsed as Record<string, unknown>;
      const inner = outer.error && typeof outer.error === "object" ? (outer.error as Record<string, unknown>) : outer;
      const message = typeof inner.message === "string" ? inner.message : text;
      const raw = inner.code ?? outer.code;
      const code = typeof raw === "number" ? GRPC_CODE_NAMES[raw] : typeof raw === "string" ? raw : undefined;
      return code === undefined ? { message } : { code, message };
    }
  } catch {
    // Not JSON: a proxy or load balancer answered; fall through to the raw text.
  }
  return { message: text };
}

function apiMessage(text: string): string {
  return parseErrorBody(text).message;
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404;
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ApiError && err.status === 409;
}
