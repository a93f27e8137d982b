import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { isIP, type AddressInfo } from "node:net";
import { registerAdmin } from "./admin";
import { DEFAULT_SETTINGS, type CollectionFactory, type CollectionModule, type EmulatorContext, type RouteEntry, type Settings } from "./context";
import { ApiError, codeForHttpStatus } from "./errors";
import { Faults, type FaultAction } from "./faults";
import type { Json } from "./json";
import { parseJsonObject, Query, type ApiReply, type ApiRequest } from "./request";
import { Registry } from "./registry";
import { RequestLog } from "./requestlog";
import { Router } from "./router";
import { Scheduler } from "./scheduler";
import { TimingTable } from "./timings";
import { attachUploadSink } from "./uploads";

export interface ServerConfig {
  host: string;
  port: number;
  apiKey: string;
  accountId: string;
  /** The collections to serve (collections/index.ts); the server knows none by name. */
  collections: readonly CollectionFactory[];
}

const ADMIN_PREFIX = "/_emulator";

/**
 * Request body caps. The largest real control-plane body is a deployment or job, a few KiB; 8 MiB leaves room for
 * anything legitimate while keeping one request from holding the process's memory. Control bodies are tiny.
 */
export const API_BODY_LIMIT = 8 * 1024 * 1024;
export const CONTROL_BODY_LIMIT = 64 * 1024;

/** One HTTP exchange: whether its body was read to the end decides if the connection may be kept alive. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  bodyRead: boolean;
}

/** The HTTP front: auth, account scoping, fault injection, request log, routing, error bodies. */
export class EmulatorServer {
  private readonly http: Server;
  private readonly scheduler = new Scheduler();
  private readonly faults = new Faults();
  private readonly log = new RequestLog();
  private readonly settings: Settings = { ...DEFAULT_SETTINGS };
  private readonly api = new Router<RouteEntry>();
  private readonly admin = new Router<RouteEntry>();
  private readonly modules: CollectionModule[];
  /** Declared by the collections as they are built; startEmulator applies the caller's timings afterwards. */
  readonly timings = new TimingTable();
  /** Listening beyond loopback: the control channel then also needs the API key. */
  private readonly exposed: boolean;
  private closed = false;

  constructor(private readonly config: ServerConfig) {
    this.exposed = !isLoopbackHost(config.host);
    const ctx: EmulatorContext = {
      accountId: config.accountId,
      timings: this.timings,
      scheduler: this.scheduler,
      faults: this.faults,
      settings: this.settings,
      registry: new Registry(),
      now: () => Date.now(),
    };
    // Each module brings its own routes and control routes.
    this.modules = config.collections.map((create) => create(ctx));
    for (const m of this.modules) {
      m.registerApi(this.api);
      m.registerAdmin(this.admin);
    }
    registerAdmin(this.admin, { faults: this.faults, log: this.log, timings: this.timings, settings: this.settings, reset: () => this.reset() });
    this.http = createServer((req, res) => {
      const exchange: Exchange = { req, res, bodyRead: !hasBody(req) };
      this.handle(exchange).catch((err: unknown) => this.sendError(exchange, err));
    });
    // Signed upload URLs point at the emulator itself, outside /v1 (core/uploads.ts).
    attachUploadSink(ctx, this.http);
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(this.config.port, this.config.host, () => {
        this.http.off("error", reject);
        resolve(this.http.address() as AddressInfo);
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.scheduler.cancelAll();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private reset(): void {
    this.scheduler.cancelAll();
    this.faults.clear();
    this.log.clear();
    Object.assign(this.settings, DEFAULT_SETTINGS);
    for (const m of this.modules) m.reset();
  }

  private async handle(exchange: Exchange): Promise<void> {
    const { req } = exchange;
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
      // Every check happens before a byte of the body is read.
      this.guardControl(req);
      const bodyText = await readBody(exchange, CONTROL_BODY_LIMIT);
      const reply = await this.dispatch(this.admin, method, path, url.searchParams, bodyText);
      this.send(exchange, reply.status ?? 200, reply.body, reply.headers);
      return;
    }

    const logged = { method, path, query: Object.fromEntries(url.searchParams), time: new Date().toISOString() };
    const respond = (status: number, body: Json, headers?: Record<string, string>) => {
      this.log.add({ ...logged, status });
      this.send(exchange, status, body, headers);
    };
    const drop = () => {
      this.log.add({ ...logged, status: 0 });
      req.socket.destroy();
    };
    try {
      // Authentication and account scoping come before the body is read, so an anonymous client cannot make the
      // server buffer anything.
      this.authenticate(req, path);
      const bodyText = await readBody(exchange, API_BODY_LIMIT);
      const action = this.faults.take(method, path);
      if (action?.type === "drop") return drop();
      if (action?.type === "delay") await new Promise<void>((resolve) => this.scheduler.after(action.ms, resolve));
      if (action?.type === "status") throw injectedStatus(action, req, bodyText);
      if (path === "/verifyApiKey") {
        // Undocumented but used by Fireworks' own SDK to discover the account (reference §1.1).
        if (method !== "GET") throw new ApiError("UNIMPLEMENTED", "Method Not Allowed");
        respond(200, {}, { "x-fireworks-account-id": this.config.accountId });
        return;
      }
      let reply: ApiReply;
      try {
        reply = await this.dispatch(this.api, method, path, url.searchParams, bodyText);
      } catch (err) {
        // The request failed, so nothing was applied; the client still gets no answer.
        if (action?.type === "applyThenDrop") return drop();
        throw err;
      }
      // The change has happened; the client never learns it (a response lost on the way back).
      if (action?.type === "applyThenDrop") return drop();
      respond(reply.status ?? 200, reply.body, reply.headers);
    } catch (err) {
      const apiError = toApiError(err);
      respond(apiError.httpStatus, apiError.body(), apiError.headers);
    }
  }

  /** Bearer auth on every API path (reference §1.1), then account scoping (stricter 403; README). */
  private authenticate(req: IncomingMessage, path: string): void {
    if (!path.startsWith("/v1/") && path !== "/verifyApiKey") throw new ApiError("NOT_FOUND", "Not Found");
    this.checkBearer(req);
    const account = /^\/v1\/accounts\/([^/:]+)/.exec(path)?.[1];
    if (account !== undefined && safeDecode(account) !== this.config.accountId) {
      throw new ApiError("PERMISSION_DENIED", `the API key does not have permission for account "${safeDecode(account)}"`);
    }
  }

  private checkBearer(req: IncomingMessage): void {
    const header = req.headers.authorization ?? "";
    const m = /^Bearer +(\S+)\s*$/i.exec(header);
    if (!m || m[1] !== this.config.apiKey) {
      throw new ApiError("UNAUTHENTICATED", m ? "invalid API key" : "missing bearer token: send Authorization: Bearer <API_KEY>", {
        "www-authenticate": "Bearer",
      });
    }
  }

  /**
   * The control channel can reset state and inject faults, so a web page the developer happens to visit must not
   * reach it. Browsers mark cross-site requests with Origin and Sec-Fetch-Site, and cannot send
   * `content-type: application/json` cross-site without a CORS preflight (which is never answered positively). A Host
   * that is not loopback means DNS rebinding. Listening beyond loopback, anyone on the network could call it, so the
   * API key is required as well.
   */
  private guardControl(req: IncomingMessage): void {
    const origin = req.headers.origin;
    if (origin !== undefined && !isLoopbackOrigin(origin)) {
      throw new ApiError("PERMISSION_DENIED", `control requests from origin ${JSON.stringify(origin)} are refused`);
    }
    const site = req.headers["sec-fetch-site"];
    if (site === "cross-site" || site === "same-site") {
      throw new ApiError("PERMISSION_DENIED", `control requests from another site (sec-fetch-site: ${site}) are refused`);
    }
    if (this.exposed) {
      this.checkBearer(req);
    } else if (!isLoopbackHost(hostnameOf(req.headers.host ?? ""))) {
      throw new ApiError("PERMISSION_DENIED", `control requests must address a loopback host, not ${JSON.stringify(req.headers.host ?? "")}`);
    }
    const type = req.headers["content-type"];
    if ((hasBody(req) || type !== undefined) && mediaType(type ?? "") !== "application/json") {
      throw new ApiError("INVALID_ARGUMENT", "control requests with a body must have content-type: application/json", {}, 415);
    }
  }

  private async dispatch(router: Router<RouteEntry>, method: string, path: string, search: URLSearchParams, bodyText: string): Promise<ApiReply> {
    const match = router.match(method, path);
    // grpc-gateway's routing errors: unknown path -> NOT_FOUND; known path, other method -> 405 reported as
    // UNIMPLEMENTED (HTTP 501).
    if (match.kind === "not-found") throw new ApiError("NOT_FOUND", "Not Found");
    if (match.kind === "method-not-allowed") throw new ApiError("UNIMPLEMENTED", "Method Not Allowed", { allow: match.allowed.join(", ") });
    let body: ReturnType<typeof parseJsonObject> | undefined;
    const request: ApiRequest = {
      method,
      path,
      params: match.params,
      query: new Query(search, match.route.handler.query),
      json: () => (body ??= parseJsonObject(bodyText)),
    };
    return match.route.handler.handler(request);
  }

  private send(exchange: Exchange, status: number, body: Json, headers: Record<string, string> = {}): void {
    const { res } = exchange;
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      // A body left unread cannot be skipped on a kept-alive connection: close it after the answer instead of
      // draining it.
      ...(!exchange.bodyRead && { connection: "close" }),
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  }

  private sendError(exchange: Exchange, err: unknown): void {
    const apiError = toApiError(err);
    this.send(exchange, apiError.httpStatus, apiError.body(), apiError.headers);
  }
}

/**
 * An injected status error. With `echo`, the message repeats the caller's bearer token and raw body, as a careless
 * server might, so that a client's "never log a secret" tests have something to catch.
 */
function injectedStatus(action: Extract<FaultAction, { type: "status" }>, req: IncomingMessage, bodyText: string): ApiError {
  const headers: Record<string, string> = {};
  if (action.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.ceil(action.retryAfterSeconds));
  let message = action.message ?? `injected fault: HTTP ${action.status}`;
  if (action.echo) message += ` (request authorization: ${req.headers.authorization ?? "none"}; request body: ${bodyText})`;
  return new ApiError(codeForHttpStatus(action.status), message, headers, action.status);
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError("INTERNAL", `emulator error: ${err instanceof Error ? err.message : String(err)}`);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

function mediaType(contentType: string): string {
  return (contentType.split(";")[0] ?? "").trim().toLowerCase();
}

/** "localhost", 127.0.0.0/8 and ::1 (bracketed or not). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === "localhost") return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  if (isIP(bare) === 6) return bare === "::1" || bare === "0:0:0:0:0:0:0:1";
  return false;
}

/** The host part of a Host header ("127.0.0.1:8080", "[::1]:8080", "localhost"). */
function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return "";
  }
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    // "null" (sandboxed frames, file: pages) and anything unparsable.
    return false;
  }
}

function tooLarge(limit: number): ApiError {
  // What a proxy in front of grpc-gateway answers (413), with the gRPC code a gRPC server gives an oversized message.
  return new ApiError("RESOURCE_EXHAUSTED", `request body larger than ${limit} bytes`, {}, 413);
}

/** Reads the body up to `limit` bytes; past it, stops reading and fails (the connection is then closed). */
function readBody(exchange: Exchange, limit: number): Promise<string> {
  const { req } = exchange;
  if (exchange.bodyRead) return Promise.resolve("");
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      exchange.bodyRead = true;
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}
