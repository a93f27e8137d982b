import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, RequestListener, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatorContext } from "./context";
import { ApiError, invalidArgument } from "./errors";
import { parseInt64 } from "./encoding";
import { isObject, type Json, type JsonObject } from "./json";

// The upload sink: what a `:getUploadEndpoint` signed URL points at (reference §5.2, §6.1, §20.8-9). On the real
// platform the URLs are GCS signed URLs (X-Goog-* headers), i.e. third-party storage: they carry their own
// authorisation, so a client that also sends its API key there leaks it. The sink is served by the emulator itself
// outside `/v1` (`PUT /_uploads/{token}`), is shared by every collection that uploads (datasets now, models later)
// and checks what GCS would refuse, and a little more (README "Uploads"):
// - no `Authorization` header (403): the API key must never reach storage;
// - no chunked transfer encoding (411): GCS silently discards chunked uploads to signed URLs ([OUMI]: the file then
//   "is not found" at validation), so the stricter reading refuses them loudly;
// - `Content-Length` equal to the size declared in getUploadEndpoint, and `x-goog-content-length-range` naming a
//   range that holds it ([FWPY] sends "<size>,<size>"; the URL is signed with it, so it is required here);
// - `Content-Type: application/octet-stream` ([FWPY]).
// Bodies are streamed: the sink keeps the byte count, SHA-256 and line count of what arrived, never the bytes.

export const UPLOAD_PREFIX = "/_uploads/";

/** What arrived for one declared file. */
export interface ReceivedFile {
  bytes: number;
  sha256: string;
  /** Lines of text (a last line without a trailing newline counts): a dataset's example count. */
  lines: number;
}

/** One PUT the sink saw, refused or not: lets a test prove what a client sent (e.g. never an Authorization header). */
export interface UploadAttempt {
  owner: string;
  filename: string;
  status: number;
  authorization: boolean;
  chunked: boolean;
  contentLength: string | null;
  contentLengthRange: string | null;
  time: string;
}

interface Slot {
  owner: string;
  filename: string;
  size: number;
  received?: ReceivedFile;
}

const MAX_ATTEMPTS = 1000;

export class UploadSink {
  private server: Server | undefined;
  /** token -> slot */
  private readonly slots = new Map<string, Slot>();
  private attempts: UploadAttempt[] = [];

  constructor(private readonly ctx: EmulatorContext) {}

  bind(server: Server): void {
    this.server = server;
  }

  /**
   * Declares the files of one resource (`owner`, its full name) from a `filenameToSize` request field, replacing any
   * earlier declaration (a second getUploadEndpoint starts the upload afresh), and returns `filenameToSignedUrls`.
   */
  declare(owner: string, filenameToSize: Json | undefined): JsonObject {
    const sizes = parseFilenameToSize(filenameToSize);
    this.forget(owner);
    const urls: JsonObject = {};
    for (const [filename, size] of sizes) {
      const token = randomBytes(24).toString("hex");
      this.slots.set(token, { owner, filename, size });
      // Looks like what it stands for: a signed URL whose signature is the token.
      urls[filename] = `${this.origin()}${UPLOAD_PREFIX}${token}?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=${token}`;
    }
    return urls;
  }

  /** Whether `owner` ever declared files. */
  declared(owner: string): boolean {
    return [...this.slots.values()].some((s) => s.owner === owner);
  }

  /** What is still missing for `owner`: one line per declared file that has not arrived complete. */
  missing(owner: string): string[] {
    return [...this.slots.values()]
      .filter((s) => s.owner === owner && s.received?.bytes !== s.size)
      .map((s) => `${s.filename} (${s.size} bytes declared, nothing received yet)`);
  }

  received(owner: string): Map<string, ReceivedFile> {
    const out = new Map<string, ReceivedFile>();
    for (const s of this.slots.values()) if (s.owner === owner && s.received) out.set(s.filename, s.received);
    return out;
  }

  attemptsFor(owner: string): UploadAttempt[] {
    return this.attempts.filter((a) => a.owner === owner);
  }

  /** Drops the declarations of `owner` (deleted resource): its URLs answer 404 from now on. */
  forget(owner: string): void {
    for (const [token, slot] of this.slots) if (slot.owner === owner) this.slots.delete(token);
  }

  /** Drops everything owned by resources under `prefix` (a collection's reset). */
  forgetUnder(prefix: string): void {
    for (const [token, slot] of this.slots) if (slot.owner.startsWith(prefix)) this.slots.delete(token);
    this.attempts = this.attempts.filter((a) => !a.owner.startsWith(prefix));
  }

  /** Serves `PUT /_uploads/{token}`; false when the request is not for the sink. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const path = new URL(req.url ?? "/", "http://emulator.invalid").pathname;
    if (!path.startsWith(UPLOAD_PREFIX)) return false;
    void this.handle(req, res, path).catch((err: unknown) => {
      const apiError = err instanceof ApiError ? err : new ApiError("INTERNAL", `emulator error: ${String(err)}`);
      send(res, apiError.httpStatus, apiError.body(), true);
    });
    return true;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    // Faults reach the sink too (a dropped or failing part upload is what a client must retry).
    const action = this.ctx.faults.take(method, path);
    if (action?.type === "drop") {
      req.socket.destroy();
      return;
    }
    if (action?.type === "delay") await new Promise<void>((resolve) => this.ctx.scheduler.after(action.ms, resolve));
    if (action?.type === "status") {
      send(res, action.status, new ApiError("UNAVAILABLE", action.message ?? `injected fault: HTTP ${action.status}`, {}, action.status).body(), true);
      return;
    }
    if (method !== "PUT") return send(res, 405, new ApiError("UNIMPLEMENTED", "Method Not Allowed: signed upload URLs take PUT", {}, 405).body(), true, { allow: "PUT" });
    const token = path.slice(UPLOAD_PREFIX.length);
    const slot = this.slots.get(token);
    if (!slot) return send(res, 404, new ApiError("NOT_FOUND", "no such upload URL (unknown, replaced by a later getUploadEndpoint, or its resource was deleted)").body(), true);

    const authorization = req.headers.authorization !== undefined;
    const chunked = req.headers["transfer-encoding"] !== undefined;
    const contentLength = req.headers["content-length"] ?? null;
    const rangeHeader = header(req, "x-goog-content-length-range");
    const record = (status: number) => this.record({ owner: slot.owner, filename: slot.filename, status, authorization, chunked, contentLength, contentLengthRange: rangeHeader });
    const refuse = (status: number, code: ApiError["code"], message: string) => {
      record(status);
      send(res, status, new ApiError(code, message, {}, status).body(), true);
    };

    if (authorization) {
      return refuse(403, "PERMISSION_DENIED", "signed upload URLs carry their own authorization: the request must not carry an Authorization header (never send the API key to storage)");
    }
    if (chunked) return refuse(411, "INVALID_ARGUMENT", "chunked transfer encoding is refused: send the file with a Content-Length");
    if (contentLength === null) return refuse(411, "INVALID_ARGUMENT", "Content-Length is required");
    const length = Number(contentLength);
    if (!Number.isSafeInteger(length) || length !== slot.size) {
      return refuse(400, "INVALID_ARGUMENT", `Content-Length ${contentLength} does not match the size declared in getUploadEndpoint (${slot.size}) for "${slot.filename}"`);
    }
    const range = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(rangeHeader ?? "");
    if (!range) return refuse(400, "INVALID_ARGUMENT", 'x-goog-content-length-range is required, e.g. "<size>,<size>" (the URL is signed with it)');
    if (length < Number(range[1]) || length > Number(range[2])) {
      return refuse(400, "INVALID_ARGUMENT", `Content-Length ${length} is outside x-goog-content-length-range ${rangeHeader ?? ""}`);
    }
    const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== "application/octet-stream") return refuse(400, "INVALID_ARGUMENT", `Content-Type must be application/octet-stream (got ${JSON.stringify(req.headers["content-type"] ?? "")})`);

    const received = await consume(req);
    if (received.bytes !== slot.size) return refuse(400, "INVALID_ARGUMENT", `received ${received.bytes} bytes, declared ${slot.size}`);
    slot.received = received;
    record(200);
    send(res, 200, {}, false);
  }

  private record(attempt: Omit<UploadAttempt, "time">): void {
    this.attempts.push({ ...attempt, time: new Date(this.ctx.now()).toISOString() });
    if (this.attempts.length > MAX_ATTEMPTS) this.attempts = this.attempts.slice(-MAX_ATTEMPTS);
  }

  private origin(): string {
    const address = this.server?.address();
    if (!address || typeof address === "string") throw new ApiError("INTERNAL", "emulator error: the upload sink is not bound to a listening server");
    const { address: host, family, port } = address as AddressInfo;
    return `http://${family === "IPv6" ? `[${host}]` : host}:${port}`;
  }
}

const SINKS = new WeakMap<EmulatorContext, UploadSink>();

/** The sink of one emulator (one per context), created on first use. */
export function uploadSinkFor(ctx: EmulatorContext): UploadSink {
  let sink = SINKS.get(ctx);
  if (!sink) {
    sink = new UploadSink(ctx);
    SINKS.set(ctx, sink);
  }
  return sink;
}

/**
 * Puts the sink in front of the server's request handler: `/_uploads/...` goes to the sink (which does its own
 * authorisation, the opposite of the API's), everything else to the API as before. Called once by the server.
 */
export function attachUploadSink(ctx: EmulatorContext, server: Server): void {
  const sink = uploadSinkFor(ctx);
  sink.bind(server);
  const api = server.listeners("request") as RequestListener[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (sink.serve(req, res)) return;
    for (const listener of api) listener(req, res);
  });
}

/** `filenameToSize` (map<string, int64>): required, non-empty, plain file names, sizes as int64 (string or number). */
export function parseFilenameToSize(value: Json | undefined): Map<string, number> {
  if (value === undefined || value === null) throw invalidArgument("validation error: filename_to_size: value is required");
  if (!isObject(value)) throw invalidArgument("invalid JSON body: filenameToSize: expected an object");
  const out = new Map<string, number>();
  for (const [filename, raw] of Object.entries(value)) {
    if (filename === "" || filename.includes("/") || filename === "." || filename === "..") {
      throw invalidArgument(`filenameToSize: ${JSON.stringify(filename)} is not a plain file name`);
    }
    const text = parseInt64(raw);
    const size = text === undefined ? NaN : Number(text);
    if (!Number.isSafeInteger(size) || size < 0) throw invalidArgument(`filenameToSize.${filename}: invalid size ${JSON.stringify(raw)}`);
    out.set(filename, size);
  }
  if (out.size === 0) throw invalidArgument("validation error: filename_to_size: at least one file is required");
  return out;
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

function consume(req: IncomingMessage): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    let bytes = 0;
    let newlines = 0;
    let last = -1;
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
      if (chunk.length > 0) last = chunk[chunk.length - 1] ?? -1;
    });
    req.on("end", () => resolve({ bytes, sha256: hash.digest("hex"), lines: newlines + (bytes > 0 && last !== 10 ? 1 : 0) }));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: JsonObject, close: boolean, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  // A refused upload's body is left unread: close the connection rather than drain a file nobody wants.
  res.writeHead(status, { ...headers, ...(close && { connection: "close" }), "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
