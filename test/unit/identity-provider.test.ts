/**
 * IdentityProvider at preview and in diffs, without the platform: the oneof rules (with preview-unknown values),
 * the write-only client secret compared by hash, and the PATCH bodies an update would send.
 */
import { describe, expect, it } from "vitest";
import { changedApiFields, check, diff } from "../../provider/src/lifecycle";
import { appliedHashes, APPLIED } from "../../provider/src/fields";
import { identityProviderSpec as spec, identityProviderUpdateBody } from "../../provider/src/resources/identity-provider";
import { UNKNOWN, type Props } from "../../provider/src/values";

const OWNER = { __owner: "proj/dev/sso", __instance: "instance-a" };
const SECRET = "oidc-client-secret-0123456789";
const NEW_SECRET = "rotated-client-secret-9876543210";
const OIDC = { issuerUrl: "https://example.okta.com", clientId: "client-1", clientSecret: SECRET };
const SAML = { metadataUrl: "https://idp.example.com/metadata" };

function run(news: Props, olds: Props = {}) {
  return check(spec, olds, { ...news, ...OWNER });
}

function reasons(news: Props): Record<string, string> {
  return Object.fromEntries(run(news).failures.map((f) => [f.property, f.reason]));
}

describe("IdentityProvider check: exactly one protocol", () => {
  it("accepts an OIDC and a SAML declaration", () => {
    expect(run({ displayName: "Okta", oidcConfig: OIDC }).failures).toEqual([]);
    expect(run({ displayName: "Okta", samlConfig: SAML, enableIdpInitiatedSso: true, tenantDomains: ["example.com"] }).failures).toEqual([]);
    expect(run({ displayName: "Okta", samlConfig: { metadataXml: "<EntityDescriptor/>" } }).failures).toEqual([]);
  });

  it("names the fix when neither config is set", () => {
    expect(run({ displayName: "Okta" }).failures).toEqual([
      {
        property: "samlConfig",
        reason: "set exactly one of samlConfig (SAML 2.0: metadataUrl or metadataXml) or oidcConfig (OpenID Connect: issuerUrl, clientId, clientSecret); neither is set",
      },
    ]);
  });

  it("names the fix when both configs are set", () => {
    expect(run({ displayName: "Okta", samlConfig: SAML, oidcConfig: OIDC }).failures).toEqual([
      {
        property: "oidcConfig",
        reason: "set exactly one of samlConfig or oidcConfig, not both: an identity provider speaks one protocol; remove samlConfig to use OIDC, or oidcConfig to use SAML",
      },
    ]);
  });

  it("counts configs whose values are unknown at preview as set", () => {
    // Both set, one wholly unknown (an output of another resource): still two protocols.
    expect(reasons({ displayName: "Okta", samlConfig: UNKNOWN, oidcConfig: OIDC }).oidcConfig).toMatch(/^set exactly one of samlConfig or oidcConfig, not both/);
    // Only the unknown one is set: a valid preview, not "neither is set".
    expect(run({ displayName: "Okta", oidcConfig: UNKNOWN }).failures).toEqual([]);
    expect(run({ displayName: UNKNOWN, samlConfig: { metadataUrl: UNKNOWN } }).failures).toEqual([]);
  });

  it("accepts an OIDC config whose client secret is unknown at preview (a secret from another resource)", () => {
    expect(run({ displayName: "Okta", oidcConfig: { ...OIDC, clientSecret: UNKNOWN } }).failures).toEqual([]);
  });

  it("requires exactly one SAML metadata source, counting unknown ones", () => {
    const both = "set exactly one of samlConfig.metadataUrl or samlConfig.metadataXml (got both); the platform reads the IdP metadata from one of them";
    const neither = "set exactly one of samlConfig.metadataUrl or samlConfig.metadataXml (got neither); the platform reads the IdP metadata from one of them";
    expect(run({ displayName: "Okta", samlConfig: { ...SAML, metadataXml: "<x/>" } }).failures).toEqual([{ property: "samlConfig", reason: both }]);
    expect(run({ displayName: "Okta", samlConfig: { ...SAML, metadataXml: UNKNOWN } }).failures).toEqual([{ property: "samlConfig", reason: both }]);
    expect(run({ displayName: "Okta", samlConfig: {} }).failures).toEqual([{ property: "samlConfig", reason: neither }]);
    // The API omits empty strings: an empty one is not a source.
    expect(run({ displayName: "Okta", samlConfig: { metadataUrl: "", metadataXml: "" } }).failures).toEqual([{ property: "samlConfig", reason: neither }]);
  });

  it("requires every OIDC field, naming each, without quoting any OIDC value", () => {
    const failures = run({ displayName: "Okta", oidcConfig: { issuerUrl: "https://example.okta.com" } }).failures;
    expect(failures).toEqual([
      { property: "oidcConfig.clientId", reason: "oidcConfig.clientId is required: set it to the client ID of the application registered at the IdP" },
      { property: "oidcConfig.clientSecret", reason: "oidcConfig.clientSecret is required: set it to that application's client secret (e.g. from `config.requireSecret`)" },
    ]);
  });

  it("never quotes the client secret in a failure, even one about the OIDC config", () => {
    const failures = run({ displayName: "Okta", oidcConfig: { issuerUrl: `http://${SECRET}.example.com`, clientId: "client-1", clientSecret: SECRET, extra: SECRET } }).failures;
    expect(failures.map((f) => f.property).sort()).toEqual(["oidcConfig.extra", "oidcConfig.issuerUrl"]);
    expect(JSON.stringify(failures)).not.toContain(SECRET);
    expect(failures.find((f) => f.property === "oidcConfig.issuerUrl")?.reason).toBe('it is not an https URL; the OIDC issuer must start with "https://"');
  });

  it("allows IdP-initiated SSO with SAML only", () => {
    expect(reasons({ displayName: "Okta", oidcConfig: OIDC, enableIdpInitiatedSso: true }).enableIdpInitiatedSso).toBe(
      "IdP-initiated SSO exists only for SAML; remove enableIdpInitiatedSso (or set it to false) with oidcConfig, or use samlConfig",
    );
    expect(run({ displayName: "Okta", oidcConfig: OIDC, enableIdpInitiatedSso: false }).failures).toEqual([]);
    expect(run({ displayName: "Okta", oidcConfig: OIDC, enableIdpInitiatedSso: UNKNOWN }).failures).toEqual([]);
  });

  it("reports the display name, role and domains together", () => {
    const got = reasons({ displayName: "x".repeat(64), oidcConfig: OIDC, jitDefaultRole: "owner", tenantDomains: ["https://example.com"] });
    expect(Object.keys(got).sort()).toEqual(["displayName", "jitDefaultRole", "tenantDomains.0"]);
    expect(got.jitDefaultRole).toBe('"owner" is not a valid jitDefaultRole; use one of: admin, user, contributor, inference-user');
    expect(got["tenantDomains.0"]).toBe('"https://example.com" is not a domain name; write it like "example.com" (lowercase, no scheme)');
    expect(reasons({ oidcConfig: OIDC }).displayName).toBe('displayName is required: set it to the name users see on the sign-in page, e.g. "Okta"');
  });
});

/** What state holds after `up` of DECLARED: the platform's resource, the applied hash, the declaration. */
function stateAfterUp(declared: Props): Props {
  const oidc = declared.oidcConfig as Props | undefined;
  return {
    name: "accounts/acme/identityProviders/ab12cd34",
    displayName: declared.displayName,
    state: "READY",
    createTime: "2025-01-01T00:00:00Z",
    ...(oidc ? { oidcConfig: { issuerUrl: oidc.issuerUrl, clientId: oidc.clientId }, issuerUrl: oidc.issuerUrl, clientId: oidc.clientId } : {}),
    ...(declared.samlConfig ? { samlConfig: declared.samlConfig } : {}),
    ...(declared.tenantDomains ? { tenantDomains: declared.tenantDomains } : {}),
    [APPLIED]: appliedHashes(spec, declared),
    __declared: { ...declared, ...(oidc ? { oidcConfig: true } : {}) },
  };
}

describe("IdentityProvider diff", () => {
  const declared: Props = { displayName: "Okta", oidcConfig: OIDC, tenantDomains: ["example.com"] };
  const olds = stateAfterUp(declared);
  const news = (extra: Props): Props => run({ ...declared, ...extra }).inputs;

  it("shows nothing when the declaration is unchanged, although the platform never returns the secret", () => {
    expect(diff(spec, olds, news({}))).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    expect(changedApiFields(spec, olds, news({}), olds[APPLIED])).toEqual({});
  });

  it("shows a changed client secret as an in-place change of oidcConfig, without the value", () => {
    const changed = news({ oidcConfig: { ...OIDC, clientSecret: NEW_SECRET } });
    const result = diff(spec, olds, changed);
    expect(result).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(JSON.stringify(result)).not.toContain(NEW_SECRET);
    expect(JSON.stringify(olds)).not.toContain(SECRET);
    // The PATCH carries the whole OIDC config, the new secret included, and nothing else.
    expect(changedApiFields(spec, olds, changed, olds[APPLIED])).toEqual({ oidcConfig: { ...OIDC, clientSecret: NEW_SECRET } });
  });

  it("sends the secret along when another part of the OIDC config changes", () => {
    const changed = news({ oidcConfig: { ...OIDC, clientId: "client-2" } });
    expect(diff(spec, olds, changed).changes).toBe(true);
    expect(changedApiFields(spec, olds, changed, olds[APPLIED])).toEqual({ oidcConfig: { ...OIDC, clientId: "client-2" } });
  });

  it("changes the display name in place, sending only it", () => {
    const changed = news({ displayName: "Okta SSO" });
    expect(diff(spec, olds, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(changedApiFields(spec, olds, changed, olds[APPLIED])).toEqual({ displayName: "Okta SSO" });
  });

  it("switches from OIDC to SAML in place, clearing the other half of the oneof with null", () => {
    const changed = run({ displayName: "Okta", samlConfig: SAML, tenantDomains: ["example.com"] }).inputs;
    expect(diff(spec, olds, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(changedApiFields(spec, olds, changed, olds[APPLIED])).toEqual({ samlConfig: SAML, oidcConfig: null });
  });

  it("treats an undeclared role as the documented default, and undeclared domains as the platform's choice", () => {
    const server = { ...olds, enableJitUserProvisioning: true, jitDefaultRole: "inference-user", tenantDomains: ["derived.example"] };
    const jit = { displayName: "Okta", oidcConfig: OIDC, enableJitUserProvisioning: true };
    expect(diff(spec, server, run(jit).inputs).changes).toBe(false);
    expect(diff(spec, server, run({ ...jit, jitDefaultRole: "inference-user" }).inputs).changes).toBe(false);
    expect(changedApiFields(spec, server, run({ ...jit, jitDefaultRole: "admin" }).inputs, olds[APPLIED])).toEqual({ jitDefaultRole: "admin" });
  });

  it("shows a change when the secret's value is not known yet at preview", () => {
    expect(diff(spec, olds, news({ oidcConfig: { ...OIDC, clientSecret: UNKNOWN } })).changes).toBe(true);
  });

  it("replaces a config as a whole in the PATCH body: undeclared keys go as null so the body-derived mask clears them", () => {
    expect(identityProviderUpdateBody({ samlConfig: { metadataXml: "<x/>" }, displayName: "A" })).toEqual({ samlConfig: { metadataUrl: null, metadataXml: "<x/>" }, displayName: "A" });
    expect(identityProviderUpdateBody({ samlConfig: null, oidcConfig: OIDC })).toEqual({ samlConfig: null, oidcConfig: OIDC });
    expect(identityProviderUpdateBody({ enforceSso: true })).toEqual({ enforceSso: true });
  });
});
