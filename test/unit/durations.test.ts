import { describe, expect, it } from "vitest";
import { formatApiDuration, formatHumanDuration, parseDuration } from "../../provider/src/durations";

describe("parseDuration", () => {
  it.each([
    ["30s", 30],
    ["10m", 600],
    ["1h", 3600],
    ["1h30m", 5400],
    ["1h1m1s", 3661],
    ["1.5s", 1.5],
    ["600s", 600],
    ["0", 0],
    ["0s", 0],
    ["250ms", 0.25],
    ["1m500ms", 60.5],
    [" 10m ", 600],
  ])("parses %j as %d seconds", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(["10 minutes", "", "   ", "m", "-5s", "5", "1d", "1.s", ".5s", "10M", "s10", "1h 30m", "NaN"])(
    "rejects %j with undefined",
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it("treats the user form and the API form of the same duration as equal", () => {
    expect(parseDuration("10m")).toBe(parseDuration("600s"));
    expect(parseDuration("1h")).toBe(parseDuration("3600s"));
  });
});

describe("formatApiDuration", () => {
  it.each([
    [600, "600s"],
    [30, "30s"],
    [0, "0s"],
    [1.5, "1.5s"],
    [0.25, "0.25s"],
  ])("formats %d seconds as %j", (seconds, text) => {
    expect(formatApiDuration(seconds)).toBe(text);
  });

  it("round-trips through parseDuration", () => {
    for (const seconds of [0, 0.25, 1.5, 30, 600, 3600, 5400]) {
      expect(parseDuration(formatApiDuration(seconds))).toBe(seconds);
    }
  });
});

describe("formatHumanDuration", () => {
  it.each([
    [0, "0s"],
    [30, "30s"],
    [90, "1m30s"],
    [600, "10m"],
    [3600, "1h"],
    [5400, "1h30m"],
    [3661, "1h1m1s"],
    [7200, "2h"],
    [1.5, "1.5s"],
    [0.25, "0.25s"],
  ])("formats %d seconds as %j", (seconds, text) => {
    expect(formatHumanDuration(seconds)).toBe(text);
  });

  it("produces text that parses back to the same number of seconds", () => {
    for (const seconds of [1, 59, 61, 599, 3599, 3601, 86400]) {
      expect(parseDuration(formatHumanDuration(seconds))).toBe(seconds);
    }
  });
});
