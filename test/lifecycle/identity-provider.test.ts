/**
 * IdentityProvider's lifecycle hooks against the emulator, in process: SAML and OIDC create/read/update/delete, the
 * write-only client secret (never in outputs, `__declared` or error messages, sent only when the OIDC config changed),
 * refresh without invented diffs, and the stampless ambiguous create that the engine reports instead of re-posting.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ApiRequest } from "../../provider/src/http";
import * as lifecycle from "../../provider/src/lifecycle";
import { identityProviderSpec as spec } from "../../provider/src/resources/identity-provider";
import type { Props } from "../../provider/src/values";
import { useLifecycle } from "./setup";

const SECRET = "oidc-client-secret-4f1c2a9e77";
const NEW_SECRET = "rotated-client-secret-0b3d5e8a19";
const OIDC = { issuerUrl: "https://example.okta.com", clientId: "0oa1b2c3d4", clientSecret: SECRET };
const SAML_URL = "https://idp.example.com/saml/metadata";
const SAML_XML = '<EntityDescriptor entityID="https://idp.example.com"/>';

describe("IdentityProvider lifecycle against the emulator", () => {
  const env = useLifecycle();
  let n = 0;

  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Checked inputs for a fresh resource, as the engine passes them to create. */
  const inputs = (declared: Props): Props => {
    n += 1;
    const checked = lifecycle.check(spec, {}, { ...declared, __owner: `proj/dev/idp${n}`, __instance: "instance-a" });
    expect(checked.failures).toEqual([]);
    return checked.inputs;
  };
  const oidc = (extra: Props = {}): Props => inputs({ displayName: "Okta", oidcConfig: OIDC, tenantDomains: ["example.com"], ...extra });
  const saml = (extra: Props = {}): Props => inputs({ displayName: "Corp SAML", samlConfig: { metadataUrl: SAML_URL }, ...extra });
  const changed = (news: Props, extra: Props): Props => lifecycle.check(spec, news, { ...news, ...extra }).inputs;

  /** Every IdP on the platform (the collection is small in these tests). */
  const all = async (): Promise<Props[]> => {
    const body = await env.admin.get(`/v1/accounts/${env.emulator.accountId}/identityProviders?pageSize=200`);
    return (body?.identityProviders as Props[] | undefined) ?? [];
  };
  /** The provider's own API requests, recorded on the way out. */
  const recordRequests = (): ApiRequest[] => {
    const seen: ApiRequest[] = [];
    const original = env.client.request.bind(env.client);
    vi.spyOn(env.client, "request").mockImplementation(<T>(req: ApiRequest): Promise<T> => {
      seen.push(req);
      return original<T>(req);
    });
    return seen;
  };
  const noDiff = { changes: false, replaces: [], deleteBeforeReplace: false };

  it("creates an OIDC provider under the platform's ID, and never keeps the client secret", async () => {
    const news = oidc();
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    expect(outs.name).toBe(`accounts/${env.emulator.accountId}/identityProviders/${id}`);
    expect(outs.state).toBe("READY");
    expect(outs.displayName).toBe("Okta");
    expect(outs.oidcConfig).toEqual({ issuerUrl: OIDC.issuerUrl, clientId: OIDC.clientId });
    expect(outs.issuerUrl).toBe(OIDC.issuerUrl);
    expect(outs.clientId).toBe(OIDC.clientId);
    expect(typeof outs.createTime).toBe("string");
    expect(outs.__declared).toEqual({ displayName: "Okta", oidcConfig: true, tenantDomains: ["example.com"] });
    expect(JSON.stringify(outs)).not.toContain(SECRET);
    expect(lifecycle.diff(spec, outs, news)).toEqual(noDiff);

    const read = await lifecycle.read(spec, env.ctx, id, outs);
    expect(read.id).toBe(id);
    expect(JSON.stringify(read)).not.toContain(SECRET);
    // Refresh invents no diff: the next preview compares the program's unchanged inputs with the refreshed state.
    expect(lifecycle.diff(spec, read.props ?? {}, news)).toEqual(noDiff);

    await lifecycle.remove(spec, env.ctx, id, read.props ?? {});
    expect(await lifecycle.read(spec, env.ctx, id, outs)).toEqual({});
  });

  it("updates the display name in place with one PATCH that carries nothing else", async () => {
    const news = oidc();
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    const renamed = changed(news, { displayName: "Okta SSO", enforceSso: true });
    expect(lifecycle.diff(spec, outs, renamed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const seen = recordRequests();
    const updated = await lifecycle.update(spec, env.ctx, id, outs, renamed);
    const patches = seen.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => r.body)).toEqual([{ displayName: "Okta SSO", enforceSso: true }]);
    expect(updated.outs.displayName).toBe("Okta SSO");
    expect(updated.outs.enforceSso).toBe(true);
    expect(lifecycle.diff(spec, updated.outs, renamed)).toEqual(noDiff);
    await lifecycle.remove(spec, env.ctx, id, updated.outs);
  });

  it("rotates only the client secret with one PATCH of the whole OIDC config, and shows it nowhere", async () => {
    const news = oidc();
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    const rotated = changed(news, { oidcConfig: { ...OIDC, clientSecret: NEW_SECRET } });
    const planned = lifecycle.diff(spec, outs, rotated);
    expect(planned).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(JSON.stringify(planned)).not.toContain(NEW_SECRET);

    const seen = recordRequests();
    const updated = await lifecycle.update(spec, env.ctx, id, outs, rotated);
    const patches = seen.filter((r) => r.method === "PATCH");
    expect(patches).toHaveLength(1);
    expect(patches[0]?.body).toEqual({ oidcConfig: { ...OIDC, clientSecret: NEW_SECRET } });
    expect(JSON.stringify(updated.outs)).not.toContain(NEW_SECRET);
    expect(updated.outs.__applied).not.toEqual(outs.__applied);
    // Applied: the new hash is recorded, so the next preview is clean, and going back to the old secret is a change.
    expect(lifecycle.diff(spec, updated.outs, rotated)).toEqual(noDiff);
    expect(lifecycle.diff(spec, updated.outs, news).changes).toBe(true);

    // A later change elsewhere does not resend the secret.
    seen.length = 0;
    const again = await lifecycle.update(spec, env.ctx, id, updated.outs, changed(rotated, { displayName: "Okta 2" }));
    expect(seen.filter((r) => r.method === "PATCH").map((r) => r.body)).toEqual([{ displayName: "Okta 2" }]);
    await lifecycle.remove(spec, env.ctx, id, again.outs);
  });

  it("creates, updates and deletes a SAML provider, and switches it to OIDC in place", async () => {
    const news = saml({ enableIdpInitiatedSso: true, enableJitUserProvisioning: true });
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    expect(outs.samlConfig).toEqual({ metadataUrl: SAML_URL });
    expect(outs.enableIdpInitiatedSso).toBe(true);
    // The platform fills in the documented default role; an undeclared role is not a diff.
    expect(outs.jitDefaultRole).toBe("inference-user");
    expect(lifecycle.diff(spec, outs, news)).toEqual(noDiff);

    const xml = changed(news, { samlConfig: { metadataXml: SAML_XML }, jitDefaultRole: "user" });
    const seen = recordRequests();
    const updated = await lifecycle.update(spec, env.ctx, id, outs, xml);
    expect(seen.filter((r) => r.method === "PATCH").map((r) => r.body)).toEqual([{ samlConfig: { metadataUrl: null, metadataXml: SAML_XML }, jitDefaultRole: "user" }]);
    expect(updated.outs.samlConfig).toEqual({ metadataXml: SAML_XML });
    expect(lifecycle.diff(spec, updated.outs, xml)).toEqual(noDiff);

    // OIDC has no IdP-initiated SSO: the declaration drops it, and the old SAML config is cleared with null.
    const toOidc = lifecycle.check(spec, xml, { displayName: "Corp SAML", oidcConfig: OIDC, enableJitUserProvisioning: true, jitDefaultRole: "user", __owner: xml.__owner, __instance: xml.__instance }).inputs;
    expect(lifecycle.diff(spec, updated.outs, toOidc)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    seen.length = 0;
    const switched = await lifecycle.update(spec, env.ctx, id, updated.outs, toOidc);
    expect(seen.filter((r) => r.method === "PATCH").map((r) => r.body)).toEqual([{ samlConfig: null, oidcConfig: OIDC, enableIdpInitiatedSso: false }]);
    expect(switched.outs.samlConfig).toBeUndefined();
    expect(switched.outs.oidcConfig).toEqual({ issuerUrl: OIDC.issuerUrl, clientId: OIDC.clientId });
    expect(JSON.stringify(switched.outs)).not.toContain(SECRET);
    expect(lifecycle.diff(spec, switched.outs, toOidc)).toEqual(noDiff);

    await lifecycle.remove(spec, env.ctx, id, switched.outs);
    expect(await env.admin.get(`/v1/${String(outs.name)}`)).toBeUndefined();
  });

  it("reports drift on refresh in the program's terms, and only for what drifted", async () => {
    const news = oidc();
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    const res = await fetch(`${env.emulator.url}/v1/${String(outs.name)}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${env.emulator.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ displayName: "Renamed in the console" }),
    });
    expect(res.status).toBe(200);
    const read = await lifecycle.read(spec, env.ctx, id, outs);
    expect(read.inputs?.displayName).toBe("Renamed in the console");
    expect(read.inputs?.tenantDomains).toEqual(["example.com"]);
    expect(JSON.stringify(read)).not.toContain(SECRET);
    const planned = lifecycle.diff(spec, read.props ?? {}, news);
    expect(planned).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    // Converging sends the display name back, not the secret.
    expect(lifecycle.changedApiFields(spec, read.props ?? {}, news, (read.props ?? {}).__applied)).toEqual({ displayName: "Okta" });
    await lifecycle.remove(spec, env.ctx, id, read.props ?? {});
  });

  it("keeps the client secret out of errors even when the platform echoes the request (create and update)", async () => {
    await env.admin.fault({ method: "POST", times: 1, action: { type: "status", status: 400, echo: true } });
    const createErr = await lifecycle.create(spec, env.ctx, oidc()).catch((e: unknown) => e);
    expect(createErr).toBeInstanceOf(Error);
    const createText = `${String(createErr)} ${JSON.stringify(createErr)}`;
    expect(createText).toContain("request body:");
    expect(createText).not.toContain(SECRET);
    expect(createText).not.toContain(env.emulator.apiKey);

    const news = oidc();
    const { id, outs } = await lifecycle.create(spec, env.ctx, news);
    await env.admin.fault({ method: "PATCH", times: 1, action: { type: "status", status: 400, echo: true } });
    const updateErr = await lifecycle.update(spec, env.ctx, id, outs, changed(news, { oidcConfig: { ...OIDC, clientSecret: NEW_SECRET } })).catch((e: unknown) => e);
    expect(updateErr).toBeInstanceOf(lifecycle.ResourceInitError);
    const init = updateErr as lifecycle.ResourceInitError;
    const updateText = `${init.message} ${JSON.stringify(init.properties)} ${init.reasons.join(" ")}`;
    expect(updateText).toContain("request body:");
    expect(updateText).not.toContain(NEW_SECRET);
    expect(updateText).not.toContain(SECRET);
    expect(init.properties.__declared).toEqual({ displayName: "Okta", oidcConfig: true, tenantDomains: ["example.com"] });
    await lifecycle.remove(spec, env.ctx, id, outs);
  });

  it("reports a create whose answer was lost instead of posting again: exactly one IdP exists", async () => {
    const before = (await all()).map((idp) => String(idp.name));
    await env.admin.fault({ method: "POST", times: 1, action: { type: "applyThenDrop" } });
    const seen = recordRequests();
    const err = await lifecycle.create(spec, env.ctx, oidc()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain("the outcome is unknown");
    expect(message).toContain("this kind carries no owner stamp, so the provider cannot tell whether the IdentityProvider was created");
    expect(message).toContain("check the IdentityProvider list before running `pulumi up` again, or a second one may be created");
    expect(message).not.toContain(SECRET);
    expect(seen.filter((r) => r.method === "POST")).toHaveLength(1);
    const after = await all();
    expect(after).toHaveLength(before.length + 1);
    // What the user would do by hand: find the one the lost create made, and delete it (or keep it).
    const made = after.filter((idp) => !before.includes(String(idp.name)));
    expect(made).toHaveLength(1);
    const res = await fetch(`${env.emulator.url}/v1/${String(made[0]?.name)}`, { method: "DELETE", headers: { authorization: `Bearer ${env.emulator.apiKey}` } });
    expect(res.status).toBe(200);
  });
});
