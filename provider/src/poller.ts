/**
 * The one poller. A wait has pending, target and failed state sets, an absolute deadline and a capped backoff; a
 * state in none of the sets is an error (a state machine we do not understand should stop the update, not spin),
 * and a 404 is tolerated only for a short grace period right after create (the API may not list a resource the
 * instant it is accepted).
 */
import { formatHumanDuration } from "./durations";
import { FireworksError, WaitError } from "./errors";

export interface WaitSpec<T> {
  /** For messages: 'Deployment "accounts/a/deployments/web" to become READY'. */
  what: string;
  /** Appended to a timeout message: how to give the wait more time, e.g. 'raise timeouts.create (e.g. "1h")'. */
  timeoutHint?: string;
  /**
   * Fetches the resource; undefined means 404. `deadline` (epoch ms) is when the whole wait ends: one fetch must not
   * retry past it, or a wait overshoots its timeout by however long the client keeps retrying.
   */
  fetch: (deadline: number) => Promise<T | undefined>;
  state: (value: T) => string;
  pending: readonly string[];
  target: readonly string[];
  failed?: readonly string[];
  /** Extra condition on a target state, e.g. "declared replicas are serving". Not met yet = keep waiting. */
  settled?: (value: T) => boolean;
  /** Text explaining a failed state, e.g. the resource's status message. */
  failure?: (value: T) => string;
  /** What a 404 means: the goal (deletion), or tolerated for `notFoundGraceMs` and then an error. */
  notFound: "target" | "grace";
  notFoundGraceMs?: number;
  timeoutMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  onPoll?: (value: T | undefined, attempt: number) => void;
}

export async function waitFor<T>(spec: WaitSpec<T>): Promise<T | undefined> {
  const now = spec.now ?? Date.now;
  const sleep = spec.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const start = now();
  const deadline = start + spec.timeoutMs;
  const grace = spec.notFoundGraceMs ?? 30_000;
  let delay = spec.initialDelayMs ?? 1_000;
  const maxDelay = spec.maxDelayMs ?? 15_000;
  let last: T | undefined;
  const timedOut = (): WaitError<T> => {
    const seen = last === undefined ? "never seen" : `last state ${spec.state(last) || "(none)"}`;
    const hint = spec.timeoutHint ? `; ${spec.timeoutHint}` : "";
    return new WaitError(`timed out after ${formatHumanDuration(spec.timeoutMs / 1000)} waiting for ${spec.what} (${seen})${hint}`, "timeout", last);
  };
  for (let attempt = 1; ; attempt++) {
    let value: T | undefined;
    try {
      value = await spec.fetch(deadline);
    } catch (err) {
      // A fetch that failed because the deadline came (or would have come before its next retry) is the wait
      // timing out, not an API failure.
      if (now() >= deadline || (err instanceof FireworksError && err.deadlineReached)) throw timedOut();
      throw err;
    }
    spec.onPoll?.(value, attempt);
    if (value === undefined) {
      if (spec.notFound === "target") return undefined;
      if (now() - start > grace) {
        throw new WaitError(`gave up waiting for ${spec.what}: it was not found (404) for ${formatHumanDuration(grace / 1000)}`, "gone", last);
      }
    } else {
      last = value;
      const state = spec.state(value);
      if (spec.target.includes(state)) {
        if (!spec.settled || spec.settled(value)) return value;
      } else if (spec.failed?.includes(state)) {
        const why = spec.failure?.(value);
        throw new WaitError(`${spec.what} failed: state ${state}${why ? `: ${why}` : ""}`, "failed", value);
      } else if (!spec.pending.includes(state)) {
        throw new WaitError(
          `while waiting for ${spec.what}, it entered unexpected state ${state || "(none)"} (expected one of ${[...spec.pending, ...spec.target].join(", ")})`,
          "unexpected",
          value,
        );
      }
    }
    const remaining = deadline - now();
    if (remaining <= 0) throw timedOut();
    await sleep(Math.min(delay, remaining));
    delay = Math.min(maxDelay, Math.ceil(delay * 1.5));
  }
}
