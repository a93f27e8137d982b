// Scalar encodings of the proto3 JSON mapping that grpc-gateway uses (reference §1.3).

const NANOS_PER_SECOND = 1_000_000_000n;
// google.protobuf.Duration's documented range: ±10,000 years.
const MAX_DURATION_SECONDS = 315_576_000_000n;

/**
 * Parses a protojson Duration ("30s", "1.5s", ".5s", "-2s"). Anything else — notably Go-style "10m" — is not a
 * Duration on the wire and is rejected (reference §1.3: INFERRED that "10m" is a 400).
 * Returns nanoseconds, or undefined when the text is not a Duration.
 */
export function parseDuration(text: string): bigint | undefined {
  const m = /^(-)?(\d*)(?:\.(\d*))?s$/.exec(text);
  if (!m) return undefined;
  const whole = m[2] ?? "";
  const frac = m[3] ?? "";
  if (whole === "" && frac === "") return undefined;
  if (frac.length > 9) return undefined;
  const seconds = BigInt(whole === "" ? "0" : whole);
  if (seconds > MAX_DURATION_SECONDS) return undefined;
  const nanos = seconds * NANOS_PER_SECOND + BigInt(frac.padEnd(9, "0") || "0");
  return m[1] ? -nanos : nanos;
}

/** protojson's output form: whole seconds, then 0, 3, 6 or 9 fractional digits, then "s" ("600s", "1.500s"). */
export function formatDuration(nanos: bigint): string {
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const seconds = abs / NANOS_PER_SECOND;
  const frac = abs % NANOS_PER_SECOND;
  let fracText = "";
  if (frac !== 0n) {
    fracText = frac.toString().padStart(9, "0");
    if (fracText.endsWith("000000")) fracText = fracText.slice(0, 3);
    else if (fracText.endsWith("000")) fracText = fracText.slice(0, 6);
    fracText = "." + fracText;
  }
  return `${negative ? "-" : ""}${seconds.toString()}${fracText}s`;
}

export function secondsToNanos(seconds: number): bigint {
  return BigInt(seconds) * NANOS_PER_SECOND;
}

/** RFC 3339 as protojson accepts it: a "T" separator, optional fraction up to 9 digits, "Z" or a numeric offset. */
export function parseTimestamp(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const base = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(base).getUTCDate() !== day) return undefined;
  let offsetMinutes = 0;
  if (zone && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  return formatTimestamp(base - offsetMinutes * 60_000, frac ?? "");
}

/** protojson's output form: UTC with "Z", fraction trimmed to 0, 3, 6 or 9 digits. */
export function formatTimestamp(epochMs: number, extraFraction = ""): string {
  const whole = Math.floor(epochMs / 1000) * 1000;
  let frac = extraFraction !== "" ? extraFraction.padEnd(9, "0") : String(epochMs - whole).padStart(3, "0").padEnd(9, "0");
  if (/^0+$/.test(frac)) frac = "";
  else if (frac.endsWith("000000")) frac = frac.slice(0, 3);
  else if (frac.endsWith("000")) frac = frac.slice(0, 6);
  const iso = new Date(whole).toISOString().slice(0, 19);
  return `${iso}${frac === "" ? "" : "." + frac}Z`;
}

export function timestampToMs(text: string): number {
  return Date.parse(text);
}

/**
 * Go's strconv.ParseBool, which grpc-gateway uses for boolean query parameters.
 * Returns undefined for text that is not a boolean.
 */
export function parseQueryBool(text: string): boolean | undefined {
  if (["1", "t", "T", "true", "TRUE", "True"].includes(text)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(text)) return false;
  return undefined;
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** protojson accepts an int32 as a JSON number with no fraction or as a decimal string. */
export function parseInt32(value: unknown): number | undefined {
  let n: number;
  if (typeof value === "number") n = value;
  else if (typeof value === "string" && /^-?\d+$/.test(value)) n = Number(value);
  else return undefined;
  if (!Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) return undefined;
  return n;
}

/** int64 travels as a decimal string (reference §1.3); a JSON number is accepted on input when it is exact. */
export function parseInt64(value: unknown): string | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) ? String(value) : undefined;
  if (typeof value !== "string" || !/^-?\d+$/.test(value)) return undefined;
  const n = BigInt(value);
  if (n < -(2n ** 63n) || n > 2n ** 63n - 1n) return undefined;
  return n.toString();
}
