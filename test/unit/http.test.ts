import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Dispatcher } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AmbiguousRequestError, ApiError, ResponseTooLargeError, TransportError, redact, type ErrorContext } from "../../provider/src/errors";
import {
  DEFAULT_MAX_ERROR_BODY_BYTES, DEFAULT_MAX_RESPONSE_BYTES, HttpClient, isAlreadyExists, isNotFound, parseErrorBody, retryAfterMs,
  type ApiRequest, type HttpClientOptions, type RetryEvent,
} from "../../provider/src/http";

const KEY = "fw_secret_key_5f1e2d3c4b5a";
const CTX: ErrorContext = { action: "read", kind: "Deployment", name: "accounts/acme/deployments/web" };
const CREATE_CTX: ErrorContext = { action: "create", kind: "Deployment", name: "accounts/acme/deployments/web" };
const PATH = "/v1/accounts/acme/deployments/web";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Reply = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTP server on loopback that answers each request with the next scripted reply (the last one repeats). */
class ScriptedServer {
  readonly seen: Seen[] = [];
  private replies: Reply[] = [];
  private readonly server: Server;

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        this.seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        const reply = this.replies.length > 1 ? this.replies.shift() : this.replies[0];
        if (!reply) throw new Error("no reply scripted");
        reply(req, res);
      });
    });
  }

  script(...replies: Reply[]): void {
    this.replies = replies;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
}

function text(status: number, body: string, headers: Record<string, string> = {}): Reply {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "text/plain", ...headers });
    res.end(body);
  };
}

/** Resets the connection without answering: the request reached the server, so its outcome is unknown. */
const reset: Reply = (req) => {
  req.socket.destroy();
};

/** What a flooding reply managed to send before the client hung up (or it ran out of bytes). */
interface Flood {
  written: number;
  finished: boolean;
  /** Resolves when the server side of the response is closed: by the client hanging up, or after the last byte. */
  closed: Promise<void>;
}

/**
 * Streams `totalBytes` of "x" as the body, honouring backpressure, so the bytes written are the bytes the client
 * (and the socket buffers in between) accepted. A client that stops reading and hangs up leaves `finished` false.
 */
function flood(status: number, totalBytes: number): { reply: Reply; progress: Flood } {
  let onClosed: () => void = () => undefined;
  const progress: Flood = { written: 0, finished: false, closed: new Promise<void>((resolve) => (onClosed = resolve)) };
  const chunk = Buffer.alloc(64 * 1024, "x");
  const reply: Reply = (_req, res) => {
    res.on("close", onClosed);
    res.writeHead(status, { "content-type": "text/plain" });
    const pump = (): void => {
      while (!res.destroyed && progress.written < totalBytes) {
        progress.written += chunk.length;
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
      if (!res.destroyed) {
        progress.finished = true;
        res.end();
      }
    };
    pump();
  };
  return { reply, progress };
}

/** Holds the request unanswered until the test releases it, so the test controls what happens while it is in flight. */
function held(): { reply: Reply; arrived: Promise<void>; release: (status: number, body: unknown) => void } {
  let onArrived: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (onArrived = resolve));
  let pending: ServerResponse | undefined;
  return {
    reply: (_req, res) => {
      pending = res;
      onArrived();
    },
    arrived,
    release: (status, body) => {
      if (!pending || pending.destroyed) return;
      pending.writeHead(status, { "content-type": "application/json" });
      pending.end(JSON.stringify(body));
    },
  };
}

const MiB = 1024 * 1024;
/**
 * Bytes a flooding server can get rid of beyond what the client keeps: the socket buffers on both ends of the
 * loopback connection and undici's read-ahead. Generous, yet far below the 128 MiB a flood offers.
 */
const BUFFER_SLACK = 16 * MiB;

const UPDATE_CTX: ErrorContext = { action: "update", kind: "Deployment", name: "accounts/acme/deployments/web" };
/** Values a request carries that must never reach an error: a direct-route key, a secret env value, an OIDC secret. */
const DIRECT_ROUTE_KEY = "dr_key_7a8b9c0d1e2f";
/** Quote, backslash, non-ASCII, a character outside the BMP and <>&: every serializer escapes some of these. */
const SECRET_VALUE = 'p@ss"wörd\\<&>✓🔑';
const CLIENT_SECRET = "oidc-cs-9f8e7d6c5b4a";
const SECRETS = [DIRECT_ROUTE_KEY, SECRET_VALUE, CLIENT_SECRET];
const SECRET_BODY = { directRouteApiKeys: [DIRECT_ROUTE_KEY], env: { TOKEN: SECRET_VALUE }, oidc: { clientSecret: CLIENT_SECRET } };
/** SECRET_BODY as the client sends it, with each secret redacted. */
const REDACTED_BODY = '{"directRouteApiKeys":["[redacted]"],"env":{"TOKEN":"[redacted]"},"oidc":{"clientSecret":"[redacted]"}}';

/** JSON with every non-ASCII character and <, >, & as an upper-case \uXXXX escape, as some servers re-serialize. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]|[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`);
}

/**
 * Answers `status` with a body quoting the request back, as a careless server does: the bearer token without its
 * "Bearer" prefix (so only the client's own redaction of the key can catch it) and the request body.
 */
function echo(status: number, contentType: string, format: (token: string, body: string) => string): Reply {
  return (req, res) => {
    const body = server.seen.at(-1)?.body ?? "";
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    res.writeHead(status, { "content-type": contentType });
    res.end(format(token, body));
  };
}

/**
 * Stands in for a transport layer (a proxy, a TLS terminator) whose failure quotes the request back. No socket error
 * from a real server carries request text, so a double is the only way to show that transport errors are redacted.
 */
class EchoingTransport extends Dispatcher {
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const auth = (options.headers as Record<string, string | undefined> | undefined)?.authorization ?? "";
    const err = new Error(
      `proxy refused token ${auth.replace(/^Bearer /, "")} for ${options.method} ${options.path} with body ${String(options.body ?? "")}`,
    );
    queueMicrotask(() => handler.onError?.(err));
    return true;
  }
}

let server: ScriptedServer;
let baseUrl: string;
let clients: HttpClient[];
let delays: number[];
let retries: RetryEvent[];

beforeEach(async () => {
  server = new ScriptedServer();
  baseUrl = await server.listen();
  clients = [];
  delays = [];
  retries = [];
});

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

function client(options: Partial<HttpClientOptions> = {}): HttpClient {
  const c = new HttpClient({
    baseUrl,
    apiKey: KEY,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250, maxRetryAfterMs: 60_000 },
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 1,
    onRetry: (e) => retries.push(e),
    ...options,
  });
  clients.push(c);
  return c;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    return err as Error;
  }
  throw new Error("expected the request to fail, but it succeeded");
}

const get = (extra: Partial<ApiRequest> = {}): ApiRequest => ({ method: "GET", path: PATH, context: CTX, ...extra });
const post = (extra: Partial<ApiRequest> = {}): ApiRequest => ({
  method: "POST",
  path: "/v1/accounts/acme/deployments",
  body: { baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct" },
  context: CREATE_CTX,
  ...extra,
});

describe("HttpClient: success", () => {
  it("returns the parsed JSON body", async () => {
    server.script(json(200, { name: "accounts/acme/deployments/web", state: "READY", replicaCount: 2 }));
    await expect(client().request(get())).resolves.toEqual({ name: "accounts/acme/deployments/web", state: "READY", replicaCount: 2 });
    expect(delays).toEqual([]);
  });

  it("returns undefined for an empty body", async () => {
    server.script(text(200, ""));
    await expect(client().request(get())).resolves.toBeUndefined();
  });

  it("returns an empty object for {} (e.g. DELETE)", async () => {
    server.script(json(200, {}));
    await expect(client().request(get({ method: "DELETE" }))).resolves.toEqual({});
    expect(server.seen[0]?.method).toBe("DELETE");
  });

  it("sends the key as a Bearer Authorization header and JSON content headers", async () => {
    server.script(json(200, {}));
    await client().request(post());
    const seen = server.seen[0];
    expect(seen?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen?.headers.accept).toBe("application/json");
    expect(seen?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen?.body ?? "")).toEqual({ baseModel: "accounts/fireworks/models/llama-v3p1-8b-instruct" });
  });

  it("sends no content-type and no body for a GET", async () => {
    server.script(json(200, {}));
    await client().request(get());
    expect(server.seen[0]?.headers["content-type"]).toBeUndefined();
    expect(server.seen[0]?.body).toBe("");
  });

  it("joins the path to a base URL with a trailing slash", async () => {
    server.script(json(200, {}));
    await client({ baseUrl: `${baseUrl}/` }).request(get());
    expect(server.seen[0]?.url).toBe(PATH);
  });

  it("encodes query parameters and drops undefined ones", async () => {
    server.script(json(200, {}));
    await client().request(
      get({ query: { filter: 'state=READY & name="a b"', pageSize: 10, showDeleted: true, hard: false, pageToken: undefined } }),
    );
    const url = new URL(server.seen[0]?.url ?? "", baseUrl);
    expect(url.pathname).toBe(PATH);
    expect([...url.searchParams.entries()]).toEqual([
      ["filter", 'state=READY & name="a b"'],
      ["pageSize", "10"],
      ["showDeleted", "true"],
      ["hard", "false"],
    ]);
    expect(server.seen[0]?.url).toBe(`${PATH}?filter=state%3DREADY+%26+name%3D%22a+b%22&pageSize=10&showDeleted=true&hard=false`);
  });

  it("sends no '?' when every query parameter is undefined", async () => {
    server.script(json(200, {}));
    await client().request(get({ query: { pageToken: undefined } }));
    expect(server.seen[0]?.url).toBe(PATH);
  });
});

describe("HttpClient: Retry-After", () => {
  it("retries a 429 once after the Retry-After seconds", async () => {
    server.script(json(429, { code: 8, message: "slow down" }, { "retry-after": "2" }), json(200, { ok: true }));
    await expect(client().request(get())).resolves.toEqual({ ok: true });
    expect(delays).toEqual([2000]);
    expect(server.seen).toHaveLength(2);
    expect(retries).toEqual([{ attempt: 1, delayMs: 2000, reason: "HTTP 429", method: "GET", path: PATH }]);
  });

  it("honours Retry-After given as an HTTP date, measured on the client's clock", async () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    server.script(json(429, { code: 8, message: "slow down" }, { "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" }), json(200, { ok: true }));
    await expect(client({ now: () => now }).request(get())).resolves.toEqual({ ok: true });
    expect(delays).toEqual([3000]);
  });

  it("records a Retry-After date on the final ApiError relative to the client's clock", async () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    server.script(json(503, { code: 14, message: "maintenance" }, { "retry-after": "Wed, 01 Jan 2025 00:00:42 GMT" }));
    const err = (await failure(client({ now: () => now, retry: { maxAttempts: 1 } }).request(get()))) as ApiError;
    expect(err.retryAfterSeconds).toBe(42);
  });

  it("caps a long Retry-After at maxRetryAfterMs", async () => {
    server.script(json(503, { code: 14, message: "maintenance" }, { "retry-after": "3600" }), json(200, {}));
    await client({ retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250, maxRetryAfterMs: 1500 } }).request(get());
    expect(delays).toEqual([1500]);
  });

  it("prefers Retry-After over the computed backoff on a 5xx", async () => {
    server.script(json(503, {}, { "retry-after": "0" }), json(200, {}));
    await client().request(get());
    expect(delays).toEqual([0]);
  });
});

describe("HttpClient: backoff on 5xx", () => {
  it("retries a 503 on GET with exponential delays capped at maxDelayMs (random() = 1)", async () => {
    server.script(json(503, { code: 14, message: "backend down" }));
    const err = await failure(client().request(get()));
    expect(delays).toEqual([100, 200, 250]);
    expect(server.seen.map((s) => s.method)).toEqual(["GET", "GET", "GET", "GET"]);
    expect(err).toBeInstanceOf(ApiError);
  });

  it("scales each delay by random() for full jitter (random() = 0.5)", async () => {
    server.script(json(503, { code: 14, message: "backend down" }));
    await failure(client({ random: () => 0.5 }).request(get()));
    expect(delays).toEqual([50, 100, 125]);
  });

  it("ends with an ApiError naming action, kind, name, status, code and the API message", async () => {
    server.script(json(503, { code: 14, message: "backend down" }));
    const err = await failure(client().request(get()));
    expect(err).toBeInstanceOf(ApiError);
    const api = err as ApiError;
    expect(api.message).toBe('read Deployment "accounts/acme/deployments/web" failed: HTTP 503 UNAVAILABLE: backend down');
    expect(api.status).toBe(503);
    expect(api.code).toBe("UNAVAILABLE");
    expect(api.apiMessage).toBe("backend down");
    expect(api.context).toEqual(CTX);
  });

  it("uses the default policy's 500 ms base and 8 attempts when none is given", async () => {
    server.script(json(502, { message: "bad gateway" }));
    await failure(client({ retry: undefined }).request(get()));
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    expect(server.seen).toHaveLength(8);
  });

  it("reports each retry with its attempt number and reason", async () => {
    server.script(json(500, {}), json(504, {}), json(200, {}));
    await client().request(get());
    expect(retries.map((r) => [r.attempt, r.reason, r.delayMs])).toEqual([
      [1, "HTTP 500", 100],
      [2, "HTTP 504", 200],
    ]);
  });

  it("retries 408 as well", async () => {
    server.script(json(408, {}), json(200, { ok: 1 }));
    await expect(client().request(get())).resolves.toEqual({ ok: 1 });
    expect(server.seen).toHaveLength(2);
  });
});

describe("HttpClient: non-idempotent POST", () => {
  it("does not retry a 500 on POST and throws AmbiguousRequestError after exactly one request", async () => {
    server.script(json(500, { code: 13, message: "internal error" }), json(200, {}));
    const err = await failure(client().request(post()));
    expect(err).toBeInstanceOf(AmbiguousRequestError);
    expect(err.message).toBe('create Deployment "accounts/acme/deployments/web": the outcome is unknown (HTTP 500: internal error)');
    expect(server.seen.filter((s) => s.method === "POST")).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it.each([502, 503, 504])("treats a %d on POST as ambiguous too", async (status) => {
    server.script(json(status, { message: "upstream" }));
    const err = await failure(client().request(post()));
    expect(err).toBeInstanceOf(AmbiguousRequestError);
    expect(server.seen).toHaveLength(1);
  });

  it("retries a 429 on POST, because a rejected request was not processed", async () => {
    server.script(json(429, { code: 8, message: "quota" }, { "retry-after": "1" }), json(200, { name: "accounts/acme/deployments/web" }));
    await expect(client().request(post())).resolves.toEqual({ name: "accounts/acme/deployments/web" });
    expect(server.seen.map((s) => s.method)).toEqual(["POST", "POST"]);
    expect(delays).toEqual([1000]);
  });

  it("ends a POST that keeps getting 429 with an ApiError, not an ambiguous one", async () => {
    server.script(json(429, { code: 8, message: "quota" }));
    const err = await failure(client().request(post()));
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(429);
    expect(server.seen).toHaveLength(4);
  });

  it("retries a 500 on a POST marked idempotent", async () => {
    server.script(json(500, {}), json(200, { ok: true }));
    await expect(client().request(post({ idempotent: true }))).resolves.toEqual({ ok: true });
    expect(server.seen).toHaveLength(2);
  });
});

describe("HttpClient: connection failures", () => {
  it("retries a GET whose connection is reset", async () => {
    server.script(reset, json(200, { state: "READY" }));
    await expect(client().request(get())).resolves.toEqual({ state: "READY" });
    expect(server.seen).toHaveLength(2);
    expect(delays).toEqual([100]);
  });

  it("throws AmbiguousRequestError after exactly one attempt when a POST's connection is reset", async () => {
    server.script(reset, json(200, {}));
    const err = await failure(client().request(post()));
    expect(err).toBeInstanceOf(AmbiguousRequestError);
    expect(err.message).toMatch(/^create Deployment "accounts\/acme\/deployments\/web": the outcome is unknown \(.+\)$/);
    expect(server.seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("ends a GET reset on every attempt in TransportError", async () => {
    server.script(reset);
    const err = await failure(client().request(get()));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/^read Deployment "accounts\/acme\/deployments\/web" failed after 4 attempt\(s\): /);
    expect(server.seen).toHaveLength(4);
  });

  it("retries even a POST on connection refused (nothing was sent) and ends in TransportError", async () => {
    const closed = new ScriptedServer();
    const deadUrl = await closed.listen();
    await closed.close();
    const err = await failure(client({ baseUrl: deadUrl }).request(post()));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(/^create Deployment "accounts\/acme\/deployments\/web" failed after 4 attempt\(s\): /);
    expect(err.message).toContain("ECONNREFUSED");
    // The whole message: nothing beyond the refused address is added (the key cannot reach it; the next test covers a
    // transport failure that does echo the key).
    expect(err.message).toBe(
      `create Deployment "accounts/acme/deployments/web" failed after 4 attempt(s): connect ECONNREFUSED ${new URL(deadUrl).host}`,
    );
    expect(delays).toEqual([100, 200, 250]);
  });
});

describe("HttpClient: API errors", () => {
  it("throws a 404 as an ApiError that isNotFound, without retrying", async () => {
    server.script(json(404, { code: 5, message: 'deployment "web" not found' }));
    const err = await failure(client().request(get()));
    expect(isNotFound(err)).toBe(true);
    expect(isAlreadyExists(err)).toBe(false);
    expect(err.message).toBe('read Deployment "accounts/acme/deployments/web" failed: HTTP 404 NOT_FOUND: deployment "web" not found');
    expect(server.seen).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it("throws a 409 as an ApiError that isAlreadyExists, without retrying", async () => {
    server.script(json(409, { code: 6, message: "already exists" }));
    const err = await failure(client().request(post()));
    expect(isAlreadyExists(err)).toBe(true);
    expect(isNotFound(err)).toBe(false);
    expect((err as ApiError).code).toBe("ALREADY_EXISTS");
    expect(server.seen).toHaveLength(1);
  });

  it("maps a numeric gRPC code to its name: {code: 3} is INVALID_ARGUMENT", async () => {
    server.script(json(400, { code: 3, message: "bad" }));
    const err = (await failure(client().request(get()))) as ApiError;
    expect(err.code).toBe("INVALID_ARGUMENT");
    expect(err.apiMessage).toBe("bad");
    expect(err.message).toBe('read Deployment "accounts/acme/deployments/web" failed: HTTP 400 INVALID_ARGUMENT: bad');
  });

  it("reads the {error: {message, code}} shape", async () => {
    server.script(json(412, { error: { message: "x", code: "PRECONDITION_FAILED" } }));
    const err = (await failure(client().request(get()))) as ApiError;
    expect(err.code).toBe("PRECONDITION_FAILED");
    expect(err.apiMessage).toBe("x");
    expect(err.message).toBe('read Deployment "accounts/acme/deployments/web" failed: HTTP 412 PRECONDITION_FAILED: x');
  });

  it("keeps a non-JSON body as the message and names the code from the HTTP status", async () => {
    server.script(text(403, "<html>Forbidden by proxy</html>"));
    const err = (await failure(client().request(get()))) as ApiError;
    expect(err.code).toBe("PERMISSION_DENIED");
    expect(err.apiMessage).toBe("<html>Forbidden by proxy</html>");
    expect(err.message).toBe(
      'read Deployment "accounts/acme/deployments/web" failed: HTTP 403 PERMISSION_DENIED: <html>Forbidden by proxy</html>' +
        " (the API key may not have access to this account: check fireworks:accountId / FIREWORKS_ACCOUNT_ID)",
    );
  });

  it("names an unmapped status UNKNOWN and says (no message) for an empty body", async () => {
    server.script(text(418, ""));
    const err = (await failure(client().request(get()))) as ApiError;
    expect(err.message).toBe('read Deployment "accounts/acme/deployments/web" failed: HTTP 418 UNKNOWN: (no message)');
  });

  it("adds a configuration hint to a 401", async () => {
    server.script(json(401, { code: 16, message: "invalid API key" }));
    const err = await failure(client().request(get()));
    expect(err.message).toBe(
      'read Deployment "accounts/acme/deployments/web" failed: HTTP 401 UNAUTHENTICATED: invalid API key (check fireworks:apiKey / FIREWORKS_API_KEY)',
    );
  });

  it("records Retry-After seconds on the final ApiError", async () => {
    server.script(json(429, { code: 8, message: "quota" }, { "retry-after": "7" }));
    const err = (await failure(client({ retry: { maxAttempts: 1 } }).request(get()))) as ApiError;
    expect(err.retryAfterSeconds).toBe(7);
  });
});

describe("HttpClient: the API key never leaks", () => {
  it("redacts the key echoed in a JSON error message", async () => {
    server.script(json(401, { code: 16, message: `invalid key ${KEY} for account acme` }));
    const err = (await failure(client().request(get()))) as ApiError;
    expect(err.message).not.toContain(KEY);
    expect(err.apiMessage).not.toContain(KEY);
    expect(err.message).toContain("invalid key [redacted] for account acme");
  });

  it("redacts an echoed Authorization header in a non-JSON body", async () => {
    server.script(text(400, `bad request; headers: Authorization: Bearer ${KEY}`));
    const err = (await failure(client().request(get()))) as ApiError;
    expect(err.message).not.toContain(KEY);
    expect(err.message).toContain("Bearer [redacted]");
  });

  it("redacts the key in an AmbiguousRequestError from a POST", async () => {
    server.script(json(500, { code: 13, message: `panic handling request with key=${KEY}` }));
    const err = await failure(client().request(post()));
    expect(err).toBeInstanceOf(AmbiguousRequestError);
    expect(err.message).not.toContain(KEY);
    expect((err as AmbiguousRequestError).causeText).not.toContain(KEY);
    expect(err.message).toContain("key=[redacted]");
  });

  it("redacts the key in the {error: {message}} shape after retries are exhausted", async () => {
    server.script(json(503, { error: { message: `overloaded (${KEY})`, code: "UNAVAILABLE" } }));
    const err = await failure(client().request(get()));
    expect(err.message).toBe('read Deployment "accounts/acme/deployments/web" failed: HTTP 503 UNAVAILABLE: overloaded ([redacted])');
  });

  it("does not leak part of the key when a long non-JSON body is truncated in the middle of it", async () => {
    // parseErrorBody keeps the first 500 characters; the key starts at 490, so its first 10 characters are kept.
    server.script(text(400, `${"x".repeat(490)}${KEY} and more`));
    const err = (await failure(client().request(get()))) as ApiError;
    expect(err.apiMessage.length).toBeLessThanOrEqual(500);
    expect(err.message).not.toContain(KEY.slice(0, 10));
  });
});

describe("HttpClient: the request's secrets never leak", () => {
  const patch = (extra: Partial<ApiRequest> = {}): ApiRequest =>
    get({ method: "PATCH", body: SECRET_BODY, secrets: SECRETS, context: UPDATE_CTX, ...extra });

  it.each([
    ["quoted raw in a text body", echo(400, "text/plain", (token, body) => `rejected token ${token}: ${body}`), `rejected token [redacted]: ${REDACTED_BODY}`],
    [
      "quoted inside a JSON error message (escaped twice on the wire)",
      echo(400, "application/json", (token, body) => JSON.stringify({ code: 3, message: `invalid body ${body} for token ${token}` })),
      `invalid body ${REDACTED_BODY} for token [redacted]`,
    ],
    [
      "re-serialized with non-ASCII and <>& as upper-case \\uXXXX escapes",
      echo(400, "application/json", (token, body) => JSON.stringify({ code: 3, message: `fields ${asciiJson(JSON.parse(body))} (${token})` })),
      `fields ${REDACTED_BODY} ([redacted])`,
    ],
    [
      "re-serialized that way and then quoted raw in a text body",
      echo(400, "text/plain", (token, body) => `fields ${JSON.stringify(asciiJson(JSON.parse(body)))} (${token})`),
      `fields ${JSON.stringify(REDACTED_BODY)} ([redacted])`,
    ],
  ])("redacts the key and every secret from an ApiError when the server echoes them %s", async (_how, reply, expected) => {
    server.script(reply);
    const err = (await failure(client().request(patch()))) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.apiMessage).toBe(expected);
    expect(err.message).toBe(`update Deployment "accounts/acme/deployments/web" failed: HTTP 400 INVALID_ARGUMENT: ${expected}`);
  });

  it("redacts them from the ApiError that ends the retries of a 503", async () => {
    server.script(echo(503, "text/plain", (token, body) => `overloaded (${token}) ${body}`));
    const err = (await failure(client().request(patch()))) as ApiError;
    expect(err.message).toBe(`update Deployment "accounts/acme/deployments/web" failed: HTTP 503 UNAVAILABLE: overloaded ([redacted]) ${REDACTED_BODY}`);
    expect(server.seen).toHaveLength(4);
  });

  it("redacts them from an AmbiguousRequestError after a POST's 500", async () => {
    server.script(echo(500, "application/json", (token, body) => JSON.stringify({ code: 13, message: `panic on ${body} key=${token}` })));
    const err = await failure(client().request(post({ body: SECRET_BODY, secrets: SECRETS })));
    expect(err).toBeInstanceOf(AmbiguousRequestError);
    expect(err.message).toBe(
      `create Deployment "accounts/acme/deployments/web": the outcome is unknown (HTTP 500: panic on ${REDACTED_BODY} key=[redacted])`,
    );
  });

  it("redacts them from the error for a 2xx body that is not JSON", async () => {
    server.script(echo(200, "text/plain", (token, body) => `ok ${token} ${body}`));
    const err = (await failure(client().request(patch()))) as ApiError;
    expect(err.message).toBe(
      `update Deployment "accounts/acme/deployments/web" failed: HTTP 200 INTERNAL: the response was not JSON: ok [redacted] ${REDACTED_BODY}`,
    );
  });

  it("redacts them from a TransportError when the transport's failure quotes the request", async () => {
    // Never reached while the transport fails; it answers only a client that bypassed the dispatcher.
    server.script(json(200, {}));
    const err = await failure(client({ dispatcher: new EchoingTransport() }).request(patch()));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toBe(
      `update Deployment "accounts/acme/deployments/web" failed after 4 attempt(s): proxy refused token [redacted] for PATCH ${PATH} with body ${REDACTED_BODY}`,
    );
    expect(delays).toEqual([100, 200, 250]);
  });

  it("redacts them from an AmbiguousRequestError when a POST's transport failure quotes the request", async () => {
    server.script(json(200, {}));
    const err = await failure(client({ dispatcher: new EchoingTransport() }).request(post({ body: SECRET_BODY, secrets: SECRETS })));
    expect(err).toBeInstanceOf(AmbiguousRequestError);
    expect(err.message).toBe(
      'create Deployment "accounts/acme/deployments/web": the outcome is unknown ' +
        `(proxy refused token [redacted] for POST /v1/accounts/acme/deployments with body ${REDACTED_BODY})`,
    );
  });

  it("redacts a secret before cutting the message, so no beginning of it survives the 500-character limit", async () => {
    server.script(text(400, `${"y".repeat(490)}${DIRECT_ROUTE_KEY} and more`));
    const err = (await failure(client().request(patch()))) as ApiError;
    expect(err.apiMessage).toBe(`${"y".repeat(490)}[redacted]`);
  });

  it("redacts the key before quoting the first 200 characters of a 2xx body that is not JSON", async () => {
    server.script(text(200, `${"z".repeat(195)}${KEY} trailing`));
    const err = await failure(client().request(get()));
    expect(err.message).toBe(`read Deployment "accounts/acme/deployments/web" failed: HTTP 200 INTERNAL: the response was not JSON: ${"z".repeat(195)}[reda`);
  });

  it("drops the end of an error body cut at the size cap, where a secret may have been cut in two", async () => {
    // The cap falls 25 bytes into the key, within the 500 characters a message keeps: what was read of the key must
    // not reach the message. The client cannot tell a cut secret from other text, so it drops the stretch before the
    // cut that a secret could span.
    server.script(text(400, `${"x".repeat(495)}${KEY} and more`));
    const err = (await failure(client({ maxErrorBodyBytes: 520 }).request(get()))) as ApiError;
    expect(err.apiMessage).toMatch(/^x*$/);
    expect(err.message).not.toContain(KEY.slice(0, 3));
  });
});

describe("HttpClient: secrets near a cut", () => {
  /** KEY escaped twice, every character as `\u005cuXXXX`: 11 characters each, shrinking to "[redacted]" when found. */
  const deepKey = [...KEY].map((c) => `\\u005cu${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
  /** Long spellings that shrink a lot when redacted, then the raw key: wherever a cut falls, it splits a key. */
  const dense = `${deepKey}${KEY}`.repeat(60);
  const prefixesOfRedacted = Array.from({ length: 11 }, (_, n) => "[redacted]".slice(0, n));

  it("quotes only redacted text from a long 2xx body dense with keys, though shrinking pulls its end forward", async () => {
    server.script(text(200, dense));
    const err = await failure(client().request(get()));
    const quote = err.message.replace('read Deployment "accounts/acme/deployments/web" failed: HTTP 200 INTERNAL: the response was not JSON: ', "");
    expect(quote.length).toBeGreaterThan(0);
    expect(prefixesOfRedacted).toContain(quote.split("[redacted]").join(""));
  });

  it("keeps only redacted text of an error body dense with keys and cut at its cap", async () => {
    server.script(text(400, dense));
    const err = (await failure(client({ maxErrorBodyBytes: 3000 }).request(get()))) as ApiError;
    expect(err.apiMessage.length).toBeGreaterThan(0);
    expect(prefixesOfRedacted).toContain(err.apiMessage.split("[redacted]").join(""));
  });
});

describe("HttpClient: response size limits", () => {
  it("keeps at most 64 KiB of an error body and hangs up instead of reading the rest", async () => {
    const { reply, progress } = flood(400, 128 * MiB);
    server.script(reply);
    const err = (await failure(client().request(get()))) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.apiMessage).toBe("x".repeat(500));
    await progress.closed;
    expect(progress.finished).toBe(false);
    expect(progress.written).toBeLessThan(DEFAULT_MAX_ERROR_BODY_BYTES + BUFFER_SLACK);
  });

  it("reads an error body of exactly 64 KiB whole and cuts one of a byte more", async () => {
    expect(DEFAULT_MAX_ERROR_BODY_BYTES).toBe(64 * 1024);
    const head = '{"code":3,"message":"too long","pad":"';
    const body = (size: number): string => `${head}${"p".repeat(size - head.length - 2)}"}`;
    server.script(text(400, body(DEFAULT_MAX_ERROR_BODY_BYTES)), text(400, body(DEFAULT_MAX_ERROR_BODY_BYTES + 1)));
    const whole = (await failure(client().request(get()))) as ApiError;
    expect(whole.apiMessage).toBe("too long");
    // Cut, the body is no longer JSON, so its beginning becomes the message.
    const cut = (await failure(client().request(get()))) as ApiError;
    expect(cut.apiMessage).toBe(`${head}${"p".repeat(500 - head.length)}`);
  });

  it("refuses a 2xx body over 32 MiB by default with ResponseTooLargeError, hanging up early", async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * MiB);
    const { reply, progress } = flood(200, 128 * MiB);
    server.script(reply);
    const err = await failure(client().request(get()));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect((err as ResponseTooLargeError).limitBytes).toBe(32 * MiB);
    expect((err as ResponseTooLargeError).context).toEqual(CTX);
    await progress.closed;
    expect(progress.finished).toBe(false);
    expect(progress.written).toBeLessThan(32 * MiB + BUFFER_SLACK);
    expect(server.seen).toHaveLength(1);
  });

  it("accepts a 2xx body of exactly maxResponseBytes and refuses one a byte longer, naming action, kind and name", async () => {
    const head = '{"pad":"';
    const body = (size: number): string => `${head}${"p".repeat(size - head.length - 2)}"}`;
    server.script(json(200, body(1024)), json(200, body(1025)));
    const c = client({ maxResponseBytes: 1024 });
    await expect(c.request(get())).resolves.toEqual({ pad: "p".repeat(1024 - head.length - 2) });
    const err = await failure(c.request(get()));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(err.message).toBe(
      'read Deployment "accounts/acme/deployments/web" failed: the response (HTTP 200) was too large: ' +
        "it exceeds the client's limit of 1024 bytes, so it was not read",
    );
    expect(delays).toEqual([]);
  });

  it("stops reading a flood of a 2xx body at a configured cap", async () => {
    const { reply, progress } = flood(200, 128 * MiB);
    server.script(reply);
    const err = await failure(client({ maxResponseBytes: MiB }).request(get()));
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    await progress.closed;
    expect(progress.finished).toBe(false);
    expect(progress.written).toBeLessThan(MiB + BUFFER_SLACK);
  });
});

describe("HttpClient: request deadline", () => {
  const START = Date.parse("2025-01-01T00:00:00Z");
  interface Armed {
    ms: number;
    fire: () => void;
    disarmed: boolean;
  }
  let t: number;
  let armed: Armed[];

  beforeEach(() => {
    t = START;
    armed = [];
  });

  /** A client on a fake clock that moves only when it sleeps, whose deadline aborts fire only when the test says. */
  function timed(options: Partial<HttpClientOptions> = {}): HttpClient {
    return client({
      now: () => t,
      sleep: async (ms) => {
        delays.push(ms);
        t += ms;
      },
      setTimer: (ms, fire) => {
        const timer: Armed = { ms, fire, disarmed: false };
        armed.push(timer);
        return () => {
          timer.disarmed = true;
        };
      },
      ...options,
    });
  }

  it("stops retrying a 503 when the next backoff would end after the deadline, and throws that ApiError", async () => {
    server.script(json(503, { code: 14, message: "backend down" }));
    const err = await failure(timed().request(get({ deadline: START + 250 })));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.message).toBe(
      'read Deployment "accounts/acme/deployments/web" failed: HTTP 503 UNAVAILABLE: backend down ' +
        "(deadline reached: the next attempt was due in 200 ms, after the deadline)",
    );
    expect((err as ApiError).deadlineReached).toBe(true);
    expect(delays).toEqual([100]);
    expect(retries).toHaveLength(1);
    expect(server.seen).toHaveLength(2);
  });

  it.each([
    [300, [100]],
    [301, [100, 200]],
  ])("with the deadline %d ms away, never sleeps up to or past it: sleeps %j", async (inMs, expected) => {
    server.script(json(503, { code: 14, message: "backend down" }));
    await failure(timed().request(get({ deadline: START + inMs })));
    expect(delays).toEqual(expected);
  });

  it("stops retrying a reset connection at the deadline, and throws that TransportError", async () => {
    server.script(reset);
    const err = await failure(timed().request(get({ deadline: START + 250 })));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toMatch(
      /^read Deployment "accounts\/acme\/deployments\/web" failed after 2 attempt\(s\): .+ \(deadline reached: the next attempt was due in 200 ms, after the deadline\)$/,
    );
    expect((err as TransportError).deadlineReached).toBe(true);
    expect(server.seen).toHaveLength(2);
  });

  it("does not wait out a Retry-After that ends after the deadline", async () => {
    server.script(json(429, { code: 8, message: "quota" }, { "retry-after": "30" }), json(200, {}));
    const err = (await failure(timed().request(get({ deadline: START + 10_000 })))) as ApiError;
    expect(err.status).toBe(429);
    expect(err.retryAfterSeconds).toBe(30);
    expect(err.message).toBe(
      'read Deployment "accounts/acme/deployments/web" failed: HTTP 429 RESOURCE_EXHAUSTED: quota ' +
        "(deadline reached: the next attempt was due in 30000 ms, after the deadline)",
    );
    expect(delays).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });

  it("aborts a GET still in flight when the deadline comes: a TransportError", async () => {
    const answer = held();
    server.script(answer.reply);
    const pending = timed().request(get({ deadline: START + 5000 }));
    await answer.arrived;
    armed[0]?.fire();
    // Were the abort ignored, this answer would make the request succeed.
    answer.release(200, { state: "READY" });
    const err = await failure(pending);
    expect(armed.map((a) => a.ms)).toEqual([5000]);
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toBe(
      'read Deployment "accounts/acme/deployments/web" failed after 1 attempt(s): deadline reached: the request was aborted after 5000 ms in flight',
    );
    expect((err as TransportError).deadlineReached).toBe(true);
    expect(delays).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });

  it("aborts a POST still in flight when the deadline comes: an AmbiguousRequestError, since it may have been acted on", async () => {
    const answer = held();
    server.script(answer.reply);
    const pending = timed().request(post({ deadline: START + 5000 }));
    await answer.arrived;
    armed[0]?.fire();
    answer.release(200, { name: "accounts/acme/deployments/web" });
    const err = await failure(pending);
    expect(err).toBeInstanceOf(AmbiguousRequestError);
    expect(err.message).toBe(
      'create Deployment "accounts/acme/deployments/web": the outcome is unknown (deadline reached: the request was aborted after 5000 ms in flight)',
    );
    expect(server.seen).toHaveLength(1);
  });

  it("arms each attempt's abort with the time left, and disarms it once the answer is in", async () => {
    server.script(json(503, {}), json(200, { ok: true }));
    await expect(timed().request(get({ deadline: START + 1000 }))).resolves.toEqual({ ok: true });
    expect(armed.map((a) => [a.ms, a.disarmed])).toEqual([
      [1000, true],
      [900, true],
    ]);
  });

  it("arms no abort for a request without a deadline", async () => {
    server.script(json(200, {}));
    await timed().request(get());
    expect(armed).toEqual([]);
  });

  it("sends nothing when the deadline has already passed", async () => {
    server.script(json(200, {}));
    const err = await failure(timed().request(post({ deadline: START })));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toBe('create Deployment "accounts/acme/deployments/web" failed after 0 attempt(s): deadline reached before the request was sent');
    expect(server.seen).toEqual([]);
  });

  it("aborts at the deadline with the default timer too", async () => {
    // Never answered: the only way out is the abort, 1 ms after the start on the real timer.
    server.script(held().reply);
    const err = await failure(client({ now: () => START }).request(get({ deadline: START + 1 })));
    expect(err).toBeInstanceOf(TransportError);
    expect(err.message).toContain("deadline reached: the request was aborted after 1 ms in flight");
  });
});

describe("redact", () => {
  it("redacts the longer of two secrets first, so a secret containing another goes whole", () => {
    expect(redact("token abcd1234efgh", ["abcd", "abcd1234efgh"])).toBe("token [redacted]");
  });

  it.each([
    ["raw", SECRET_VALUE],
    ["as JSON.stringify writes it", JSON.stringify(SECRET_VALUE).slice(1, -1)],
    ["with non-ASCII and <>& as upper-case \\uXXXX", asciiJson(SECRET_VALUE).slice(1, -1)],
    ["with them as lower-case \\uXXXX", asciiJson(SECRET_VALUE).slice(1, -1).replace(/\\u[0-9A-F]{4}/g, (e) => e.toLowerCase())],
    ["as sent and then escaped once more", JSON.stringify(JSON.stringify(SECRET_VALUE).slice(1, -1)).slice(1, -1)],
    ["with upper-case \\uXXXX escapes and then escaped once more", JSON.stringify(asciiJson(SECRET_VALUE).slice(1, -1)).slice(1, -1)],
    // @ escaped once; the quote and ö escaped twice; the backslash as \\\\ with both halves \\u-escaped; 🔑 as two surrogates.
    ["escaped a different way at each position", String.raw`p\u0040ss\\\"w\\u00f6rd\u005C\u005c\u003c&>✓\ud83d\uDD11`],
  ])("redacts a secret written %s", (_how, spelling) => {
    expect(redact(`<${spelling}>`, [SECRET_VALUE])).toBe("<[redacted]>");
  });

  it("leaves secrets shorter than four characters alone, rather than garble every message", () => {
    expect(redact("abc abc", ["abc"])).toBe("abc abc");
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");

  it.each([
    ["2", 2000],
    ["0", 0],
    ["1.5", 1500],
    ["120", 120_000],
    ["-3", 0],
  ])("reads delta-seconds %j as %d ms", (value, ms) => {
    expect(retryAfterMs(value, now)).toBe(ms);
  });

  it("reads an HTTP date relative to now", () => {
    expect(retryAfterMs("Wed, 01 Jan 2025 00:00:30 GMT", now)).toBe(30_000);
  });

  it("clamps an HTTP date in the past to 0", () => {
    expect(retryAfterMs("Tue, 31 Dec 2024 23:59:00 GMT", now)).toBe(0);
  });

  it("uses the first of repeated headers", () => {
    expect(retryAfterMs(["3", "9"], now)).toBe(3000);
  });

  it.each([undefined, "", "  ", "soon", "Someday, 99 Foo 2025"])("returns undefined for %j", (value) => {
    expect(retryAfterMs(value, now)).toBeUndefined();
  });
});

describe("parseErrorBody", () => {
  it.each([
    ['{"code":3,"message":"bad"}', { code: "INVALID_ARGUMENT", message: "bad" }],
    ['{"code":5,"message":"nope","details":[]}', { code: "NOT_FOUND", message: "nope" }],
    ['{"error":{"message":"x","code":"PRECONDITION_FAILED"}}', { code: "PRECONDITION_FAILED", message: "x" }],
    ['{"message":"no code"}', { message: "no code" }],
    ["not json", { message: "not json" }],
    ["", { message: "" }],
  ])("parses %j", (body, expected) => {
    expect(parseErrorBody(body)).toEqual(expected);
  });

  it("keeps a long non-JSON body whole (the client shortens messages only after redacting the key)", () => {
    expect(parseErrorBody("x".repeat(2000)).message).toHaveLength(2000);
  });
});
