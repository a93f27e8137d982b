import * as pulumi from "@pulumi/pulumi";
import * as fireworks from "pulumi-fireworks";

const config = new pulumi.Config();

// A service account for the CI pipeline, and an API key for it. Bump `keyRotation` to rotate the key: the new key
// is created before the old one is deleted, so consumers never see a gap.
const ci = new fireworks.User("ci", {
  serviceAccount: true,
  userId: "ci-deployer",
  role: "user",
  displayName: "CI deployer",
});
const ciKey = new fireworks.ApiKey("ci-key", {
  user: ci.name,
  displayName: "CI deploy key",
  keepers: { rotation: config.get("keyRotation") ?? "2026-12" },
});

// A secret that fine-tuning jobs read. The value never comes back from the API; a changed value still shows in
// preview (as [secret]).
const wandb = new fireworks.Secret("wandb", {
  keyName: "WANDB_API_KEY",
  value: config.requireSecret("wandbApiKey"),
});

// Single sign-on through OIDC.
const sso = new fireworks.IdentityProvider("sso", {
  displayName: "Acme SSO",
  oidcConfig: {
    issuerUrl: "https://login.acme.example",
    clientId: "fireworks-console",
    clientSecret: config.requireSecret("oidcClientSecret"),
  },
  tenantDomains: ["acme.example"],
});

// The account's monthly spend budget. Destroy leaves the quota as it is (quotas cannot be deleted).
const spend = new fireworks.Quota("monthly-spend", {
  quotaId: "monthly-spend-usd",
  value: Number(config.get("monthlySpendUsd") ?? "2000"),
});

export const serviceAccount = ci.name;
export const ciKeyId = ciKey.keyId;
// Hand this to the CI system's secret store; it is stored encrypted and shown only with --show-secrets.
export const ciApiKey = ciKey.key;
export const wandbSecret = wandb.name;
export const identityProvider = sso.name;
export const monthlySpendLimit = spend.value;
