import { describe, expect, it } from "vitest";
import type { Emulator } from "../../emulator";
import { useEmulator, type Client, type ErrorBody } from "./helpers";

let emu: Emulator;
let client: Client;

useEmulator((e, c) => {
  emu = e;
  client = c;
}, { resetEach: true });

interface Idp {
  name?: string;
  displayName?: string;
  state?: string;
  samlConfig?: { metadataUrl?: string; metadataXml?: string };
  oidcConfig?: { issuerUrl?: string; clientId?: string; clientSecret?: string };
  issuerUrl?: string;
  clientId?: string;
  tenantDomains?: string[];
  jitDefaultRole?: string;
}

const base = () => `/v1/accounts/${emu.accountId}/identityProviders`;
const OIDC = { issuerUrl: "https://login.example.com", clientId: "client-1", clientSecret: "oidc-secret-xyz" };
const SAML = { metadataUrl: "https://idp.example.com/metadata.xml" };

async function createIdp(body: Record<string, unknown>) {
  return client.call<Idp & ErrorBody>("POST", base(), { displayName: "Corp SSO", ...body });
}

function idOf(idp: Idp): string {
  return (idp.name ?? "").split("/").pop() ?? "";
}

async function expect400(res: { status: number; body: ErrorBody; text: string }, ...messages: string[]): Promise<void> {
  expect(res.status, res.text).toBe(400);
  expect(res.body.code).toBe(3);
  for (const m of messages) expect(res.body.message).toContain(m);
}

describe("identity providers: create", () => {
  it("generates the ID, echoes the OIDC issuer and client, and never returns the client secret", async () => {
    const res = await createIdp({ oidcConfig: OIDC, tenantDomains: ["example.com"] });
    expect(res.status, res.text).toBe(200);
    expect(res.body.name).toMatch(new RegExp(`^accounts/${emu.accountId}/identityProviders/[a-z][a-z0-9]{7}$`));
    expect(res.body).toMatchObject({ displayName: "Corp SSO", state: "READY", issuerUrl: OIDC.issuerUrl, clientId: OIDC.clientId, oidcConfig: { issuerUrl: OIDC.issuerUrl, clientId: OIDC.clientId } });
    expect(res.text).not.toContain(OIDC.clientSecret);
    const got = await client.call("GET", `${base()}/${idOf(res.body)}`);
    expect(got.body).toEqual(res.body);
    expect((await client.call("GET", base())).text).not.toContain(OIDC.clientSecret);
  });

  it("creates a SAML provider from metadata XML", async () => {
    const res = await createIdp({ samlConfig: { metadataXml: "<EntityDescriptor/>" }, enableIdpInitiatedSso: true });
    expect(res.status, res.text).toBe(200);
    expect(res.body.samlConfig).toEqual({ metadataXml: "<EntityDescriptor/>" });
  });

  it("refuses an identityProviderId parameter: IDs are the server's", async () => {
    await expect400(await client.call<ErrorBody>("POST", `${base()}?identityProviderId=mine`, { displayName: "x", samlConfig: SAML }), "unknown query parameter");
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ["no config", {}, ["exactly one of saml_config or oidc_config"]],
    ["both configs", { samlConfig: SAML, oidcConfig: OIDC }, ["exactly one of saml_config or oidc_config"]],
    ["SAML with both URL and XML", { samlConfig: { ...SAML, metadataXml: "<x/>" } }, ["Exactly one of metadata_url or metadata_xml"]],
    ["SAML with neither", { samlConfig: {} }, ["Exactly one of metadata_url or metadata_xml"]],
    ["an http metadata URL", { samlConfig: { metadataUrl: "http://idp.example.com/m" } }, ["is not an https URL"]],
    ["OIDC without its secret", { oidcConfig: { issuerUrl: OIDC.issuerUrl, clientId: "c" } }, ["oidc_config.client_secret: value is required"]],
    ["OIDC missing everything", { oidcConfig: {} }, ["issuer_url: value is required", "client_id: value is required", "client_secret: value is required"]],
    ["a bad tenant domain", { samlConfig: SAML, tenantDomains: ["not a domain"] }, ['"not a domain" is not a domain name']],
    ["an unknown JIT role", { samlConfig: SAML, jitDefaultRole: "owner" }, ["jit_default_role"]],
    ["IdP-initiated SSO with OIDC", { oidcConfig: OIDC, enableIdpInitiatedSso: true }, ["only valid with saml_config"]],
    ["no displayName", { displayName: "", samlConfig: SAML }, ["display_name: value is required"]],
  ])("refuses %s with a 400 that says why", async (_label, body, messages) => {
    await expect400(await createIdp(body), ...messages);
    expect((await client.call("GET", base())).body).toEqual({});
  });

  it("defaults the JIT role to inference-user once JIT provisioning is on", async () => {
    const res = await createIdp({ samlConfig: SAML, enableJitUserProvisioning: true });
    expect(res.body.jitDefaultRole).toBe("inference-user");
  });
});

describe("identity providers: update and delete", () => {
  it("keeps the stored client secret when a PATCH changes other OIDC fields", async () => {
    const created = await createIdp({ oidcConfig: OIDC });
    const id = idOf(created.body);
    const res = await client.call<Idp>("PATCH", `${base()}/${id}`, { oidcConfig: { clientId: "client-2" } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.clientId).toBe("client-2");
    expect(res.body.oidcConfig).toEqual({ issuerUrl: OIDC.issuerUrl, clientId: "client-2" });
    // Replacing the whole config without the secret leaves none: refused.
    await expect400(await client.call<ErrorBody>("PATCH", `${base()}/${id}?updateMask=oidcConfig`, { oidcConfig: { issuerUrl: OIDC.issuerUrl, clientId: "c" } }), "client_secret: value is required");
  });

  it("switches from OIDC to SAML only when the old config is cleared too", async () => {
    const id = idOf((await createIdp({ oidcConfig: OIDC })).body);
    await expect400(await client.call<ErrorBody>("PATCH", `${base()}/${id}`, { samlConfig: SAML }), "exactly one of saml_config or oidc_config");
    const res = await client.call<Idp>("PATCH", `${base()}/${id}`, { samlConfig: SAML, oidcConfig: null });
    expect(res.status, res.text).toBe(200);
    expect(res.body.samlConfig).toEqual(SAML);
    expect(res.body.oidcConfig).toBeUndefined();
    expect(res.body.issuerUrl).toBeUndefined();
  });

  it("deletes (readMask accepted), then answers 404", async () => {
    const id = idOf((await createIdp({ samlConfig: SAML })).body);
    const res = await client.call("DELETE", `${base()}/${id}?readMask=name`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({});
    expect((await client.call("GET", `${base()}/${id}`)).status).toBe(404);
    expect((await client.call("DELETE", `${base()}/${id}`)).status).toBe(404);
  });

  it("lists with paging", async () => {
    for (const n of ["a", "b", "c"]) await createIdp({ displayName: n, samlConfig: SAML });
    const first = await client.call<{ identityProviders: Idp[]; nextPageToken: string; totalSize: number }>("GET", `${base()}?pageSize=2`);
    expect(first.body.identityProviders).toHaveLength(2);
    expect(first.body.totalSize).toBe(3);
    const next = await client.call<{ identityProviders: Idp[] }>("GET", `${base()}?pageSize=2&pageToken=${first.body.nextPageToken}`);
    expect(next.body.identityProviders).toHaveLength(1);
    const names = [...first.body.identityProviders, ...next.body.identityProviders].map((i) => i.name ?? "");
    expect(names).toEqual([...names].sort());
  });
});
