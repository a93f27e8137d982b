import { createHash } from "node:crypto";
import { invalidArgument } from "./errors";

// List paging as the API documents it for every collection (reference §1.5): pageSize default 50, values above
// 200 coerced to 200; pageToken opaque and only valid with the same other parameters.
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface PageRequest {
  size: number;
  offset: number;
  fingerprint: string;
}

/**
 * `params` are every other list parameter, pageSize included: the docs say "all other parameters provided to ListX
 * must match the call that provided the page token" (stricter than AIP-158, which lets pageSize change; see README).
 */
export function readPageRequest(pageSize: number | undefined, pageToken: string | undefined, params: Record<string, string>): PageRequest {
  if (pageSize !== undefined && pageSize < 0) throw invalidArgument("page_size must not be negative");
  const size = pageSize === undefined || pageSize === 0 ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
  const fingerprint = createHash("sha256")
    .update(JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
    .digest("hex")
    .slice(0, 16);
  if (pageToken === undefined || pageToken === "") return { size, offset: 0, fingerprint };
  const token = decodeToken(pageToken);
  if (!token) throw invalidArgument("invalid page token");
  if (token.f !== fingerprint) {
    throw invalidArgument("invalid page token: all parameters other than pageToken must match the call that returned it");
  }
  return { size, offset: token.o, fingerprint };
}

export function page<T>(items: readonly T[], req: PageRequest): { items: T[]; nextPageToken: string } {
  const slice = items.slice(req.offset, req.offset + req.size);
  const next = req.offset + req.size;
  return { items: slice, nextPageToken: next < items.length ? encodeToken(next, req.fingerprint) : "" };
}

function encodeToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString("base64url");
}

function decodeToken(token: string): { o: number; f: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const o: unknown = Reflect.get(parsed, "o");
    const f: unknown = Reflect.get(parsed, "f");
    if (typeof o !== "number" || !Number.isInteger(o) || o < 0 || typeof f !== "string") return undefined;
    return { o, f };
  } catch {
    return undefined;
  }
}
