/**
 * A dataset from a local JSONL file (a pulumi.asset.FileAsset) through the real engine: uploaded through a signed
 * URL that never sees the API key, no changes on a second preview, nothing for a touched but unchanged file, a
 * replacement for edited content, bad JSONL stopped at preview with line numbers, and nothing left after destroy.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../support/admin";
import { StackHarness, opsFor } from "./harness";

const CHAT = (n: number): string =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ messages: [{ role: "user", content: `q${i}` }, { role: "assistant", content: `a${i}` }] })).join("\n") + "\n";

describe("dataset from a local file (real engine, emulator)", () => {
  let emulator: Emulator;
  let admin: EmulatorAdmin;
  let stack: StackHarness;
  let file = "";

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = new EmulatorAdmin(emulator);
    stack = new StackHarness("quickstart", { FIREWORKS_BASE_URL: emulator.url, FIREWORKS_ACCOUNT_ID: emulator.accountId, FIREWORKS_API_KEY: emulator.apiKey });
    file = path.join(stack.programDir, "train.jsonl");
    fs.writeFileSync(file, CHAT(3));
    stack.writeProgram(`import * as pulumi from "@pulumi/pulumi";
import * as fireworks from "pulumi-fireworks";

const data = new fireworks.Dataset("train", { source: new pulumi.asset.FileAsset("train.jsonl"), format: "CHAT", displayName: "Support chats" });
export const datasetName = data.name;
export const state = data.state;
`);
  });

  afterAll(async () => {
    stack?.cleanup();
    await emulator?.close();
  });

  const datasets = async (): Promise<Record<string, unknown>[]> =>
    ((await admin.get(`/v1/accounts/${emulator.accountId}/datasets?pageSize=200`))?.datasets as Record<string, unknown>[] | undefined) ?? [];

  it("uploads the file and reaches READY, with no change on the next preview or a touched file", async () => {
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    expect(up.outputs?.state?.value).toBe("READY");
    const live = await datasets();
    expect(live).toHaveLength(1);
    expect(String(live[0]?.exampleCount)).toBe("3");
    const now = new Date();
    fs.utimesSync(file, now, now);
    expect((await stack.run({ op: "preview", expectNoChanges: true })).ok).toBe(true);
  });

  it("replaces the dataset when the file's content changes", async () => {
    fs.writeFileSync(file, CHAT(5));
    const preview = await stack.run({ op: "preview" });
    expect(preview.ok, preview.error).toBe(true);
    expect(opsFor(preview, "fireworks:index:Dataset")).toEqual(["create-replacement", "replace", "delete-replaced"]);
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    const live = await datasets();
    expect(live).toHaveLength(1);
    expect(String(live[0]?.exampleCount)).toBe("5");
  });

  it("stops malformed JSONL at preview with the line number, before any request", async () => {
    fs.writeFileSync(file, `${CHAT(1)}{"messages": "not a list"}\nnot json\n`);
    await admin.clearRequests();
    const preview = await stack.run({ op: "preview" });
    expect(preview.ok).toBe(false);
    const text = `${preview.error}\n${preview.diagnostics.join("\n")}`;
    expect(text).toMatch(/line 2/);
    expect(text).toMatch(/line 3/);
    expect((await admin.requests()).filter((r) => r.method !== "GET")).toEqual([]);
    fs.writeFileSync(file, CHAT(5));
  });

  it("destroys the dataset", async () => {
    expect((await stack.run({ op: "destroy" })).ok).toBe(true);
    expect(await datasets()).toEqual([]);
  });
});
