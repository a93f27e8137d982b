import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { pause, useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

interface Dataset {
  name?: string;
  displayName?: string;
  state?: string;
  format?: string;
  exampleCount?: string;
  externalUrl?: string;
  userUploaded?: Record<string, never>;
  transformed?: { sourceDatasetId?: string };
}

const base = () => `/v1/accounts/${emu.accountId}/datasets`;
const nameOf = (id: string) => `accounts/${emu.accountId}/datasets/${id}`;
const create = (body: Record<string, unknown>) => client.call<Dataset & ErrorBody>("POST", base(), body);

async function put(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream", "x-goog-content-length-range": `${body.length},${body.length}`, ...headers },
    body,
  });
}

async function uploadReady(id: string, content: string): Promise<void> {
  const bytes = Buffer.from(content);
  const ep = await client.call<{ filenameToSignedUrls: Record<string, string> }>("POST", `${base()}/${id}:getUploadEndpoint`, {
    filenameToSize: { "data.jsonl": String(bytes.length) },
  });
  expect(ep.status, ep.text).toBe(200);
  const res = await put(ep.body.filenameToSignedUrls["data.jsonl"] ?? "", bytes);
  expect(res.status, await res.text()).toBe(200);
  const v = await client.call("POST", `${base()}/${id}:validateUpload`, {});
  expect(v.status, v.text).toBe(200);
}

describe("datasets: create", () => {
  it("takes the ID from the body wrapper and starts UPLOADING as a user upload", async () => {
    const res = await create({ datasetId: "chat", dataset: { format: "CHAT", displayName: "Chat" } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ name: nameOf("chat"), state: "UPLOADING", format: "CHAT", displayName: "Chat", userUploaded: {} });
    expect((await create({ datasetId: "chat", dataset: {} })).status).toBe(409);
  });

  it("requires datasetId and dataset, and refuses a query ID", async () => {
    expect((await create({ dataset: {} })).body.message).toContain("dataset_id: value is required");
    expect((await create({ datasetId: "x" })).body.message).toContain("dataset: value is required");
    expect((await create({ datasetId: "Bad_ID", dataset: {} })).status).toBe(400);
    const q = await client.call("POST", `${base()}?datasetId=x`, { datasetId: "x", dataset: {} });
    expect(q.status).toBe(400);
  });

  it("makes an externalUrl dataset READY without an upload, and refuses other schemes", async () => {
    const res = await create({ datasetId: "ext", dataset: { externalUrl: "gs://bucket/train.jsonl", format: "CHAT" } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.userUploaded).toBeUndefined();
    for (let i = 0; i < 100 && (await client.call<Dataset>("GET", `${base()}/ext`)).body.state !== "READY"; i++) await pause(5);
    expect((await client.call<Dataset>("GET", `${base()}/ext`)).body.state).toBe("READY");
    const s3 = await create({ datasetId: "ext2", dataset: { externalUrl: "s3://bucket/a.jsonl" } });
    expect(s3.status, s3.text).toBe(200);
    const http = await create({ datasetId: "ext3", dataset: { externalUrl: "https://example.com/a.jsonl" } });
    expect(http.status).toBe(400);
    expect(http.body.message).toContain("gs://");
    const up = await client.call<ErrorBody>("POST", `${base()}/ext:getUploadEndpoint`, { filenameToSize: { "a.jsonl": "1" } });
    expect(up.status).toBe(400);
    expect(up.body.code).toBe(9);
  });
});

describe("datasets: upload flow", () => {
  it("refuses validateUpload until every declared file arrived with its size, then READY with the line count", async () => {
    await create({ datasetId: "up", dataset: { format: "CHAT" } });
    const early = await client.call<ErrorBody>("POST", `${base()}/up:validateUpload`, {});
    expect(early.status).toBe(400);
    expect(early.body.code).toBe(9);
    const ep = await client.call<{ filenameToSignedUrls: Record<string, string> }>("POST", `${base()}/up:getUploadEndpoint`, {
      filenameToSize: { "a.jsonl": "4", "b.jsonl": 6 },
    });
    expect(Object.keys(ep.body.filenameToSignedUrls).sort()).toEqual(["a.jsonl", "b.jsonl"]);
    expect((await put(ep.body.filenameToSignedUrls["a.jsonl"] ?? "", Buffer.from("{}\n\n"))).status).toBe(200);
    const half = await client.call<ErrorBody>("POST", `${base()}/up:validateUpload`, {});
    expect(half.body.code).toBe(9);
    expect(half.body.message).toContain("b.jsonl");
    expect((await put(ep.body.filenameToSignedUrls["b.jsonl"] ?? "", Buffer.from("{}\n{}\n"))).status).toBe(200);
    expect((await client.call("POST", `${base()}/up:validateUpload`, {})).status).toBe(200);
    const got = await client.call<Dataset>("GET", `${base()}/up`);
    expect(got.body).toMatchObject({ state: "READY", exampleCount: "4" });
    // READY: a new upload is refused; validating again is harmless.
    expect((await client.call("POST", `${base()}/up:getUploadEndpoint`, { filenameToSize: { "a.jsonl": "1" } })).status).toBe(400);
    expect((await client.call("POST", `${base()}/up:validateUpload`, {})).status).toBe(200);
  });

  it("keeps a declared exampleCount and validates filenameToSize", async () => {
    await create({ datasetId: "counted", dataset: { exampleCount: "7" } });
    expect((await client.call("POST", `${base()}/counted:getUploadEndpoint`, {})).status).toBe(400);
    expect((await client.call("POST", `${base()}/counted:getUploadEndpoint`, { filenameToSize: { "../x": "1" } })).status).toBe(400);
    expect((await client.call("POST", `${base()}/counted:getUploadEndpoint`, { filenameToSize: { x: "-1" } })).status).toBe(400);
    await uploadReady("counted", "{}\n");
    expect((await client.call<Dataset>("GET", `${base()}/counted`)).body.exampleCount).toBe("7");
  });
});

describe("datasets: not served", () => {
  it("answers 404 for the single-request :upload (README D6)", async () => {
    await create({ datasetId: "d", dataset: {} });
    const res = await client.call<ErrorBody>("POST", `${base()}/d:upload`, {});
    expect(res.status, res.text).toBe(404);
  });
});

describe("datasets: update, list, delete", () => {
  it("updates mutable metadata and refuses a format change", async () => {
    await create({ datasetId: "meta", dataset: { format: "CHAT" } });
    const patched = await client.call<Dataset>("PATCH", `${base()}/meta`, { displayName: "New", exampleCount: 3 });
    expect(patched.body).toMatchObject({ displayName: "New", exampleCount: "3", format: "CHAT" });
    const fmt = await client.call<ErrorBody>("PATCH", `${base()}/meta`, { format: "COMPLETION" });
    expect(fmt.status).toBe(400);
    expect(fmt.body.message).toContain("immutable");
  });

  it("lists by name and deletes at once, invalidating upload URLs", async () => {
    await create({ datasetId: "b", dataset: {} });
    await create({ datasetId: "a", dataset: {} });
    const listed = await client.call<{ datasets: Dataset[]; totalSize: number }>("GET", base());
    expect(listed.body.datasets.map((d) => d.name)).toEqual([nameOf("a"), nameOf("b")]);
    const ep = await client.call<{ filenameToSignedUrls: Record<string, string> }>("POST", `${base()}/a:getUploadEndpoint`, { filenameToSize: { f: "1" } });
    expect((await client.call("DELETE", `${base()}/a`)).status).toBe(200);
    expect((await client.call("GET", `${base()}/a`)).status).toBe(404);
    expect((await put(ep.body.filenameToSignedUrls["f"] ?? "", Buffer.from("x"))).status).toBe(404);
  });

  it("derives a dataset from a READY one with sourceDatasetId", async () => {
    await create({ datasetId: "src", dataset: { format: "CHAT" } });
    const early = await create({ datasetId: "derived", dataset: {}, sourceDatasetId: "src" });
    expect(early.status).toBe(400);
    await uploadReady("src", "{}\n");
    const res = await create({ datasetId: "derived", dataset: {}, sourceDatasetId: "src", filter: "x" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ format: "CHAT", transformed: { sourceDatasetId: nameOf("src") } });
  });
});
