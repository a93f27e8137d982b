/**
 * Dataset against the emulator, in process: create with the ID in the body wrapper, upload through a signed URL into
 * the emulator's sink (with no Authorization header, proven on the emulator side), validation, refresh without
 * drift, delete; an external URL dataset that uploads nothing.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fileAsset } from "../../provider/src/assets";
import * as lifecycle from "../../provider/src/lifecycle";
import { datasetSpec } from "../../provider/src/resources/dataset";
import type { Props } from "../../provider/src/values";
import { useLifecycle } from "./setup";

interface Attempt {
  status: number;
  authorization: boolean;
  chunked: boolean;
  contentLength: string | null;
}

const dir = mkdtempSync(join(tmpdir(), "fw-dataset-lifecycle-"));
const LINE = `${JSON.stringify({ messages: [{ role: "user", content: "hi" }, { role: "assistant", content: "hello" }] })}\n`;

describe("Dataset lifecycle against the emulator", () => {
  const env = useLifecycle();
  let n = 0;

  const inputs = (extra: Props): Props => {
    n += 1;
    const checked = lifecycle.check(datasetSpec, {}, { __owner: `proj/dev/ds${n}`, __instance: "instance-a", ...extra });
    expect(checked.failures).toEqual([]);
    return checked.inputs;
  };
  const uploads = async (id: string): Promise<{ attempts: Attempt[]; received: Record<string, { bytes: number; sha256: string }> }> => {
    const res = await fetch(`${env.emulator.url}/_emulator/datasets/${id}/uploads`);
    expect(res.status).toBe(200);
    return (await res.json()) as { attempts: Attempt[]; received: Record<string, { bytes: number; sha256: string }> };
  };

  it("creates, uploads without the API key, validates, refreshes without drift and deletes", async () => {
    const path = join(dir, "train.jsonl");
    const content = LINE.repeat(5);
    writeFileSync(path, content);
    const sha = createHash("sha256").update(content).digest("hex");
    const news = inputs({ source: fileAsset(path, sha), format: "CHAT", displayName: "train" });
    const { id, outs } = await lifecycle.create(datasetSpec, env.ctx, news);
    expect(outs).toMatchObject({ name: `accounts/${env.emulator.accountId}/datasets/${id}`, state: "READY", format: "CHAT", exampleCount: "5", displayName: "train", datasetId: id });

    const seen = await uploads(id);
    expect(seen.attempts).toHaveLength(1);
    expect(seen.attempts[0]).toMatchObject({ status: 200, authorization: false, chunked: false, contentLength: String(content.length) });
    expect(seen.received["train.jsonl"]).toEqual({ bytes: content.length, sha256: sha, lines: 5 });
    const writes = (await env.admin.requests()).filter((r) => r.method === "POST").map((r) => r.path.replace(/.*\//, ""));
    expect(writes).toEqual(["datasets", `${id}:getUploadEndpoint`, `${id}:validateUpload`]);

    expect(lifecycle.diff(datasetSpec, outs, news).changes).toBe(false);
    const read = await lifecycle.read(datasetSpec, env.ctx, id, outs);
    expect(read.id).toBe(id);
    expect(lifecycle.diff(datasetSpec, read.props ?? {}, news).changes).toBe(false);
    expect(lifecycle.diff(datasetSpec, read.props ?? {}, lifecycle.check(datasetSpec, read.inputs ?? {}, { ...news, ...read.inputs }).inputs).changes).toBe(false);

    await lifecycle.remove(datasetSpec, env.ctx, id, read.props ?? {});
    expect(await lifecycle.read(datasetSpec, env.ctx, id, outs)).toEqual({});
  });

  it("fails the create when the file changed after preview, keeping the dataset in state", async () => {
    const path = join(dir, "edited.jsonl");
    writeFileSync(path, LINE);
    const news = inputs({ source: fileAsset(path, "0".repeat(64)) });
    const err = await lifecycle.create(datasetSpec, env.ctx, news).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(lifecycle.ResourceInitError);
    expect((err as Error).message).toContain("changed after preview");
  });

  it("retries an upload the storage refused with a 5xx", async () => {
    const path = join(dir, "retried.jsonl");
    writeFileSync(path, LINE.repeat(2));
    await env.admin.fault({ method: "PUT", path: "/_uploads/", times: 1, action: { type: "status", status: 503 } });
    const { id, outs } = await lifecycle.create(datasetSpec, env.ctx, inputs({ source: fileAsset(path), format: "CHAT" }));
    expect(outs.state).toBe("READY");
    expect((await uploads(id)).attempts.map((a) => a.authorization)).toEqual([false]);
    await lifecycle.remove(datasetSpec, env.ctx, id, outs);
  });

  it("finishes an upload an interrupted create left undone on the next update", async () => {
    const path = join(dir, "interrupted.jsonl");
    writeFileSync(path, LINE.repeat(3));
    const news = inputs({ source: fileAsset(path), format: "CHAT" });
    // The storage keeps refusing until the create gives up: the dataset is recorded, still waiting for its file.
    await env.admin.fault({ method: "PUT", path: "/_uploads/", times: 100, action: { type: "status", status: 500 } });
    const err = await lifecycle.create(datasetSpec, env.ctx, news).catch((e: unknown) => e);
    await env.admin.clearFaults();
    expect(err).toBeInstanceOf(lifecycle.ResourceInitError);
    const init = err as lifecycle.ResourceInitError;
    expect(init.properties.state).not.toBe("READY");
    // The next `up` updates the recorded dataset: the upload runs again and the dataset becomes READY.
    const { outs } = await lifecycle.update(datasetSpec, env.ctx, init.id, init.properties, news);
    expect(outs.state).toBe("READY");
    expect(outs.exampleCount).toBe("3");
    await lifecycle.remove(datasetSpec, env.ctx, init.id, outs);
  });

  it("creates an external URL dataset without uploading", async () => {
    const news = inputs({ externalUrl: "gs://my-bucket/data/train.jsonl", format: "CHAT" });
    const { id, outs } = await lifecycle.create(datasetSpec, env.ctx, news);
    expect(outs).toMatchObject({ state: "READY", externalUrl: "gs://my-bucket/data/train.jsonl" });
    expect(outs.userUploaded).toBeUndefined();
    expect((await uploads(id)).attempts).toEqual([]);
    expect(lifecycle.diff(datasetSpec, outs, news).changes).toBe(false);
    const updated = await lifecycle.update(datasetSpec, env.ctx, id, outs, { ...news, displayName: "external" });
    expect(updated.outs.displayName).toBe("external");
    await lifecycle.remove(datasetSpec, env.ctx, id, updated.outs);
  });
});
