import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileAsset } from "../../provider/src/assets";
import * as lifecycle from "../../provider/src/lifecycle";
import { datasetSpec, jsonlProblems, MAX_REPORTED_LINES } from "../../provider/src/resources/dataset";
import { UNKNOWN, type Props } from "../../provider/src/values";

const dir = mkdtempSync(join(tmpdir(), "fw-dataset-unit-"));
let n = 0;
function file(content: string): string {
  const path = join(dir, `f${++n}.jsonl`);
  writeFileSync(path, content);
  return path;
}
const chat = (user: string) => JSON.stringify({ messages: [{ role: "user", content: user }, { role: "assistant", content: "ok" }] });
const owner = { __owner: "proj/dev/ds", __instance: "i-1" };

function check(news: Props, olds: Props = {}) {
  return lifecycle.check(datasetSpec, olds, { ...owner, ...news });
}

describe("Dataset check: source or externalUrl", () => {
  it("requires exactly one of source and externalUrl", () => {
    expect(check({}).failures.map((f) => f.property)).toEqual(["source"]);
    const both = check({ source: fileAsset(file(`${chat("a")}\n`)), externalUrl: "gs://bucket/a.jsonl" });
    expect(both.failures).toHaveLength(1);
    expect(both.failures[0]?.reason).toContain("not both");
    expect(check({ externalUrl: "gs://bucket/a.jsonl" }).failures).toEqual([]);
    expect(check({ externalUrl: "s3://bucket/data/a.jsonl", format: "CHAT" }).failures).toEqual([]);
    // Unknown at preview still counts as set.
    expect(check({ source: UNKNOWN, externalUrl: "gs://b/a" }).failures.map((f) => f.property)).toContain("externalUrl");
  });

  it("refuses other URL schemes, non-file assets and missing files", () => {
    expect(check({ externalUrl: "https://example.com/a.jsonl" }).failures.map((f) => f.property)).toEqual(["externalUrl"]);
    expect(check({ source: { "4dabf18193072939515e22adb298388d": "c44067f5952c0a294b673a41bacd8c17", text: "x" } }).failures[0]?.reason).toContain("FileAsset");
    expect(check({ source: fileAsset(join(dir, "nope.jsonl")) }).failures[0]?.reason).toContain("cannot be read");
  });
});

describe("Dataset check: JSONL validation", () => {
  it("reports bad lines by number and reason", () => {
    const path = file([chat("a"), "not json", JSON.stringify({ prompt: "p" }), JSON.stringify({ messages: [{ role: "bot", content: "x" }] }), chat("b")].join("\n"));
    const result = check({ source: fileAsset(path), format: "CHAT" });
    expect(result.failures).toHaveLength(1);
    const reason = result.failures[0]?.reason ?? "";
    expect(reason).toContain("line 2: not valid JSON");
    expect(reason).toContain('line 3: missing "messages"');
    expect(reason).toContain("line 4: messages[0].role must be one of");
    expect(reason).not.toContain("line 1:");
    expect(reason).not.toContain("line 5:");
  });

  it("checks COMPLETION and RL layouts, empty lines and empty files", () => {
    expect(jsonlProblems(file(`${JSON.stringify({ prompt: "p", completion: "c" })}\n`), "COMPLETION")).toEqual([]);
    expect(jsonlProblems(file(`${JSON.stringify({ prompt: "p" })}\n`), "COMPLETION")).toEqual(['line 1: missing "completion" (a string)']);
    expect(jsonlProblems(file(`${JSON.stringify({ messages: [{ role: "user", content: "q" }], ground_truth: "4" })}\n`), "RL")).toEqual([]);
    expect(jsonlProblems(file(`${JSON.stringify({ messages: [{ role: "user", content: "q" }] })}\n`), "CHAT")).toEqual(["line 1: no assistant message to learn from"]);
    expect(jsonlProblems(file(`${chat("a")}\n\n${chat("b")}\n`), "CHAT")).toEqual(["line 2: empty line"]);
    expect(jsonlProblems(file(""), "CHAT")).toEqual(["the file holds no examples"]);
  });

  it("caps the report at the first few bad lines", () => {
    const problems = jsonlProblems(file("x\n".repeat(100)), "CHAT");
    expect(problems).toHaveLength(MAX_REPORTED_LINES);
    expect(problems[0]).toMatch(/^line 1:/);
    expect(check({ source: fileAsset(file("x\n".repeat(100))), format: "CHAT" }).failures[0]?.reason).toContain(`first ${MAX_REPORTED_LINES} problems`);
  });

  it("does not validate without a format, nor an unchanged file again", () => {
    const path = file("garbage\n");
    expect(check({ source: fileAsset(path, "h1") }).failures).toEqual([]);
    expect(check({ source: fileAsset(path, "h1"), format: "CHAT" }, { source: fileAsset(path, "h1"), format: "CHAT" }).failures).toEqual([]);
    expect(check({ source: fileAsset(path, "h2"), format: "CHAT" }, { source: fileAsset(path, "h1"), format: "CHAT" }).failures).toHaveLength(1);
  });
});

describe("Dataset diff: driven by the content hash", () => {
  // Recorded outputs carry the ID the create used (the derived `__name`).
  const outsFor = (inputs: Props): Props => ({ ...inputs, datasetId: inputs.__name, name: "accounts/a/datasets/x", state: "READY", format: inputs.format });

  it("shows no diff for the same content (touched, or at another path)", () => {
    const path = file(`${chat("a")}\n`);
    const news = check({ source: fileAsset(path), format: "CHAT" }).inputs;
    const olds = outsFor(news);
    utimesSync(path, new Date(), new Date(Date.now() + 60_000));
    expect(lifecycle.diff(datasetSpec, olds, check({ source: fileAsset(path), format: "CHAT" }, news).inputs).changes).toBe(false);
    const copy = file(`${chat("a")}\n`);
    expect(lifecycle.diff(datasetSpec, olds, check({ source: fileAsset(copy), format: "CHAT" }, news).inputs).changes).toBe(false);
  });

  it("replaces the dataset when the content changes (engine hash or computed)", () => {
    const path = file(`${chat("a")}\n`);
    const withHash = check({ source: fileAsset(path, "aaa"), format: "CHAT" }).inputs;
    const planned = lifecycle.diff(datasetSpec, outsFor(withHash), check({ source: fileAsset(path, "bbb"), format: "CHAT" }, withHash).inputs);
    expect(planned).toMatchObject({ changes: true, replaces: ["source"], deleteBeforeReplace: false });

    const olds = outsFor({ ...check({ source: fileAsset(path), format: "CHAT" }).inputs, source: fileAsset(path, "0".repeat(64)) });
    writeFileSync(path, `${chat("changed")}\n`);
    expect(lifecycle.diff(datasetSpec, olds, check({ source: fileAsset(path), format: "CHAT" }, olds).inputs).replaces).toEqual(["source"]);
  });

  it("replaces on a new format or URL, updates displayName in place", () => {
    const news = check({ externalUrl: "gs://bucket/a.jsonl", format: "CHAT", displayName: "a" }).inputs;
    const olds = outsFor(news);
    expect(lifecycle.diff(datasetSpec, olds, { ...news, format: "RL" }).replaces).toEqual(["format"]);
    expect(lifecycle.diff(datasetSpec, olds, { ...news, externalUrl: "gs://bucket/b.jsonl" }).replaces).toEqual(["externalUrl"]);
    expect(lifecycle.diff(datasetSpec, olds, { ...news, displayName: "b" })).toMatchObject({ changes: true, replaces: [] });
  });
});
