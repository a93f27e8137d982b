/**
 * The signed-URL upload flow shared by kinds whose content is files (datasets now, models later), reference §5.2 and
 * §6.1: `:getUploadEndpoint` declares every file with its size and returns one signed URL per file; each file is
 * PUT there streamed from disk (`Content-Type: application/octet-stream`, `x-goog-content-length-range: <size>,<size>`,
 * a Content-Length and never an Authorization header: see HttpClient.upload); then `:validateUpload` is polled until
 * the platform accepts it, because it answers FAILED_PRECONDITION while files are still landing.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { basename } from "node:path";
import { Transform, type Readable } from "node:stream";
import { type Call, request } from "./calls";
import { ApiError, FireworksError } from "./errors";
import { resolveAssetPath } from "./assets";
import { isPlainObject, type Props } from "./values";

export interface LocalFile {
  /** The name the platform stores it under. */
  filename: string;
  /** Absolute path on disk. */
  path: string;
  size: number;
  /** Expected SHA-256 (hex): the content preview planned with; a file edited since then fails the upload. */
  sha256?: string;
}

/** A local file ready for upload, named after its base name. */
export function localFile(path: string, sha256?: string): LocalFile {
  const absolute = resolveAssetPath(path);
  return { filename: basename(absolute), path: absolute, size: statSync(absolute).size, ...(sha256 === undefined ? {} : { sha256 }) };
}

/** How many files go up at once: enough to fill a link with a few large files, few enough to stay polite. */
const PARALLEL = 4;

/** Declares the files, PUTs each one to its signed URL (a bounded number at a time), and checks their hashes. */
export async function uploadFiles(call: Call, files: readonly LocalFile[], deadline: number): Promise<void> {
  const { spec } = call;
  const endpoint = await request<Props>(call, {
    method: "POST",
    path: `/v1/${call.name}:getUploadEndpoint`,
    body: { filenameToSize: Object.fromEntries(files.map((f) => [f.filename, String(f.size)])) },
    // Declaring the same files again only replaces the URLs: safe to repeat.
    idempotent: true,
    context: { action: "get upload endpoint for", kind: spec.kind, name: call.name },
    deadline,
  });
  const urls = isPlainObject(endpoint?.filenameToSignedUrls) ? endpoint.filenameToSignedUrls : {};
  const queue = [...files];
  const worker = async (): Promise<void> => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      const url = urls[file.filename];
      if (typeof url !== "string") throw new FireworksError(`upload ${spec.kind} "${call.name}": the platform returned no upload URL for ${file.filename}`);
      await putFile(call, file, url, deadline);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, files.length) }, worker));
}

async function putFile(call: Call, file: LocalFile, url: string, deadline: number): Promise<void> {
  // The hash is taken from the bytes actually sent (the last attempt's), so an edit during `up` cannot slip by. It is
  // read after the PUT succeeded, not in the stream's flush: the storage may answer as soon as the last byte arrives,
  // before the read stream has signalled its end.
  let hash: Hash | undefined;
  const open = (): Readable => {
    const attemptHash = createHash("sha256");
    hash = attemptHash;
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        attemptHash.update(chunk);
        done(null, chunk);
      },
    });
    const source = createReadStream(file.path, { highWaterMark: 1024 * 1024 });
    source.on("error", (err) => hashing.destroy(err));
    return source.pipe(hashing);
  };
  await call.ctx.client.upload({
    url,
    open,
    size: file.size,
    headers: { "content-type": "application/octet-stream", "x-goog-content-length-range": `${file.size},${file.size}` },
    context: { action: `upload ${file.filename} of`, kind: call.spec.kind, name: call.name },
    deadline,
  });
  const digest = hash?.digest("hex");
  if (file.sha256 !== undefined && digest !== file.sha256) {
    throw new FireworksError(
      `upload ${call.spec.kind} "${call.name}": ${file.path} changed after preview (its SHA-256 is now ${digest ?? "unknown"}, preview planned ${file.sha256}); run \`pulumi up\` again so the plan matches the file`,
    );
  }
}

/**
 * Polls `:validateUpload` until the platform accepts the upload. FAILED_PRECONDITION means "files are still landing"
 * ([DOCS] uploading-custom-models-api): wait and ask again; any other error is final.
 */
export async function validateUpload(call: Call, method: "GET" | "POST", deadline: number): Promise<void> {
  const { spec, ctx } = call;
  let delay = ctx.pollInitialDelayMs ?? 1_000;
  const maxDelay = ctx.pollMaxDelayMs ?? 15_000;
  for (;;) {
    try {
      await request<Props>(call, {
        method,
        path: `/v1/${call.name}:validateUpload`,
        ...(method === "POST" ? { body: {} } : {}),
        idempotent: true,
        context: { action: "validate upload of", kind: spec.kind, name: call.name },
        deadline,
      });
      return;
    } catch (err) {
      const landing = err instanceof ApiError && err.code === "FAILED_PRECONDITION";
      if (!landing || Date.now() + delay >= deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(maxDelay, delay * 2);
  }
}
