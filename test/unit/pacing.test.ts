import { describe, expect, it } from "vitest";
import { MIN_POLL_INTERVAL_MS, pollPacing } from "../../provider/src/runtime";

describe("FIREWORKS_POLL_INTERVAL_MS", () => {
  it("is ignored when unset, empty, zero or not a number: production pacing applies", () => {
    for (const value of [undefined, "", "0", "-5", "fast"]) {
      expect(pollPacing("https://api.fireworks.ai", value === undefined ? {} : { FIREWORKS_POLL_INTERVAL_MS: value })).toEqual({});
    }
  });

  it("speeds up polling of the emulator on this machine, down to a floor", () => {
    expect(pollPacing("http://127.0.0.1:8080", { FIREWORKS_POLL_INTERVAL_MS: "50" })).toEqual({ pollInitialDelayMs: 50, pollMaxDelayMs: 200 });
    expect(pollPacing("http://localhost:8080", { FIREWORKS_POLL_INTERVAL_MS: "1" })).toEqual({
      pollInitialDelayMs: MIN_POLL_INTERVAL_MS.loopback,
      pollMaxDelayMs: MIN_POLL_INTERVAL_MS.loopback * 4,
    });
  });

  it("cannot make the provider poll a remote API faster than once a second", () => {
    expect(pollPacing("https://api.fireworks.ai", { FIREWORKS_POLL_INTERVAL_MS: "1" })).toEqual({ pollInitialDelayMs: 1000, pollMaxDelayMs: 4000 });
    expect(pollPacing("https://api.fireworks.ai", { FIREWORKS_POLL_INTERVAL_MS: "5000" })).toEqual({ pollInitialDelayMs: 5000, pollMaxDelayMs: 20000 });
  });
});
