/**
 * Durations as users write them ("30s", "10m", "1h30m") and as the API speaks them: protobuf Duration JSON is a
 * decimal number of seconds with an "s" suffix ("600s"). Diffs compare seconds, so "10m" and "600s" are equal.
 */
const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
const DURATION_RE = /^(?:(\d+(?:\.\d+)?)(h|ms|m|s))+$/;
const PART_RE = /(\d+(?:\.\d+)?)(h|ms|m|s)/g;

/** Parses "1h30m", "10m", "30s", "1.5s", "600s" or "0". Returns seconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "0") return 0;
  if (!DURATION_RE.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(PART_RE)) {
    const [, amount, unit] = match;
    if (amount === undefined || unit === undefined) return undefined;
    const factor = UNIT_SECONDS[unit];
    if (factor === undefined) return undefined;
    total += Number(amount) * factor;
  }
  return Math.round(total * 1000) / 1000;
}

/** The protobuf Duration JSON form the API accepts and returns, e.g. 600 -> "600s". */
export function formatApiDuration(seconds: number): string {
  return `${seconds}s`;
}

/** A human form for messages: 600 -> "10m", 90 -> "1m30s". */
export function formatHumanDuration(seconds: number): string {
  if (seconds === 0) return "0s";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 1000) / 1000;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
}
