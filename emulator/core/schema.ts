import { invalidArgument } from "./errors";
import { formatDuration, parseDuration, parseInt32, parseInt64, parseTimestamp } from "./encoding";
import { STATUS_CODES } from "./enums";
import { isObject, ownValue, type Json, type JsonObject } from "./json";

// A small description of a proto message, enough to read and write its proto3 JSON form the way grpc-gateway
// does (reference §1.3). Every resource module describes its messages with these; nothing here is
// resource-specific.

export type FieldType =
  | { kind: "string" }
  | { kind: "bool" }
  | { kind: "int32" }
  | { kind: "int64" }
  | { kind: "float" }
  | { kind: "enum"; values: readonly string[] } // values[0] is the zero value (X_UNSPECIFIED)
  | { kind: "timestamp" }
  | { kind: "duration" }
  | { kind: "message"; schema: MessageSchema }
  | { kind: "map"; value: FieldType } // proto maps have string keys here
  | { kind: "repeated"; item: FieldType };

export interface FieldSpec {
  type: FieldType;
  /** OUTPUT_ONLY: accepted in a request body (type-checked) and then ignored, as grpc-gateway services do. */
  output?: boolean;
  /** The Fireworks `show_if_zero` option: emitted even when zero (reference §1.3). */
  showIfZero?: boolean;
  /** The emulator does not accept this field even though it is documented (shape unknown). */
  rejectReason?: string;
  /** INPUT_ONLY: accepted and stored, never returned (a secret's value, an OIDC client secret). */
  inputOnly?: boolean;
}

export interface MessageSchema {
  /** Proto message name, used in error messages (e.g. "gateway.Deployment"). */
  name: string;
  fields: Record<string, FieldSpec>;
}

/** The declared field of that name; never a member inherited from Object.prototype ("constructor", "toString"). */
export function fieldOf(schema: MessageSchema, key: string): FieldSpec | undefined {
  return ownValue(schema.fields, key);
}

export const t = {
  string: { kind: "string" } as FieldType,
  bool: { kind: "bool" } as FieldType,
  int32: { kind: "int32" } as FieldType,
  int64: { kind: "int64" } as FieldType,
  float: { kind: "float" } as FieldType,
  timestamp: { kind: "timestamp" } as FieldType,
  duration: { kind: "duration" } as FieldType,
  enumOf: (values: readonly string[]): FieldType => ({ kind: "enum", values }),
  message: (schema: MessageSchema): FieldType => ({ kind: "message", schema }),
  map: (value: FieldType): FieldType => ({ kind: "map", value }),
  repeated: (item: FieldType): FieldType => ({ kind: "repeated", item }),
};

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function bad(path: string, detail: string): never {
  throw invalidArgument(`invalid JSON body: ${path}: ${detail}`);
}

function decodeValue(type: FieldType, value: Json, path: string): Json {
  switch (type.kind) {
    case "string":
      return typeof value === "string" ? value : bad(path, "expected a string");
    case "bool":
      // protojson takes only JSON true/false for bool, not "true".
      return typeof value === "boolean" ? value : bad(path, "expected true or false");
    case "int32": {
      const n = parseInt32(value);
      return n === undefined ? bad(path, `invalid value for int32: ${JSON.stringify(value)}`) : n;
    }
    case "int64": {
      const n = parseInt64(value);
      return n === undefined ? bad(path, `invalid value for int64: ${JSON.stringify(value)}`) : n;
    }
    case "float":
      // Stricter than protojson (which also takes numeric strings and "NaN"): only finite JSON numbers.
      return typeof value === "number" && Number.isFinite(value) ? value : bad(path, "expected a number");
    case "enum":
      // Stricter than protojson (which also takes enum numbers): only the names (reference §1.3: enums as names).
      if (typeof value === "string" && type.values.includes(value)) return value;
      return bad(path, `invalid value ${JSON.stringify(value)}; expected one of ${type.values.join(", ")}`);
    case "timestamp": {
      const ts = typeof value === "string" ? parseTimestamp(value) : undefined;
      return ts ?? bad(path, `invalid google.protobuf.Timestamp value ${JSON.stringify(value)}`);
    }
    case "duration": {
      const nanos = typeof value === "string" ? parseDuration(value) : undefined;
      if (nanos === undefined) {
        return bad(path, `invalid google.protobuf.Duration value ${JSON.stringify(value)} (expected e.g. "600s")`);
      }
      return formatDuration(nanos);
    }
    case "message":
      return isObject(value) ? decodeMessage(type.schema, value, path) : bad(path, "expected an object");
    case "map": {
      if (!isObject(value)) return bad(path, "expected an object");
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        // Assigning "__proto__" would replace the map's prototype instead of adding an entry.
        if (k === "__proto__") bad(join(path, k), 'unknown field: "__proto__" cannot be a map key');
        if (v === null) bad(join(path, k), "map values cannot be null");
        out[k] = decodeValue(type.value, v, join(path, k));
      }
      return out;
    }
    case "repeated": {
      if (!Array.isArray(value)) return bad(path, "expected an array");
      return value.map((item, i) => {
        if (item === null) bad(`${path}[${i}]`, "list items cannot be null");
        return decodeValue(type.item, item, `${path}[${i}]`);
      });
    }
  }
}

/**
 * Reads a request body (or part of one) into the normalized proto3 JSON form: types checked, durations and
 * timestamps canonical, int64 as strings, `null` treated as "not set" (protojson semantics).
 * Unknown fields are rejected (stricter than grpc-gateway's default marshaller; see README). Output-only fields
 * are type-checked here and stripped by `stripOutputOnly`.
 */
export function decodeMessage(schema: MessageSchema, body: JsonObject, path = ""): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) {
    const spec = fieldOf(schema, key);
    if (!spec) throw invalidArgument(`invalid JSON body: unknown field "${join(path, key)}" in ${schema.name}`);
    if (value === null) continue;
    if (spec.rejectReason) throw invalidArgument(`${join(path, key)}: ${spec.rejectReason}`);
    out[key] = decodeValue(spec.type, value, join(path, key));
  }
  return out;
}

/** Drops OUTPUT_ONLY fields (recursively) from a decoded body: servers ignore them on create and update. */
export function stripOutputOnly(schema: MessageSchema, decoded: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(decoded)) {
    const spec = fieldOf(schema, key);
    if (!spec || spec.output) continue;
    out[key] = spec.type.kind === "message" && isObject(value) ? stripOutputOnly(spec.type.schema, value) : value;
  }
  return out;
}

function zeroOf(type: FieldType): Json | undefined {
  switch (type.kind) {
    case "string":
      return "";
    case "bool":
      return false;
    case "int32":
    case "float":
      return 0;
    case "int64":
      return "0";
    case "enum":
      return type.values[0];
    default:
      return undefined;
  }
}

function isZero(type: FieldType, value: Json): boolean {
  if (type.kind === "repeated") return Array.isArray(value) && value.length === 0;
  if (type.kind === "map") return isObject(value) && Object.keys(value).length === 0;
  // Messages, Timestamps and Durations have presence: a set one is emitted even when empty or "0s".
  return value === zeroOf(type);
}

export interface EncodeOptions {
  /** Keep INPUT_ONLY fields (for comparisons and control routes, never for API responses). */
  inputOnly?: boolean;
}

function encodeValue(type: FieldType, value: Json, opts: EncodeOptions): Json {
  if (type.kind === "message" && isObject(value)) return encodeMessage(type.schema, value, opts);
  if (type.kind === "repeated" && Array.isArray(value)) return value.map((v) => encodeValue(type.item, v, opts));
  if (type.kind === "map" && isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = encodeValue(type.value, v, opts);
    return out;
  }
  return value;
}

/**
 * Writes a stored message the way the API returns it: zero values omitted (protojson EmitUnpopulated=false),
 * except fields marked show_if_zero (reference §1.3).
 */
export function encodeMessage(schema: MessageSchema, value: JsonObject, opts: EncodeOptions = {}): JsonObject {
  const out: JsonObject = {};
  for (const [key, spec] of Object.entries(schema.fields)) {
    if (spec.inputOnly && !opts.inputOnly) continue;
    const v = value[key];
    if (v === undefined || v === null || isZero(spec.type, v)) {
      const zero = zeroOf(spec.type);
      if (spec.showIfZero && zero !== undefined) out[key] = zero;
      continue;
    }
    out[key] = encodeValue(spec.type, v, opts);
  }
  return out;
}

/** Looks a dotted camelCase path up in a schema (used for field masks). */
export function fieldAt(schema: MessageSchema, path: string): FieldSpec | undefined {
  const parts = path.split(".");
  let current: MessageSchema | undefined = schema;
  let spec: FieldSpec | undefined;
  for (const part of parts) {
    if (!current) return undefined;
    spec = fieldOf(current, part);
    if (!spec) return undefined;
    current = spec.type.kind === "message" ? spec.type.schema : undefined;
  }
  return spec;
}

/** §3.1 gateway.Status, embedded (output-only) in many resources; `code` is an enum name here. */
export const STATUS_SCHEMA: MessageSchema = {
  name: "gateway.Status",
  fields: { code: { type: t.enumOf(STATUS_CODES) }, message: { type: t.string } },
};
