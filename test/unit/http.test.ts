import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AmbiguousRequestError, ApiError, TransportError, type ErrorContext } from "../../provider/src/errors";
import {
  HttpClient, isAlreadyExists, isNotFound, parseErrorBody, retryAfterMs, type ApiRequest, type HttpClientOptions, type RetryEvent,
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

  it("honours Retry-After given as an HTTP date", async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3000);
    server.script(json(429, { code: 8, message: "slow down" }, { "retry-after": at.toUTCString() }), json(200, { ok: true }));
    await client().request(get());
    expect(delays).toHaveLength(1);
    // The date has one-second resolution and is at least 3 s ahead of the moment it was computed.
    expect(delays[0]).toBeGreaterThan(2000);
    expect(delays[0]).toBeLessThanOrEqual(4000);
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
    expect(err.message).not.toContain(KEY);
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
