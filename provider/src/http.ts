/**
 * The one HTTP client. Keep-alive connections, connect/header/body timeouts, bounded retries with exponential
 * backoff and full jitter on 408, 429, 5xx and connection errors, honouring Retry-After. A POST that creates
 * something is never blindly retried once it may have reached the server: it surfaces as AmbiguousRequestError and
 * the lifecycle reconciles by looking the resource up under its client-chosen ID.
 *
 * A request may carry an absolute deadline, which bounds its retries and aborts an attempt still in flight, so a
 * wait cannot overshoot its timeout inside one request. Bodies are read up to a cap, so a huge answer cannot exhaust
 * memory. Every message built from server or transport text has the API key and the request's secrets redacted.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { Agent, type Dispatcher, errors as undiciErrors, request } from "undici";
import {
  AmbiguousRequestError, ApiError, type ErrorContext, type FireworksError, GRPC_CODE_NAMES, Redactor, ResponseTooLargeError, TransportError,
  errorText,
} from "./errors";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

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
  /**
   * The most bytes of a 2xx body the client reads; a longer one fails with ResponseTooLargeError instead of being
   * held in memory. Default 32 MiB.
   */
  maxResponseBytes?: number;
  /** The most bytes of an error body the client reads; the rest is left unread. Default 64 KiB. */
  maxErrorBodyBytes?: number;
  /**
   * Sends the requests instead of the client's own keep-alive Agent (e.g. a ProxyAgent, or a test double); the
   * timeout options above then do not apply, and close() leaves it open because the caller owns it.
   */
  dispatcher?: Dispatcher;
  /** Injected in tests to observe backoff without waiting. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Epoch milliseconds; request deadlines and Retry-After dates are measured against it. Default Date.now. */
  now?: () => number;
  /**
   * Calls `fire` after `ms` milliseconds unless the returned function is called first; arms the abort of a request
   * still in flight at its deadline. Injected in tests to fire the deadline on cue. Default setTimeout.
   */
  setTimer?: (ms: number, fire: () => void) => () => void;
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
  /**
   * Values sent in this request that must never appear in an error (direct-route keys, secret values, OIDC client
   * secrets): redacted like the API key, raw and JSON-escaped, from every message built for this request.
   */
  secrets?: readonly string[];
  /**
   * Epoch milliseconds (on the client's `now` clock) by which the request must be over, retries included: the client
   * never sleeps past it and aborts an attempt still in flight when it comes. Unset: only the retry policy and the
   * connection timeouts bound the request.
   */
  deadline?: number;
}

/**
 * A PUT of one file to a signed URL (third-party storage, reference §5.2). Not an API request: the URL is absolute,
 * it carries its own authorisation (the signature in its query), and the API key must never go there.
 */
export interface UploadRequest {
  /** The signed URL, absolute. Its query (the signature) is redacted from every message. */
  url: string;
  /** Opens the body afresh for each attempt, streamed (e.g. from disk), so memory stays bounded whatever the size. */
  open: () => Readable;
  /** Bytes the body holds: sent as Content-Length, never chunked (GCS silently drops chunked uploads, §5.2). */
  size: number;
  /** Extra headers (Content-Type, x-goog-content-length-range). An Authorization header is refused. */
  headers: Record<string, string>;
  context: ErrorContext;
  deadline?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 15_000, maxRetryAfterMs: 60_000 };
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_ERROR_BODY_BYTES = 64 * 1024;

/** How much of the server's text an error message keeps. */
const MESSAGE_CHARS = 500;
/** How much of a 2xx body that is not JSON the error quotes. */
const NON_JSON_QUOTE_CHARS = 200;
/** setTimeout fires at once for longer delays; a request is bounded by the connection timeouts long before. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** Statuses that prove the server did not act on the request, so even a POST may be repeated. */
const REJECTED_UNPROCESSED = new Set([408, 429]);
/** Connection failures that happen before any byte of the request is sent. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "ENOTFOUND", "EAI_AGAIN"]);

const HTTP_STATUS_CODE_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 409: "ALREADY_EXISTS",
  429: "RESOURCE_EXHAUSTED", 499: "CANCELLED", 500: "INTERNAL", 501: "UNIMPLEMENTED", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED",
};

/** What one attempt came to: an HTTP response (its body possibly cut at the cap), or a failure to get one. */
type Attempt =
  | { kind: "response"; status: number; headers: IncomingHttpHeaders; text: string; complete: boolean }
  | { kind: "failed"; error: unknown; deadlineHit: boolean };

/** Builds the error a request ends with when the deadline stops it from being tried again; `note` says so. */
type GiveUp = (note: string) => FireworksError;

export class HttpClient {
  /** The client's own connection pool; undefined when the caller supplied a dispatcher (and so owns its closing). */
  private readonly agent?: Agent;
  private readonly dispatcher: Dispatcher;
  private readonly retry: RetryPolicy;
  private readonly baseUrl: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly setTimer: (ms: number, fire: () => void) => () => void;
  private readonly maxResponseBytes: number;
  private readonly maxErrorBodyBytes: number;

  constructor(private readonly options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? defaultTimer;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.maxErrorBodyBytes = options.maxErrorBodyBytes ?? DEFAULT_MAX_ERROR_BODY_BYTES;
    if (options.dispatcher) {
      this.dispatcher = options.dispatcher;
    } else {
      this.agent = new Agent({
        connect: { timeout: options.connectTimeoutMs ?? 10_000 },
        headersTimeout: options.headersTimeoutMs ?? 60_000,
        bodyTimeout: options.bodyTimeoutMs ?? 60_000,
        keepAliveTimeout: 10_000,
      });
      this.dispatcher = this.agent;
    }
  }

  /** Sends the request and returns the parsed JSON body (undefined for an empty body). Throws typed errors. */
  async request<T>(req: ApiRequest): Promise<T> {
    const idempotent = req.idempotent ?? req.method !== "POST";
    const url = this.url(req);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const redactor = new Redactor([this.options.apiKey, ...(req.secrets ?? [])]);
    const ctx = req.context;
    let giveUp: GiveUp | undefined;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.maxAttempts;
      const remaining = req.deadline === undefined ? undefined : req.deadline - this.now();
      if (remaining !== undefined && remaining <= 0) {
        // Only reachable if a sleep overran, or the caller passed a deadline already gone: nothing is sent then.
        const stopped = giveUp?.("deadline reached before the next attempt");
        throw atDeadline(stopped ?? new TransportError(ctx, "deadline reached before the request was sent", 0));
      }
      const outcome = await this.attempt(req, url, body, remaining);
      if (outcome.kind === "failed") {
        if (outcome.deadlineHit) {
          const cause = `deadline reached: the request was aborted after ${remaining} ms in flight`;
          throw atDeadline(idempotent ? new TransportError(ctx, cause, attempt) : new AmbiguousRequestError(ctx, cause));
        }
        const cause = this.clean(redactor, errorText(outcome.error));
        const neverSent = NEVER_SENT_CODES.has(errCode(outcome.error));
        if (!idempotent && !neverSent) throw new AmbiguousRequestError(ctx, cause);
        if (last) throw new TransportError(ctx, cause, attempt);
        giveUp = (note) => new TransportError(ctx, `${cause} (${note})`, attempt);
        await this.backoff(attempt, undefined, cause, req, giveUp);
        continue;
      }
      const { status, headers, text, complete } = outcome;
      if (status >= 200 && status < 300) {
        if (!complete) throw new ResponseTooLargeError(ctx, status, this.maxResponseBytes);
        return this.parseSuccess<T>(req, text, redactor);
      }
      const retryAfter = retryAfterMs(headers["retry-after"], this.now());
      const retryable = RETRYABLE_STATUS.has(status) && (idempotent || REJECTED_UNPROCESSED.has(status));
      if (!retryable || last) {
        if (!idempotent && RETRYABLE_STATUS.has(status) && !REJECTED_UNPROCESSED.has(status)) {
          throw new AmbiguousRequestError(ctx, `HTTP ${status}: ${this.clean(redactor, apiMessage(text), complete)}`);
        }
        throw this.apiError(ctx, status, text, complete, retryAfter, redactor);
      }
      giveUp = (note) => this.apiError(ctx, status, text, complete, retryAfter, redactor, note);
      await this.backoff(attempt, retryAfter, `HTTP ${status}`, req, giveUp);
    }
  }

  /**
   * PUTs a file to a signed upload URL, through the same keep-alive pool, with no Authorization header (signed URLs
   * are third-party storage: the API key must never reach them). A PUT of the same object is idempotent, so
   * connection errors, 408, 429 and 5xx are retried like any idempotent request, reopening the body each time.
   */
  async upload(req: UploadRequest): Promise<void> {
    if (Object.keys(req.headers).some((h) => h.toLowerCase() === "authorization")) {
      throw new TransportError(req.context, "refusing to send an Authorization header to a signed upload URL", 0);
    }
    const parsed = new URL(req.url);
    const redactor = new Redactor([this.options.apiKey, parsed.search.slice(1), ...parsed.searchParams.values()].filter((v) => v.length >= 8));
    const ctx = req.context;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.maxAttempts;
      const remaining = req.deadline === undefined ? undefined : req.deadline - this.now();
      if (remaining !== undefined && remaining <= 0) throw atDeadline(new TransportError(ctx, "deadline reached before the upload was sent", attempt - 1));
      const body = req.open();
      let outcome: Attempt;
      try {
        const res = await request(req.url, {
          method: "PUT",
          dispatcher: this.dispatcher,
          headers: { ...req.headers, "content-length": String(req.size), "user-agent": this.options.userAgent ?? "pulumi-fireworks" },
          body,
          ...(remaining === undefined ? {} : { signal: AbortSignal.timeout(Math.min(remaining, MAX_TIMER_MS)) }),
        });
        const { text, complete } = await readCapped(res.body, this.maxErrorBodyBytes);
        outcome = { kind: "response", status: res.statusCode, headers: res.headers, text, complete };
      } catch (error) {
        outcome = { kind: "failed", error, deadlineHit: false };
      } finally {
        body.destroy();
      }
      if (outcome.kind === "response" && outcome.status >= 200 && outcome.status < 300) return;
      const retryAfter = outcome.kind === "response" ? retryAfterMs(outcome.headers["retry-after"], this.now()) : undefined;
      const giveUp: GiveUp = (note) =>
        outcome.kind === "response"
          ? this.apiError(ctx, outcome.status, outcome.text, outcome.complete, retryAfter, redactor, note)
          : new TransportError(ctx, `${this.clean(redactor, errorText(outcome.error))} (${note})`, attempt);
      const retryable = outcome.kind === "failed" || RETRYABLE_STATUS.has(outcome.status);
      if (!retryable || last) throw giveUp(last && retryable ? `gave up after ${attempt} attempts` : "not retried");
      await this.backoff(attempt, retryAfter, outcome.kind === "response" ? `HTTP ${outcome.status}` : "connection error", { method: "PUT", path: ctx.name, context: ctx, ...(req.deadline === undefined ? {} : { deadline: req.deadline }) }, giveUp);
    }
  }

  async close(): Promise<void> {
    await this.agent?.close();
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

  /** Sends once; the body is read only up to the cap for its kind, so a huge answer cannot exhaust memory. */
  private async attempt(req: ApiRequest, url: string, body: string | undefined, remaining: number | undefined): Promise<Attempt> {
    let deadlineHit = false;
    const abort = new AbortController();
    const disarm =
      remaining === undefined
        ? undefined
        : this.setTimer(remaining, () => {
            deadlineHit = true;
            abort.abort();
          });
    try {
      const res = await request(url, {
        method: req.method,
        dispatcher: this.dispatcher,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: "application/json",
          "user-agent": this.options.userAgent ?? "pulumi-fireworks",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body,
        signal: abort.signal,
      });
      const success = res.statusCode >= 200 && res.statusCode < 300;
      const { text, complete } = await readCapped(res.body, success ? this.maxResponseBytes : this.maxErrorBodyBytes);
      return { kind: "response", status: res.statusCode, headers: res.headers, text, complete };
    } catch (error) {
      return { kind: "failed", error, deadlineHit };
    } finally {
      disarm?.();
    }
  }

  private async backoff(attempt: number, retryAfter: number | undefined, reason: string, req: ApiRequest, giveUp: GiveUp): Promise<void> {
    const delayMs = this.delayFor(attempt, retryAfter);
    // Sleeping up to the deadline exactly would leave no time for the attempt, so that gives up too.
    if (req.deadline !== undefined && this.now() + delayMs >= req.deadline) {
      throw atDeadline(giveUp(`deadline reached: the next attempt was due in ${delayMs} ms, after the deadline`));
    }
    this.options.onRetry?.({ attempt, delayMs, reason, method: req.method, path: req.path });
    await this.sleep(delayMs);
  }

  private url(req: ApiRequest): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.baseUrl}${req.path}${qs ? `?${qs}` : ""}`;
  }

  /**
   * Redacts, then shortens: shortening first could cut a secret and leak its beginning. Text that was already cut (a
   * body read up to its cap, `complete` false) may end in part of a secret, which Redactor.redactCut drops. Only a
   * window of a long text is redacted, so a 32 MiB body is not scanned for a 200-character quote; the window's end is
   * a cut like any other, and wide enough that at least `limit` characters of the original survive the drop.
   */
  private clean(redactor: Redactor, text: string, complete = true, limit = MESSAGE_CHARS): string {
    const window = limit + 2 * redactor.longestSpelling;
    const kept = text.slice(0, window);
    return (complete && text.length <= window ? redactor.redact(kept) : redactor.redactCut(kept)).slice(0, limit);
  }

  private parseSuccess<T>(req: ApiRequest, text: string, redactor: Redactor): T {
    try {
      return parseJson<T>(text);
    } catch {
      throw new ApiError(req.context, 200, "INTERNAL", `the response was not JSON: ${this.clean(redactor, text, true, NON_JSON_QUOTE_CHARS)}`);
    }
  }

  private apiError(
    context: ErrorContext,
    status: number,
    text: string,
    complete: boolean,
    retryAfter: number | undefined,
    redactor: Redactor,
    note?: string,
  ): ApiError {
    const { code, message } = parseErrorBody(text);
    const codeName = this.clean(redactor, code ?? HTTP_STATUS_CODE_NAMES[status] ?? "UNKNOWN");
    const apiText = this.clean(redactor, message, complete);
    return new ApiError(context, status, codeName, apiText, retryAfter === undefined ? undefined : retryAfter / 1000, note);
  }
}

function defaultTimer(ms: number, fire: () => void): () => void {
  if (ms > MAX_TIMER_MS) return () => undefined;
  const timer = setTimeout(fire, ms);
  // The timer only guards a request; it must not keep the process alive on its own.
  timer.unref();
  return () => clearTimeout(timer);
}

function atDeadline<E extends FireworksError>(err: E): E {
  err.deadlineReached = true;
  return err;
}

/**
 * Reads the body up to `cap` bytes. Beyond that it stops reading and destroys the stream, which closes the
 * connection, so the server cannot make the client buffer more; `complete` says whether the whole body fit.
 */
async function readCapped(body: Dispatcher.ResponseData["body"], cap: number): Promise<{ text: string; complete: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > cap) {
      chunks.push(chunk.subarray(0, cap - size));
      // Destroying a body mid-stream makes undici emit a RequestAbortedError on it; that is the intended outcome.
      body.on("error", () => undefined);
      body.destroy();
      return { text: Buffer.concat(chunks).toString("utf8"), complete: false };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { text: Buffer.concat(chunks, size).toString("utf8"), complete: true };
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

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3); a date is measured from `now` (epoch ms). */
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
