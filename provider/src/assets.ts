/**
 * Pulumi assets as a dynamic provider receives them. The dynamic-provider host passes inputs through
 * `Struct.toJavaScript()` without deserializing them (@pulumi/pulumi cmd/dynamic-provider), so a
 * `new pulumi.asset.FileAsset("train.jsonl")` arrives as a plain object:
 * `{"4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17", "path": "train.jsonl", "hash": "<sha256>"}`.
 * The engine computes `hash` (SHA-256 of the content, hex) when the program registers the resource
 * (`RegisterResource` unmarshals with `ComputeAssetHashes`, pkg/resource/deploy/source_eval.go), on every preview and
 * up, so the provider diffs by content without reading the file itself. Returning the object unchanged from check
 * keeps it an asset for the engine.
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { isPlainObject } from "./values";

/** rpc.specialSigKey and rpc.specialAssetSig of @pulumi/pulumi. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";

export interface FileAssetValue {
  path: string;
  hash?: string;
}

/** A file asset as the host passes it, or undefined (a StringAsset/RemoteAsset or anything else). */
export function fileAssetOf(value: unknown): FileAssetValue | undefined {
  if (!isPlainObject(value) || value[SIG_KEY] !== ASSET_SIG || typeof value.path !== "string" || value.path === "") return undefined;
  return typeof value.hash === "string" && value.hash !== "" ? { path: value.path, hash: value.hash } : { path: value.path };
}

/** The asset value the SDK/engine would send for a path (tests, and callers building inputs by hand). */
export function fileAsset(path: string, hash?: string): Record<string, string> {
  return { [SIG_KEY]: ASSET_SIG, path, ...(hash === undefined ? {} : { hash }) };
}

/**
 * Relative asset paths are relative to the program's directory, which is also the provider process's working
 * directory (the engine starts plugins there).
 */
export function resolveAssetPath(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}

const CHUNK = 1024 * 1024;

/**
 * SHA-256 of a file, read synchronously in 1 MiB chunks (bounded memory). Only for values that arrive without the
 * engine's hash (the provider driven directly, e.g. in tests); undefined when the file cannot be read.
 */
export function hashFileSync(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(resolveAssetPath(path), "r");
    const hash = createHash("sha256");
    const buf = Buffer.allocUnsafe(CHUNK);
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) hash.update(buf.subarray(0, n));
    return hash.digest("hex");
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The content hash of an asset input: the engine's, else computed; for comparisons in diffs. */
export function contentHashOf(value: unknown): string | undefined {
  const asset = fileAssetOf(value);
  if (!asset) return undefined;
  return asset.hash ?? hashFileSync(asset.path);
}

/** Size of a regular file, or a reason it cannot be uploaded. */
export function fileProblem(path: string): string | undefined {
  try {
    const st = statSync(resolveAssetPath(path));
    return st.isFile() ? undefined : `${path} is not a regular file`;
  } catch (err) {
    return `${path} cannot be read (${err instanceof Error ? err.message : String(err)})`;
  }
}
