import { invalidArgument } from "./errors";
import { parseInt32, parseQueryBool } from "./encoding";
import { isObject, type Json, type JsonObject } from "./json";

/**
 * Query parameters of one API call. Each route lists the parameters it documents; any other parameter, or a
 * repeated one, is a 400 (stricter than grpc-gateway, which ignores unknown ones; see README). Names are camelCase
 * only.
 */
export class Query {
  constructor(
    private readonly search: URLSearchParams,
    allowed: readonly string[],
  ) {
    const seen = new Set<string>();
    for (const name of search.keys()) {
      if (!allowed.includes(name)) {
        throw invalidArgument(
          `unknown query parameter "${name}"${allowed.length > 0 ? `; allowed: ${allowed.join(", ")}` : ""}`,
        );
      }
      if (seen.has(name)) throw invalidArgument(`query parameter "${name}" given more than once`);
      seen.add(name);
    }
  }

  string(name: string): string | undefined {
    return this.search.get(name) ?? undefined;
  }

  bool(name: string): boolean {
    const raw = this.search.get(name);
    if (raw === null) return false;
    const value = parseQueryBool(raw);
    if (value === undefined) throw invalidArgument(`query parameter "${name}": invalid boolean ${JSON.stringify(raw)}`);
    return value;
  }

  int32(name: string): number | undefined {
    const raw = this.search.get(name);
    if (raw === null || raw === "") return undefined;
    const value = parseInt32(raw);
    if (value === undefined) throw invalidArgument(`query parameter "${name}": invalid integer ${JSON.stringify(raw)}`);
    return value;
  }

  /** Every parameter except the named ones, for page-token fingerprints. */
  others(...except: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.search) if (!except.includes(k)) out[k] = v;
    return out;
  }
}

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Query;
  /** The body as a JSON object; an empty body reads as `{}` (grpc-gateway treats EOF as an empty message). */
  json(): JsonObject;
}

export interface ApiReply {
  status?: number;
  body: Json;
  headers?: Record<string, string>;
}

export function parseJsonObject(text: string): JsonObject {
  if (text.trim() === "") return {};
  let parsed: Json;
  try {
    parsed = JSON.parse(text) as Json;
  } catch (err) {
    throw invalidArgument(`invalid JSON body: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isObject(parsed)) throw invalidArgument("invalid JSON body: expected a JSON object");
  rejectProtoKeys(parsed, "");
  return parsed;
}

/**
 * No Fireworks message has a field or map key "__proto__", and copying one into a plain object would replace that
 * object's prototype. Refusing it here, at every depth, keeps every later copy (including the control channel's
 * shallow merges) safe.
 */
function rejectProtoKeys(value: Json, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => rejectProtoKeys(item, `${path}[${i}]`));
    return;
  }
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const here = path === "" ? key : `${path}.${key}`;
    if (key === "__proto__") throw invalidArgument(`invalid JSON body: unknown field "${here}"`);
    rejectProtoKeys(item, here);
  }
}
