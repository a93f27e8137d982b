/**
 * The access example through the real engine: a service account and its API key, a secret, an OIDC identity
 * provider and a quota. No secret (the key's plaintext, the secret's value, the OIDC client secret, the provider's
 * API key) appears in the state file, `pulumi stack export` or the engine's output (which carries the provider's
 * logs); previews after up and after refresh are empty; a new secret value is exactly one change; a new keeper
 * rotates the key create-before-delete; destroy removes what can be removed and says what it left.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../support/admin";
import { StackHarness, opsFor } from "./harness";

const WANDB = "wandb-value-LITERAL-5e7c1a";
const WANDB_2 = "wandb-value-LITERAL-rotated-9d3b";
const OIDC = "oidc-client-secret-LITERAL-a41f";
const API_KEY = "account-key-LITERAL-2b6e90";

describe("access example end to end (real engine, emulator)", () => {
  let emulator: Emulator;
  let admin: EmulatorAdmin;
  let stack: StackHarness;
  let config: Record<string, { value: string; secret?: boolean }>;
  let issuedKey = "";
  const literals = (): string[] => [WANDB, WANDB_2, OIDC, API_KEY, issuedKey].filter((l) => l !== "");
  const leaked = (texts: (string | undefined)[]): string[] => literals().filter((l) => texts.some((t) => (t ?? "").includes(l)));
  const list = async (path: string, key: string): Promise<Record<string, unknown>[]> =>
    ((await admin.get(`/v1/accounts/${emulator.accountId}/${path}?pageSize=200`))?.[key] as Record<string, unknown>[] | undefined) ?? [];

  beforeAll(async () => {
    emulator = await startEmulator({ apiKey: API_KEY });
    admin = new EmulatorAdmin(emulator);
    config = {
      "fireworks:baseUrl": { value: emulator.url },
      "fireworks:accountId": { value: emulator.accountId },
      "fireworks:apiKey": { value: API_KEY, secret: true },
      "fireworks-access:wandbApiKey": { value: WANDB, secret: true },
      "fireworks-access:oidcClientSecret": { value: OIDC, secret: true },
    };
    stack = new StackHarness("access", {});
  });

  afterAll(async () => {
    stack?.cleanup();
    await emulator?.close();
  });

  it("creates every kind, and no secret appears in state, export or output", async () => {
    const [up, exported] = await stack.runAll([{ op: "up", config, diff: true }, { op: "export" }]);
    expect(up?.ok, up?.error).toBe(true);
    issuedKey = String(up?.outputs?.ciApiKey?.value ?? "");
    expect(issuedKey).toMatch(/^fw_/);
    expect(up?.outputs?.ciApiKey?.secret).toBe(true);
    // Everything really exists upstream, so a leak would have had something to leak.
    expect((await admin.get(`/_emulator/secrets/${String(up?.outputs?.wandbSecret?.value).split("/").pop()}`))?.value).toBe(WANDB);
    expect(await list("identityProviders", "identityProviders")).toHaveLength(1);
    expect(leaked([stack.stateFileText(), JSON.stringify(exported?.deployment), up?.stdout, ...(up?.diagnostics ?? [])])).toEqual([]);
  });

  it("shows no changes after up, nor after a refresh", async () => {
    const runs = await stack.runAll([
      { op: "preview", expectNoChanges: true },
      { op: "refresh", expectNoChanges: true },
      { op: "preview", expectNoChanges: true, diff: true },
    ]);
    for (const run of runs) expect(run.ok, run.error).toBe(true);
    expect(leaked(runs.flatMap((r) => [r.stdout, ...r.diagnostics]))).toEqual([]);
  });

  it("shows a new secret value as exactly one change, without the value", async () => {
    const changed = { ...config, "fireworks-access:wandbApiKey": { value: WANDB_2, secret: true } };
    const preview = await stack.run({ op: "preview", config: changed, diff: true });
    expect(preview.ok, preview.error).toBe(true);
    expect(preview.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.type}`)).toEqual(["update fireworks:index:Secret"]);
    const up = await stack.run({ op: "up", config: changed });
    expect(up.ok, up.error).toBe(true);
    config = changed;
    expect(leaked([preview.stdout, up.stdout, stack.stateFileText()])).toEqual([]);
  });

  it("rotates the API key when a keeper changes: the new key exists before the old one is deleted", async () => {
    const before = String((await stack.run({ op: "outputs" })).outputs?.ciKeyId?.value);
    const rotated = { ...config, "fireworks-access:keyRotation": { value: "2027-01" } };
    const preview = await stack.run({ op: "preview", config: rotated });
    expect(preview.ok, preview.error).toBe(true);
    expect(opsFor(preview, "fireworks:index:ApiKey")).toEqual(["create-replacement", "replace", "delete-replaced"]);
    const up = await stack.run({ op: "up", config: rotated });
    expect(up.ok, up.error).toBe(true);
    config = rotated;
    const after = String(up.outputs?.ciKeyId?.value);
    expect(after).not.toBe(before);
    const user = String(up.outputs?.serviceAccount?.value).split("/").pop();
    const keys = await list(`users/${user}/apiKeys`, "apiKeys");
    expect(keys.map((k) => k.keyId)).toEqual([after]);
    issuedKey = String(up.outputs?.ciApiKey?.value);
    expect(leaked([stack.stateFileText(), up.stdout])).toEqual([]);
  });

  it("destroys the secret, the key and the identity provider, and says what it left (user, quota)", async () => {
    const destroy = await stack.run({ op: "destroy" });
    expect(destroy.ok, destroy.error).toBe(true);
    expect(await list("secrets", "secrets")).toEqual([]);
    expect(await list("identityProviders", "identityProviders")).toEqual([]);
    expect(await list("users/ci-deployer/apiKeys", "apiKeys")).toEqual([]);
    // Users and quotas cannot be deleted through the API: they stay, and destroy says so.
    expect(await admin.get(`/v1/accounts/${emulator.accountId}/users/ci-deployer`)).toBeDefined();
    const text = [destroy.stdout, ...destroy.diagnostics].join("\n");
    expect(text).toContain("ci-deployer");
    expect(text).toContain("monthly-spend-usd");
    expect(leaked([text])).toEqual([]);
  });
});
