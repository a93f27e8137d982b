/**
 * Typed errors. Every message names the action, the resource kind and name, the HTTP status and the API's own
 * message, so a failed `pulumi up` says what was attempted on what and why the platform refused it. Secrets never
 * reach a message: the HTTP client redacts the API key from any text the server echoes back.
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
  ) {
    super(`${context.action} ${context.kind} "${context.name}" failed: HTTP ${status} ${code}: ${apiMessage || "(no message)"}${hint(status)}`);
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

/** Replaces every occurrence of each secret in `text` with "[redacted]". */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, "Bearer [redacted]");
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}
