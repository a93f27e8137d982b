import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { registerAdmin } from "./admin";
import type { EmulatorContext, ResourceModule, RouteEntry, Timings } from "./context";
import { Deployments } from "./deployments";
import { ApiError, codeForHttpStatus } from "./errors";
import { Faults } from "./faults";
import type { Json } from "./json";
import { parseJsonObject, Query, type ApiReply, type ApiRequest } from "./request";
import { RequestLog } from "./requestlog";
import { Router } from "./router";
import { Scheduler } from "./scheduler";

export interface ServerConfig {
  host: string;
  port: number;
  apiKey: string;
  accountId: string;
  timings: Timings;
}

const ADMIN_PREFIX = "/_emulator";

/** The HTTP front: auth, account scoping, fault injection, request log, routing, error bodies. */
export class EmulatorServer {
  private readonly http: Server;
  private readonly scheduler = new Scheduler();
  private readonly faults = new Faults();
  private readonly log = new RequestLog();
  private readonly api = new Router<RouteEntry>();
  private readonly admin = new Router<RouteEntry>();
  private readonly modules: ResourceModule[];
  private closed = false;

  constructor(private readonly config: ServerConfig) {
    const ctx: EmulatorContext = {
      accountId: config.accountId,
      timings: config.timings,
      scheduler: this.scheduler,
      faults: this.faults,
      now: () => Date.now(),
    };
    // New collections are added here; each module brings its own routes and control routes.
    this.modules = [new Deployments(ctx)];
    for (const m of this.modules) {
      m.registerApi(this.api);
      m.registerAdmin(this.admin);
    }
    registerAdmin(this.admin, { faults: this.faults, log: this.log, timings: config.timings, reset: () => this.reset() });
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => this.sendError(res, err));
    });
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
    for (const m of this.modules) m.reset();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname;
    const bodyText = await readBody(req);
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
      const reply = await this.dispatch(this.admin, method, path, url.searchParams, bodyText);
      this.send(res, reply.status ?? 200, reply.body, reply.headers);
      return;
    }

    const logged = { method, path, query: Object.fromEntries(url.searchParams), time: new Date().toISOString() };
    const respond = (status: number, body: Json, headers?: Record<string, string>) => {
      this.log.add({ ...logged, status });
      this.send(res, status, body, headers);
    };
    try {
      this.authenticate(req, path);
      const action = this.faults.take(method, path);
      if (action?.type === "drop") {
        this.log.add({ ...logged, status: 0 });
        req.socket.destroy();
        return;
      }
      if (action?.type === "delay") await new Promise<void>((resolve) => this.scheduler.after(action.ms, resolve));
      if (action?.type === "status") {
        const headers: Record<string, string> = {};
        if (action.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.ceil(action.retryAfterSeconds));
        throw new ApiError(codeForHttpStatus(action.status), action.message ?? `injected fault: HTTP ${action.status}`, headers, action.status);
      }
      if (path === "/verifyApiKey") {
        // Undocumented but used by Fireworks' own SDK to discover the account (reference §1.1).
        if (method !== "GET") throw new ApiError("UNIMPLEMENTED", "Method Not Allowed");
        respond(200, {}, { "x-fireworks-account-id": this.config.accountId });
        return;
      }
      const reply = await this.dispatch(this.api, method, path, url.searchParams, bodyText);
      respond(reply.status ?? 200, reply.body, reply.headers);
    } catch (err) {
      const apiError = toApiError(err);
      respond(apiError.httpStatus, apiError.body(), apiError.headers);
    }
  }

  /** Bearer auth on every API path (reference §1.1), then account scoping (stricter 403; README). */
  private authenticate(req: IncomingMessage, path: string): void {
    if (!path.startsWith("/v1/") && path !== "/verifyApiKey") throw new ApiError("NOT_FOUND", "Not Found");
    const header = req.headers.authorization ?? "";
    const m = /^Bearer +(\S+)\s*$/i.exec(header);
    if (!m || m[1] !== this.config.apiKey) {
      throw new ApiError("UNAUTHENTICATED", m ? "invalid API key" : "missing bearer token: send Authorization: Bearer <API_KEY>", {
        "www-authenticate": "Bearer",
      });
    }
    const account = /^\/v1\/accounts\/([^/:]+)/.exec(path)?.[1];
    if (account !== undefined && safeDecode(account) !== this.config.accountId) {
      throw new ApiError("PERMISSION_DENIED", `the API key does not have permission for account "${safeDecode(account)}"`);
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

  private send(res: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  }

  private sendError(res: ServerResponse, err: unknown): void {
    const apiError = toApiError(err);
    this.send(res, apiError.httpStatus, apiError.body(), apiError.headers);
  }
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
