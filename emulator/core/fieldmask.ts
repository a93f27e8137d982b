import { invalidArgument } from "./errors";
import { clone, isObject, type JsonObject } from "./json";
import { fieldAt, fieldOf, type MessageSchema } from "./schema";

/**
 * The update mask grpc-gateway derives from a PATCH body when no `updateMask` is given (its
 * FieldMaskFromRequestBody, reference §1.6): every key present is a path; a non-empty object for a message field
 * is walked into; maps, lists, scalars, `null` and `{}` are leaves. So `{"autoscalingPolicy":{"scaleUpWindow":"60s"}}`
 * changes only that window, while `{"autoscalingPolicy":{}}` resets the whole policy.
 */
export function maskFromBody(schema: MessageSchema, body: JsonObject, prefix = ""): string[] {
  const paths: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const spec = fieldOf(schema, key);
    const path = prefix === "" ? key : `${prefix}.${key}`;
    if (spec && spec.type.kind === "message" && isObject(value) && Object.keys(value).length > 0) {
      paths.push(...maskFromBody(spec.type.schema, value, path));
    } else {
      paths.push(path);
    }
  }
  return paths;
}

/**
 * Parses a FieldMask query parameter: comma-separated camelCase paths (the JSON form of google.protobuf.FieldMask).
 * Unknown paths are rejected.
 */
export function parseMaskParam(schema: MessageSchema, text: string, param: string): string[] {
  const paths = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  for (const path of paths) {
    if (!fieldAt(schema, path)) throw invalidArgument(`${param}: unknown field path "${path}" in ${schema.name}`);
  }
  return paths;
}

/** Copies each masked path from `source` into `target` (clearing it when `source` does not set it). */
export function applyMask(target: JsonObject, source: JsonObject, paths: readonly string[]): void {
  for (const path of paths) {
    const parts = path.split(".");
    const leaf = parts.pop() ?? path;
    let src: JsonObject | undefined = source;
    let dst: JsonObject = target;
    for (const part of parts) {
      src = src && isObject(src[part]) ? (src[part] as JsonObject) : undefined;
      const next = dst[part];
      if (isObject(next)) {
        dst = next;
      } else {
        const created: JsonObject = {};
        dst[part] = created;
        dst = created;
      }
    }
    const value = src?.[leaf];
    if (value === undefined || value === null) delete dst[leaf];
    else dst[leaf] = clone(value);
  }
}

/** Validates a read mask up front, so a bad one is a 400 even when there is nothing to project (an empty list). */
export function checkReadMask(schema: MessageSchema, maskText: string | undefined): void {
  if (maskText === undefined || maskText.trim() === "" || maskText.trim() === "*") return;
  parseMaskParam(schema, maskText, "readMask");
}

/** A read mask: keeps only the listed paths of an encoded resource ("*" or empty = everything). */
export function projectMask(schema: MessageSchema, encoded: JsonObject, maskText: string | undefined): JsonObject {
  if (maskText === undefined || maskText.trim() === "" || maskText.trim() === "*") return encoded;
  const paths = parseMaskParam(schema, maskText, "readMask");
  const out: JsonObject = {};
  applyMask(out, encoded, paths);
  return out;
}
