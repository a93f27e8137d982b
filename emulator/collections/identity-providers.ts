import type { CollectionModule, EmulatorContext, RouteEntry } from "../core/context";
import { RESOURCE_STATES, USER_ROLES } from "../core/enums";
import { invalidArgument } from "../core/errors";
import { getObject, getString, type JsonObject } from "../core/json";
import type { Router } from "../core/router";
import { STATUS_SCHEMA, t, type MessageSchema } from "../core/schema";
import { StandardCollection } from "../core/standard";

// Identity providers (reference §11): server-generated IDs, exactly one of samlConfig / oidcConfig, the OIDC client
// secret accepted but never returned.

const SAML_SCHEMA: MessageSchema = {
  name: "gateway.SamlConfig",
  fields: { metadataUrl: { type: t.string }, metadataXml: { type: t.string } },
};

const OIDC_SCHEMA: MessageSchema = {
  name: "gateway.OidcConfig",
  fields: {
    issuerUrl: { type: t.string },
    clientId: { type: t.string },
    // Write-only: whether the real API masks it is UNKNOWN (§11); returning a credential is the worse mistake.
    clientSecret: { type: t.string, inputOnly: true },
  },
};

export const IDENTITY_PROVIDER_SCHEMA: MessageSchema = {
  name: "gateway.IdentityProvider",
  fields: {
    name: { type: t.string, output: true },
    displayName: { type: t.string },
    createTime: { type: t.timestamp, output: true },
    updateTime: { type: t.timestamp, output: true },
    samlConfig: { type: t.message(SAML_SCHEMA) },
    oidcConfig: { type: t.message(OIDC_SCHEMA) },
    tenantDomains: { type: t.repeated(t.string) },
    state: { type: t.enumOf(RESOURCE_STATES), output: true },
    status: { type: t.message(STATUS_SCHEMA), output: true },
    domainUrl: { type: t.string, output: true },
    issuerUrl: { type: t.string, output: true },
    clientId: { type: t.string, output: true },
    enableJitUserProvisioning: { type: t.bool },
    jitDefaultRole: { type: t.string },
    enforceSso: { type: t.bool },
    enableIdpInitiatedSso: { type: t.bool },
  },
};

/** jitDefaultRole: "admin","user","contributor","inference-user" (custom needs a preset, which JIT cannot give). */
const JIT_ROLES: readonly string[] = USER_ROLES.filter((r) => r !== "custom");

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function httpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "";
  } catch {
    return false;
  }
}

/** Every violation at once, each naming the field and what is wrong with it. */
function violations(idp: JsonObject): string[] {
  const out: string[] = [];
  const displayName = getString(idp, "displayName");
  if (displayName === "") out.push("identity_provider.display_name: value is required");
  if ([...displayName].length > 63) out.push("identity_provider.display_name: value length must be at most 63 characters");
  const saml = getObject(idp, "samlConfig");
  const oidc = getObject(idp, "oidcConfig");
  if ((saml === undefined) === (oidc === undefined)) {
    out.push("identity_provider: exactly one of saml_config or oidc_config must be set (oneof config)");
  }
  if (saml) {
    const url = getString(saml, "metadataUrl");
    const xml = getString(saml, "metadataXml");
    if ((url === "") === (xml === "")) out.push("identity_provider.saml_config: Exactly one of metadata_url or metadata_xml must be provided.");
    if (url !== "" && !httpsUrl(url)) out.push(`identity_provider.saml_config.metadata_url: "${url}" is not an https URL`);
    if (xml !== "" && !xml.trimStart().startsWith("<")) out.push("identity_provider.saml_config.metadata_xml: is not XML");
  }
  if (oidc) {
    const issuer = getString(oidc, "issuerUrl");
    if (issuer === "") out.push("identity_provider.oidc_config.issuer_url: value is required");
    else if (!httpsUrl(issuer)) out.push(`identity_provider.oidc_config.issuer_url: "${issuer}" is not an https URL`);
    if (getString(oidc, "clientId") === "") out.push("identity_provider.oidc_config.client_id: value is required");
    if (getString(oidc, "clientSecret") === "") out.push("identity_provider.oidc_config.client_secret: value is required");
  }
  const domains = Array.isArray(idp["tenantDomains"]) ? idp["tenantDomains"] : [];
  for (const domain of domains) {
    if (typeof domain !== "string" || !DOMAIN.test(domain)) out.push(`identity_provider.tenant_domains: "${String(domain)}" is not a domain name like example.com`);
  }
  if (new Set(domains.map(String)).size !== domains.length) out.push("identity_provider.tenant_domains: values must be unique");
  const role = getString(idp, "jitDefaultRole");
  if (role !== "" && !JIT_ROLES.includes(role)) out.push(`identity_provider.jit_default_role: "${role}" is not one of ${JIT_ROLES.join(", ")}`);
  // "SAML only".
  if (idp["enableIdpInitiatedSso"] === true && !saml) out.push("identity_provider.enable_idp_initiated_sso: only valid with saml_config");
  return out;
}

function validate(idp: JsonObject): void {
  const problems = violations(idp);
  if (problems.length > 0) throw invalidArgument(`validation error: ${problems.join("; ")}`);
}

/** The top-level echoes of the OIDC settings ("The OIDC issuer URL.", "The OIDC client ID."), kept in step. */
function deriveOutputs(idp: JsonObject): void {
  const oidc = getObject(idp, "oidcConfig");
  for (const key of ["issuerUrl", "clientId"]) {
    const value = oidc ? getString(oidc, key) : "";
    if (value === "") delete idp[key];
    else idp[key] = value;
  }
  // "default \"inference-user\"" once JIT provisioning is on.
  if (idp["enableJitUserProvisioning"] === true && getString(idp, "jitDefaultRole") === "") idp["jitDefaultRole"] = "inference-user";
}

export class IdentityProviders implements CollectionModule {
  private readonly std: StandardCollection;

  constructor(ctx: EmulatorContext) {
    this.std = new StandardCollection(ctx, {
      collectionId: "identityProviders",
      singular: "identityProvider",
      schema: IDENTITY_PROVIDER_SCHEMA,
      parent: { kind: "account" },
      idParam: "identityProviderId",
      id: { from: "server" },
      methods: {
        create: {},
        list: { query: ["pageSize", "pageToken", "filter", "orderBy", "readMask"] },
        get: { query: ["readMask"] },
        update: { query: ["updateMask"] },
        // "DELETE accepts a (meaningless) readMask query".
        delete: { query: ["readMask"] },
      },
      update: { mode: "mask", updateMask: true },
      list: {
        filter: { name: { key: "name" }, displayName: { key: "displayName" }, display_name: { key: "displayName" } },
        order: {
          name: { key: "name" },
          display_name: { key: "displayName" },
          displayName: { key: "displayName" },
          create_time: { key: "createTime", timestamp: true },
          createTime: { key: "createTime", timestamp: true },
        },
        defaultOrder: "name",
      },
      hooks: {
        prepare: (draft) => {
          validate(draft);
          deriveOutputs(draft);
        },
        created: (entry) => {
          entry.resource["state"] = "READY";
        },
        validateUpdate: (after) => {
          validate(after);
          deriveOutputs(after);
        },
      },
    });
  }

  registerApi(router: Router<RouteEntry>): void {
    this.std.register(router);
  }

  registerAdmin(): void {
    // No control routes: identity providers are managed through the API.
  }

  reset(): void {
    this.std.reset();
  }
}
