import { request, type IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

const MiB = 1024 * 1024;

interface Answer {
  status: number;
  body: ErrorBody;
  /** Bytes the client had handed to the socket when the answer arrived. */
  sentBeforeAnswer: number;
}

/**
 * Starts a request, writes `send` bytes of body and never finishes it, then waits for the server's answer. Getting
 * one at all proves the server answered without reading the whole body (the client never sent the whole body).
 */
function answerWhileSending(path: string, headers: Record<string, string>, send: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(emu.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers } });
    req.on("error", () => undefined); // the server closes the connection after answering
    req.on("response", (res: IncomingMessage) => {
      const sentBeforeAnswer = sent;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        req.destroy();
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as ErrorBody, sentBeforeAnswer });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      res.on("error", reject);
    });
    req.flushHeaders();
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (sent < send) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

describe("request bodies", () => {
  it("answers an unauthenticated request with 401 before reading its body", async () => {
    const res = await answerWhileSending(client.base, { "transfer-encoding": "chunked" }, 4 * MiB);
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(16);
    expect(res.sentBeforeAnswer).toBeLessThan(4 * MiB + 64 * 1024);
  });

  it("answers a request for another account with 403 before reading its body", async () => {
    const res = await answerWhileSending("/v1/accounts/someone-else/deployments", { authorization: `Bearer ${emu.apiKey}`, "content-length": String(1024 * MiB) }, MiB);
    expect(res.status).toBe(403);
  });

  it("refuses an authenticated body that declares more than 8 MiB with 413 RESOURCE_EXHAUSTED", async () => {
    const res = await answerWhileSending(client.base, { authorization: `Bearer ${emu.apiKey}`, "content-length": String(8 * MiB + 1) }, 0);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ code: 8, message: `request body larger than ${8 * MiB} bytes`, details: [] });
  });

  it("stops reading an authenticated chunked body at 8 MiB and answers 413", async () => {
    const res = await answerWhileSending(client.base, { authorization: `Bearer ${emu.apiKey}`, "transfer-encoding": "chunked" }, 9 * MiB);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe(8);
    expect((await client.list()).body).toEqual({});
  });

  it("accepts a body just under the cap (then judges its content)", async () => {
    const res = await client.call<ErrorBody>("POST", client.base, undefined, { raw: `{"displayName": "${"x".repeat(8 * MiB - 100)}"}` });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("base_model");
  });

  it("caps control-channel bodies at 64 KiB", async () => {
    const res = await client.call<ErrorBody>("POST", "/_emulator/faults", undefined, { key: null, raw: `{"path": "${"x".repeat(64 * 1024)}", "action": {"type": "drop"}}` });
    expect(res.status).toBe(413);
    expect((await client.admin<{ faults: unknown[] }>("GET", "/faults")).body.faults).toEqual([]);
  });
});
