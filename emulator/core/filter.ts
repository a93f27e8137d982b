import { invalidArgument } from "./errors";
import { getString, ownValue, type JsonObject } from "./json";

// List `filter` and `orderBy` (reference §1.5). The real filterable fields are UNKNOWN; the emulator accepts only
// the AIP-160 subset `field = value [AND field = value ...]` over fields a collection declares, and rejects
// everything else with 400 (see README).

export interface FilterField {
  /** camelCase key of the stored resource. */
  key: string;
  /** When set, the value must be one of these (enum fields). */
  values?: readonly string[];
}

export type Predicate = (resource: JsonObject) => boolean;

const TERM = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*("(?:[^"\\]|\\.)*"|[A-Za-z0-9_.\-/:]+)\s*$/;

export function parseFilter(text: string | undefined, fields: Record<string, FilterField>): Predicate {
  if (text === undefined || text.trim() === "") return () => true;
  const terms = text.split(/\s+AND\s+/);
  const checks = terms.map((term) => {
    const m = TERM.exec(term);
    if (!m) throw invalidArgument(`unsupported filter "${text}": only field = value terms joined by AND are supported`);
    const name = m[1] ?? "";
    const raw = m[2] ?? "";
    const field = ownValue(fields, name);
    if (!field) {
      throw invalidArgument(`unsupported filter field "${name}"; filterable fields: ${Object.keys(fields).join(", ")}`);
    }
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (field.values && !field.values.includes(value)) {
      throw invalidArgument(`invalid filter value ${JSON.stringify(value)} for "${name}"`);
    }
    const zero = field.values?.[0] ?? "";
    return (r: JsonObject) => (getString(r, field.key) || zero) === value;
  });
  return (r) => checks.every((check) => check(r));
}

export interface OrderField {
  key: string;
  /** Timestamps compare by instant: their text has a variable-length fraction. */
  timestamp?: boolean;
}

export interface OrderKey extends OrderField {
  desc: boolean;
}

/** `orderBy`: comma-separated fields, each optionally followed by " desc" (AIP-132). */
export function parseOrderBy(text: string | undefined, fields: Record<string, OrderField>, fallback: string): OrderKey[] {
  const source = text === undefined || text.trim() === "" ? fallback : text;
  return source.split(",").map((part) => {
    const words = part.trim().split(/\s+/);
    const name = words[0] ?? "";
    const direction = words[1]?.toLowerCase();
    const field = ownValue(fields, name);
    if (!field || words.length > 2 || (direction !== undefined && direction !== "asc" && direction !== "desc")) {
      throw invalidArgument(`unsupported orderBy "${source}"; orderable fields: ${Object.keys(fields).join(", ")}`);
    }
    return { ...field, desc: direction === "desc" };
  });
}

export function compareBy(keys: readonly OrderKey[]): (a: JsonObject, b: JsonObject) => number {
  return (a, b) => {
    for (const { key, desc, timestamp } of keys) {
      const x: string | number = timestamp ? Date.parse(getString(a, key)) || 0 : getString(a, key);
      const y: string | number = timestamp ? Date.parse(getString(b, key)) || 0 : getString(b, key);
      if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
    }
    return 0;
  };
}
