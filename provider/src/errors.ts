/**
 * Typed errors. Every message names the action, the resource kind and name, the HTTP status and the API's own
 * message, so a failed `pulumi up` says what was attempted on what and why the platform refused it. Secrets never
 * reach a message: the HTTP client redacts the API key and the request's secret values from any text the server or
 * the transport echoes back, in every spelling a JSON echo can give them.
 */

/** gRPC status names as the API reports them (reference §3.1); HTTP codes follow the gateway mapping (§1.8). */
export const GRPC_CODE_NAMES: readonly string[] = [
  "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
  "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
  "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
];

export interface ErrorContext {
  /** What the provider was doing, e.g. "create", "read", "wait for". */
  action: string;
  /** Resource kind, e.g. "Deployment". */
  kind: string;
  /** Resource name or ID, e.g. "accounts/acme/deployments/web". */
  name: string;
}

export class FireworksError extends Error {
  override name = "FireworksError";
  /**
   * Set by the HTTP client when it stopped because the request's deadline came (or its next retry would start after
   * it). A wait can then report a timeout even though its own clock has not quite reached the deadline yet.
   */
  deadlineReached = false;
}

/** The API answered with a non-2xx status. */
export class ApiError extends FireworksError {
  override name = "ApiError";
  constructor(
    readonly context: ErrorContext,
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly retryAfterSeconds?: number,
    /** Why the client stopped here rather than after its last attempt, e.g. the request deadline. */
    note?: string,
  ) {
    super(
      `${context.action} ${context.kind} "${context.name}" failed: HTTP ${status} ${code}: ${apiMessage || "(no message)"}${hint(status)}` +
        (note ? ` (${note})` : ""),
    );
  }
}

/**
 * The request may or may not have reached the server (connection reset, timeout, 5xx on a POST). Callers that
 * created something with a client-chosen ID reconcile by looking it up instead of blindly retrying.
 */
export class AmbiguousRequestError extends FireworksError {
  override name = "AmbiguousRequestError";
  constructor(readonly context: ErrorContext, readonly causeText: string) {
    super(`${context.action} ${context.kind} "${context.name}": the outcome is unknown (${causeText})`);
  }
}

/** The connection failed in a way that proves nothing was sent or processed, after all retries. */
export class TransportError extends FireworksError {
  override name = "TransportError";
  constructor(readonly context: ErrorContext, readonly causeText: string, attempts: number) {
    super(`${context.action} ${context.kind} "${context.name}" failed after ${attempts} attempt(s): ${causeText}`);
  }
}

/**
 * A response body was larger than the client will hold in memory. Not retried: the same request would get the same
 * answer. For a POST the server has acted; only its answer was refused.
 */
export class ResponseTooLargeError extends FireworksError {
  override name = "ResponseTooLargeError";
  constructor(readonly context: ErrorContext, readonly status: number, readonly limitBytes: number) {
    super(
      `${context.action} ${context.kind} "${context.name}" failed: the response (HTTP ${status}) was too large: ` +
        `it exceeds the client's limit of ${limitBytes} bytes, so it was not read`,
    );
  }
}

/** Bad provider configuration (missing key, unsafe endpoint). Raised at preview, before any API call. */
export class ConfigError extends FireworksError {
  override name = "ConfigError";
}

/** A wait ended without reaching the target state. `last` is the resource as last seen, if any. */
export class WaitError<T = unknown> extends FireworksError {
  override name = "WaitError";
  constructor(message: string, readonly reason: "timeout" | "failed" | "unexpected" | "gone", readonly last?: T) {
    super(message);
  }
}

function hint(status: number): string {
  switch (status) {
    case 401:
      return " (check fireworks:apiKey / FIREWORKS_API_KEY)";
    case 403:
      return " (the API key may not have access to this account: check fireworks:accountId / FIREWORKS_ACCOUNT_ID)";
    default:
      return "";
  }
}

const REDACTED = "[redacted]";

/** Secrets shorter than this are not redacted: replacing every "ab" in a message would garble it and hide nothing. */
const MIN_SECRET_LENGTH = 4;

/** What each two-character JSON escape (RFC 8259 §7) stands for; every other character is escaped as \uXXXX. */
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Levels of JSON-string escaping a secret is recognized through: an echoed request body, quoted once more. */
const ESCAPE_LEVELS = 2;
/** The longest spelling of one UTF-16 unit through those levels: a \uXXXX escape of each character of a \uXXXX. */
const LONGEST_UNIT_SPELLING = 6 ** ESCAPE_LEVELS;

/**
 * Redacts a fixed set of secrets. A server that echoes the request body writes a secret JSON-escaped, serializers
 * differ in what they escape (JavaScript: quotes, backslashes, control characters; Go also <, > and &; others every
 * non-ASCII character, in either hex case), and the echo may itself be quoted inside a JSON error string. So the
 * secrets are looked for in the text as it is and in the text with its JSON escapes decoded once and twice, and what
 * is found in a decoded text is redacted where it came from. Decoding, not a pattern of every spelling: such a
 * pattern backtracks exponentially on a run of backslashes, and a server could hang the client with one.
 */
export class Redactor {
  private readonly secrets: string[];
  /**
   * The most characters one occurrence of a secret can span, in any spelling found. Text cut at an arbitrary point
   * can end in a partial occurrence only within this many characters of the cut.
   */
  readonly longestSpelling: number;

  constructor(secrets: readonly (string | undefined)[]) {
    this.secrets = [...new Set(secrets.filter((s): s is string => s !== undefined && s.length >= MIN_SECRET_LENGTH))];
    this.longestSpelling = LONGEST_UNIT_SPELLING * Math.max(0, ...this.secrets.map((secret) => secret.length));
  }

  /** Replaces every secret, then any Bearer token (an echoed Authorization header of some other credential). */
  redact(text: string): string {
    return withoutBearer(replaceSpans(text, this.find(text)));
  }

  /**
   * Like redact, for text whose end was cut off (a body read up to a cap): the end may hold the beginning of a
   * secret, which no search recognizes, so the last `longestSpelling` characters are dropped too. The drop starts
   * before any secret found across it, so dropping cannot itself leave part of a secret behind.
   */
  redactCut(text: string): string {
    const spans = this.find(text);
    let cutoff = Math.max(0, text.length - this.longestSpelling);
    for (const [start, end] of spans) if (start < cutoff && cutoff < end) cutoff = start;
    return withoutBearer(replaceSpans(text.slice(0, cutoff), spans.filter(([, end]) => end <= cutoff)));
  }

  /** Where the secrets are in `text`, in any spelling: merged, sorted spans of the original text. */
  private find(text: string): [number, number][] {
    const views = [verbatim(text)];
    // Without a backslash there is nothing to decode, and the decoded views would equal the text.
    for (let level = 1; level <= ESCAPE_LEVELS && text.includes("\\"); level++) views.push(decodeJsonEscapes(views[level - 1] as View));
    const spans: [number, number][] = [];
    for (const view of views) {
      for (const secret of this.secrets) {
        for (let at = view.text.indexOf(secret); at >= 0; at = view.text.indexOf(secret, at + secret.length)) {
          spans.push([view.starts[at] as number, view.ends[at + secret.length - 1] as number]);
        }
      }
    }
    return mergeSpans(spans);
  }
}

/** Replaces every occurrence of each secret in `text`, raw or JSON-escaped, with "[redacted]". */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  return new Redactor(secrets).redact(text);
}

/** A text and, for each of its UTF-16 units, the span of the original text it was decoded from. */
interface View {
  text: string;
  starts: number[];
  ends: number[];
}

function verbatim(text: string): View {
  return { text, starts: Array.from({ length: text.length }, (_, i) => i), ends: Array.from({ length: text.length }, (_, i) => i + 1) };
}

/** Decodes every JSON string escape in one pass; a backslash that starts no valid escape stays as it is. */
function decodeJsonEscapes(view: View): View {
  const { text } = view;
  const units: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < text.length; ) {
    let unit = text.charAt(i);
    let width = 1;
    if (unit === "\\") {
      const short = SHORT_ESCAPES[text.charAt(i + 1)];
      const hex = text.slice(i + 2, i + 6);
      if (short !== undefined) {
        unit = short;
        width = 2;
      } else if (text.charAt(i + 1) === "u" && /^[0-9a-fA-F]{4}$/.test(hex)) {
        unit = String.fromCharCode(parseInt(hex, 16));
        width = 6;
      }
    }
    units.push(unit);
    starts.push(view.starts[i] as number);
    ends.push(view.ends[i + width - 1] as number);
    i += width;
  }
  return { text: units.join(""), starts, ends };
}

/** Sorts spans and merges those that overlap, so a secret inside another is redacted with it. */
function mergeSpans(spans: [number, number][]): [number, number][] {
  spans.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Replaces each of the sorted, disjoint spans with "[redacted]". */
function replaceSpans(text: string, spans: readonly [number, number][]): string {
  let out = "";
  let cursor = 0;
  for (const [start, end] of spans) {
    out += text.slice(cursor, start) + REDACTED;
    cursor = end;
  }
  return out + text.slice(cursor);
}

function withoutBearer(text: string): string {
  return text.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, `Bearer ${REDACTED}`);
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
