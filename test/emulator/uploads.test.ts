import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { useEmulator, type Client } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

interface Attempt {
  status: number;
  authorization: boolean;
  chunked: boolean;
}

function put(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "PUT",
    headers: { "content-type": "application/octet-stream", "x-goog-content-length-range": `${body.length},${body.length}`, ...headers },
    body,
  });
}

const base = () => `/v1/accounts/${emu.accountId}/datasets`;

async function signedUrl(id: string, size: number): Promise<string> {
  await client.call("POST", base(), { datasetId: id, dataset: {} });
  const ep = await client.call<{ filenameToSignedUrls: Record<string, string> }>("POST", `${base()}/${id}:getUploadEndpoint`, {
    filenameToSize: { "f.jsonl": String(size) },
  });
  return ep.body.filenameToSignedUrls["f.jsonl"] ?? "";
}

const attempts = async (id: string) => (await client.admin<{ attempts: Attempt[] }>("GET", `/datasets/${id}/uploads`)).body.attempts;

describe("upload sink", () => {
  it("serves signed URLs at the emulator's own address, outside /v1", async () => {
    const url = await signedUrl("d", 3);
    expect(url.startsWith(`${emu.url}/_uploads/`)).toBe(true);
  });

  it("refuses an upload that carries an Authorization header, and records it", async () => {
    const url = await signedUrl("d", 3);
    const res = await put(url, Buffer.from("abc"), { authorization: `Bearer ${emu.apiKey}` });
    expect(res.status).toBe(403);
    expect(await attempts("d")).toMatchObject([{ status: 403, authorization: true }]);
    expect((await client.call("POST", `${base()}/d:validateUpload`, {})).status).toBe(400);
  });

  it("refuses a size other than the declared one, and a missing length range", async () => {
    const url = await signedUrl("d", 3);
    expect((await put(url, Buffer.from("abcd"))).status).toBe(400);
    const noRange = await fetch(url, { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: Buffer.from("abc") });
    expect(noRange.status).toBe(400);
    expect((await put(url, Buffer.from("abc"))).status).toBe(200);
  });

  it("refuses chunked transfer encoding", async () => {
    const url = await signedUrl("d", 3);
    const res = await fetch(url, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream", "x-goog-content-length-range": "3,3" },
      body: Readable.toWeb(Readable.from([Buffer.from("abc")])) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(411);
    expect(await attempts("d")).toMatchObject([{ status: 411, chunked: true }]);
  });

  it("answers 404 for an unknown token and 405 for other methods", async () => {
    const url = await signedUrl("d", 3);
    expect((await fetch(`${emu.url}/_uploads/nope`, { method: "PUT", body: "x" })).status).toBe(404);
    expect((await fetch(url, { method: "GET" })).status).toBe(405);
  });

  it("applies injected faults", async () => {
    const url = await signedUrl("d", 3);
    await client.admin("POST", "/faults", { method: "PUT", path: "/_uploads/", action: { type: "status", status: 503 } });
    expect((await put(url, Buffer.from("abc"))).status).toBe(503);
    expect((await put(url, Buffer.from("abc"))).status).toBe(200);
  });
});
