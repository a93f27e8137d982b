import { describe, expect, it } from "vitest";
import { FireworksError, WaitError } from "../../provider/src/errors";
import { waitFor, type WaitSpec } from "../../provider/src/poller";

interface Dep {
  state: string;
  replicas?: number;
  message?: string;
}

const WHAT = 'Deployment "accounts/acme/deployments/web" to become READY';

/** A virtual clock: sleep advances time instantly and records what was asked. */
function clock(start = 1_000_000) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
    elapsed: () => t - start,
  };
}

/** Serves the given responses in order; the last one repeats. `undefined` is a 404. */
function sequence(...values: (Dep | undefined)[]): { fetch: () => Promise<Dep | undefined>; calls: () => number } {
  let i = 0;
  return {
    fetch: async () => {
      const v = values[Math.min(i, values.length - 1)];
      i++;
      return v;
    },
    calls: () => i,
  };
}

function spec(c: ReturnType<typeof clock>, fetch: (deadline: number) => Promise<Dep | undefined>, extra: Partial<WaitSpec<Dep>> = {}): WaitSpec<Dep> {
  return {
    what: WHAT,
    fetch,
    state: (d) => d.state,
    pending: ["CREATING", "UPDATING"],
    target: ["READY"],
    failed: ["FAILED"],
    failure: (d) => d.message ?? "",
    notFound: "grace",
    timeoutMs: 600_000,
    initialDelayMs: 1000,
    maxDelayMs: 15_000,
    now: c.now,
    sleep: c.sleep,
    ...extra,
  };
}

async function waitError(promise: Promise<unknown>): Promise<WaitError<Dep>> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(WaitError);
    return err as WaitError<Dep>;
  }
  throw new Error("expected a WaitError, but the wait succeeded");
}

describe("waitFor", () => {
  it("returns the resource once it reaches a target state", async () => {
    const c = clock();
    const s = sequence({ state: "CREATING" }, { state: "CREATING" }, { state: "READY", replicas: 1 });
    await expect(waitFor(spec(c, s.fetch))).resolves.toEqual({ state: "READY", replicas: 1 });
    expect(s.calls()).toBe(3);
    expect(c.sleeps).toEqual([1000, 1500]);
  });

  it("returns immediately without sleeping when the first poll is already the target", async () => {
    const c = clock();
    const s = sequence({ state: "READY" });
    await expect(waitFor(spec(c, s.fetch))).resolves.toEqual({ state: "READY" });
    expect(c.sleeps).toEqual([]);
  });

  it("keeps polling a target state while settled() is false", async () => {
    const c = clock();
    const s = sequence({ state: "READY", replicas: 0 }, { state: "READY", replicas: 1 }, { state: "READY", replicas: 2 });
    const result = await waitFor(spec(c, s.fetch, { settled: (d) => (d.replicas ?? 0) >= 2 }));
    expect(result).toEqual({ state: "READY", replicas: 2 });
    expect(s.calls()).toBe(3);
  });

  it("reports onPoll with the value and the attempt number", async () => {
    const c = clock();
    const seen: [Dep | undefined, number][] = [];
    const s = sequence(undefined, { state: "CREATING" }, { state: "READY" });
    await waitFor(spec(c, s.fetch, { onPoll: (v, n) => seen.push([v, n]) }));
    expect(seen).toEqual([
      [undefined, 1],
      [{ state: "CREATING" }, 2],
      [{ state: "READY" }, 3],
    ]);
  });

  it("throws reason 'failed' with the failure text when a failed state is reached", async () => {
    const c = clock();
    const s = sequence({ state: "CREATING" }, { state: "FAILED", message: "RESOURCE_EXHAUSTED: no H100 capacity" });
    const err = await waitError(waitFor(spec(c, s.fetch)));
    expect(err.reason).toBe("failed");
    expect(err.message).toBe(`${WHAT} failed: state FAILED: RESOURCE_EXHAUSTED: no H100 capacity`);
    expect(err.last).toEqual({ state: "FAILED", message: "RESOURCE_EXHAUSTED: no H100 capacity" });
  });

  it("omits the failure suffix when there is no failure text", async () => {
    const c = clock();
    const err = await waitError(waitFor(spec(c, sequence({ state: "FAILED" }).fetch)));
    expect(err.message).toBe(`${WHAT} failed: state FAILED`);
  });

  it("throws reason 'unexpected' naming a state outside pending, target and failed", async () => {
    const c = clock();
    const s = sequence({ state: "CREATING" }, { state: "DELETING" });
    const err = await waitError(waitFor(spec(c, s.fetch)));
    expect(err.reason).toBe("unexpected");
    expect(err.message).toBe(`while waiting for ${WHAT}, it entered unexpected state DELETING (expected one of CREATING, UPDATING, READY)`);
    expect(err.last).toEqual({ state: "DELETING" });
    expect(s.calls()).toBe(2);
  });

  it("calls an empty state (none)", async () => {
    const c = clock();
    const err = await waitError(waitFor(spec(c, sequence({ state: "" }).fetch)));
    expect(err.reason).toBe("unexpected");
    expect(err.message).toContain("it entered unexpected state (none)");
  });

  it("times out with reason 'timeout', the last value, and a message naming the last state", async () => {
    const c = clock();
    const s = sequence({ state: "CREATING", replicas: 0 }, { state: "UPDATING", replicas: 1 });
    const err = await waitError(waitFor(spec(c, s.fetch, { timeoutMs: 5000 })));
    expect(err.reason).toBe("timeout");
    expect(err.last).toEqual({ state: "UPDATING", replicas: 1 });
    expect(err.message).toBe(`timed out after 5s waiting for ${WHAT} (last state UPDATING)`);
    expect(c.elapsed()).toBe(5000);
  });

  it("says 'never seen' when a timeout happens while the resource was only ever 404", async () => {
    const c = clock();
    const err = await waitError(waitFor(spec(c, sequence(undefined).fetch, { timeoutMs: 2000, notFoundGraceMs: 60_000 })));
    expect(err.reason).toBe("timeout");
    expect(err.last).toBeUndefined();
    expect(err.message).toBe(`timed out after 2s waiting for ${WHAT} (never seen)`);
  });

  it("returns undefined on 404 when notFound is 'target'", async () => {
    const c = clock();
    const s = sequence({ state: "DELETING" }, undefined);
    const result = await waitFor(spec(c, s.fetch, { notFound: "target", pending: ["DELETING"], target: ["DELETED"] }));
    expect(result).toBeUndefined();
    expect(s.calls()).toBe(2);
    expect(c.sleeps).toEqual([1000]);
  });

  it("tolerates a 404 within the grace period and returns once the resource appears", async () => {
    const c = clock();
    const s = sequence(undefined, undefined, { state: "CREATING" }, { state: "READY" });
    await expect(waitFor(spec(c, s.fetch, { notFoundGraceMs: 5000 }))).resolves.toEqual({ state: "READY" });
    expect(s.calls()).toBe(4);
  });

  it("gives up with reason 'gone' once 404 outlasts the grace period", async () => {
    const c = clock();
    const s = sequence(undefined);
    const err = await waitError(waitFor(spec(c, s.fetch, { notFoundGraceMs: 3000 })));
    expect(err.reason).toBe("gone");
    expect(err.message).toBe(`gave up waiting for ${WHAT}: it was not found (404) for 3s`);
    // Polls at t = 0, 1000, 2500 are within the grace; the poll at 4750 is past it.
    expect(c.sleeps).toEqual([1000, 1500, 2250]);
    expect(s.calls()).toBe(4);
  });

  it("reports the resource as last seen when it disappears after the grace period", async () => {
    const c = clock();
    const s = sequence({ state: "CREATING" }, { state: "CREATING" }, undefined);
    const err = await waitError(waitFor(spec(c, s.fetch, { notFoundGraceMs: 500 })));
    expect(err.reason).toBe("gone");
    expect(err.last).toEqual({ state: "CREATING" });
  });

  it("grows delays by 1.5x (rounded up) and caps them at maxDelayMs", async () => {
    const c = clock();
    const s = sequence({ state: "CREATING" }, { state: "CREATING" }, { state: "CREATING" }, { state: "CREATING" }, { state: "CREATING" },
      { state: "CREATING" }, { state: "CREATING" }, { state: "READY" });
    await waitFor(spec(c, s.fetch, { initialDelayMs: 100, maxDelayMs: 500 }));
    expect(c.sleeps).toEqual([100, 150, 225, 338, 500, 500, 500]);
  });

  it("never sleeps past the deadline and stops exactly at it", async () => {
    const c = clock();
    const err = await waitError(waitFor(spec(c, sequence({ state: "CREATING" }).fetch, { timeoutMs: 5000, initialDelayMs: 1000, maxDelayMs: 3000 })));
    expect(err.reason).toBe("timeout");
    expect(c.sleeps).toEqual([1000, 1500, 2250, 250]);
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBe(5000);
  });

  it("uses 1 s initial delay and a 15 s cap by default", async () => {
    const c = clock();
    const s = spec(c, sequence({ state: "CREATING" }).fetch, { timeoutMs: 60_000 });
    delete s.initialDelayMs;
    delete s.maxDelayMs;
    await waitError(waitFor(s));
    expect(c.sleeps).toEqual([1000, 1500, 2250, 3375, 5063, 7595, 11393, 15000, 12824]);
    expect(c.sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
  });

  it("accounts for time spent inside fetch when computing the remaining time", async () => {
    const c = clock();
    const fetch = async (): Promise<Dep> => {
      c.advance(700); // a slow GET
      return { state: "CREATING" };
    };
    const err = await waitError(waitFor(spec(c, fetch, { timeoutMs: 3000 })));
    expect(err.reason).toBe("timeout");
    // Polls end at t=700 (sleep 1000) and t=2400 (only 600 ms remain), then t=3700 is past the deadline.
    expect(c.sleeps).toEqual([1000, 600]);
  });

  it("hands each fetch the wait's absolute deadline, so one request cannot retry past it", async () => {
    const c = clock();
    const deadlines: number[] = [];
    const fetch = async (deadline: number): Promise<Dep> => {
      deadlines.push(deadline);
      return { state: deadlines.length < 3 ? "CREATING" : "READY" };
    };
    await waitFor(spec(c, fetch, { timeoutMs: 60_000 }));
    expect(deadlines).toEqual([1_060_000, 1_060_000, 1_060_000]);
  });

  it("turns a fetch that failed because the deadline came into a timeout naming the last state and the fix", async () => {
    const c = clock();
    let calls = 0;
    const fetch = async (deadline: number): Promise<Dep> => {
      calls += 1;
      if (calls === 1) return { state: "CREATING" };
      c.advance(deadline - c.now()); // the client retried until the deadline, then gave up
      throw new Error("GET failed: deadline reached");
    };
    const err = await waitError(waitFor(spec(c, fetch, { timeoutMs: 5000, timeoutHint: 'raise timeouts.create (e.g. "1h")' })));
    expect(err.reason).toBe("timeout");
    expect(err.message).toBe(`timed out after 5s waiting for ${WHAT} (last state CREATING); raise timeouts.create (e.g. "1h")`);
    expect(err.last).toEqual({ state: "CREATING" });
  });

  it("still reports a fetch failure before the deadline as it is", async () => {
    const c = clock();
    const fetch = async (): Promise<Dep> => {
      throw new Error("HTTP 403 PERMISSION_DENIED");
    };
    await expect(waitFor(spec(c, fetch))).rejects.toThrow("HTTP 403 PERMISSION_DENIED");
  });

  it("treats a fetch the client stopped because its next retry would cross the deadline as a timeout", async () => {
    const c = clock();
    let calls = 0;
    const fetch = async (): Promise<Dep> => {
      calls += 1;
      if (calls === 1) return { state: "UPDATING" };
      const err = new FireworksError("GET failed: HTTP 503 (deadline reached: the next attempt was due after the deadline)");
      err.deadlineReached = true;
      throw err;
    };
    const err = await waitError(waitFor(spec(c, fetch, { timeoutMs: 60_000 })));
    expect(err.reason).toBe("timeout");
    expect(err.message).toContain("(last state UPDATING)");
  });
});
