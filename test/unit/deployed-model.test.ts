/**
 * DeployedModel at preview and in diffs, without the platform: the resource-name checks on `model` and `deployment`
 * (exact messages, unknown values deferred), what replaces and what updates in place, and the create query flag.
 */
import { describe, expect, it } from "vitest";
import { changedApiFields, check, diff } from "../../provider/src/lifecycle";
import { deployedModelSpec as spec } from "../../provider/src/resources/deployed-model";
import { UNKNOWN, type Props } from "../../provider/src/values";

const OWNER = { __owner: "proj/dev/lora", __instance: "instance-a" };
const MODEL = "accounts/acme/models/support-lora";
const DEPLOYMENT = "accounts/acme/deployments/serve";
const NAME = "accounts/acme/deployedModels/ab12cd34";

function failures(news: Props): { property: string; reason: string }[] {
  return check(spec, {}, { model: MODEL, deployment: DEPLOYMENT, ...news, ...OWNER }).failures;
}

/** Recorded outputs of a load as the platform returned it (DEPLOYED, `default` set by the platform). */
function outputsOf(news: Props): Props {
  return { name: NAME, state: "DEPLOYED", default: true, model: MODEL, deployment: DEPLOYMENT, ...news };
}

const checked = (news: Props): Props => check(spec, {}, { model: MODEL, deployment: DEPLOYMENT, ...news, ...OWNER }).inputs;

describe("DeployedModel check", () => {
  it("accepts a load by resource names", () => {
    expect(failures({ displayName: "Support", description: "v3", public: true, default: false, replaceMergedAddon: true, timeouts: { create: "5m" } })).toEqual([]);
  });

  it("requires model and deployment, naming the fix", () => {
    expect(check(spec, {}, { ...OWNER }).failures).toEqual([
      { property: "model", reason: 'model is required: set it to the LoRA addon model\'s resource name, e.g. job.outputModel ("accounts/{account}/models/{model}")' },
      {
        property: "deployment",
        reason: 'deployment is required: set it to the resource name of a deployment with enableAddons: true, e.g. deployment.name ("accounts/{account}/deployments/{deployment}")',
      },
    ]);
  });

  it("refuses a model that is not a model resource name, with property, value and fix", () => {
    expect(failures({ model: "support-lora" })).toEqual([
      {
        property: "model",
        reason:
          'model "support-lora" is not a model resource name; write the addon model\'s resource name, "accounts/{account}/models/{model}" (e.g. a fine-tuning job\'s outputModel or a Model\'s name)',
      },
    ]);
    expect(failures({ model: DEPLOYMENT, deployment: DEPLOYMENT })).toEqual([
      {
        property: "model",
        reason:
          'model "accounts/acme/deployments/serve" names a deployment, not a model; write the addon model\'s resource name, "accounts/{account}/models/{model}" (e.g. a fine-tuning job\'s outputModel or a Model\'s name), and put the deployment in deployment',
      },
    ]);
    expect(failures({ model: `${MODEL}#${DEPLOYMENT}` })[0]?.reason).toBe(
      'model "accounts/acme/models/support-lora#accounts/acme/deployments/serve" is an inference address ("<model>#<deployment>"), not a model; write the addon model\'s resource name, "accounts/{account}/models/{model}" (e.g. a fine-tuning job\'s outputModel or a Model\'s name), and the deployment in deployment',
    );
  });

  it("refuses a deployment that is not a deployment resource name, e.g. its inferenceModel", () => {
    expect(failures({ deployment: "serve" })).toEqual([
      {
        property: "deployment",
        reason: 'deployment "serve" is not a deployment resource name; write the deployment\'s resource name, "accounts/{account}/deployments/{deployment}" (e.g. deployment.name)',
      },
    ]);
    expect(failures({ deployment: `accounts/fireworks/models/llama#${DEPLOYMENT}` })).toEqual([
      {
        property: "deployment",
        reason:
          'deployment "accounts/fireworks/models/llama#accounts/acme/deployments/serve" is an inference address ("<model>#<deployment>"), not a deployment; write the deployment\'s resource name, "accounts/{account}/deployments/{deployment}" (e.g. deployment.name), not its inferenceModel',
      },
    ]);
    expect(failures({ deployment: MODEL })).toEqual([
      {
        property: "deployment",
        reason:
          'deployment "accounts/acme/models/support-lora" names a model, not a deployment; write the deployment\'s resource name, "accounts/{account}/deployments/{deployment}" (e.g. deployment.name), and put the model in model',
      },
    ]);
  });

  it("reports every problem at once, and checks names that are unknown at preview once they are known", () => {
    expect(failures({ model: "m", deployment: "d", displayName: "x".repeat(64) }).map((f) => f.property)).toEqual(["displayName", "model", "deployment"]);
    // A fine-tuning job's outputModel and a deployment's name are outputs of other resources during a first preview.
    expect(failures({ model: UNKNOWN, deployment: UNKNOWN })).toEqual([]);
  });

  it("rejects serverless, which does not apply to a LoRA addon", () => {
    expect(failures({ serverless: false })).toEqual([{ property: "serverless", reason: 'unknown property "serverless"' }]);
  });
});

describe("DeployedModel diff", () => {
  const news = checked({ displayName: "Support" });
  const olds = outputsOf({ displayName: "Support" });

  it("shows no diff for what the platform decided (default on the first load)", () => {
    expect(diff(spec, olds, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("replaces on a new model or deployment, loading the new one before unloading the old", () => {
    expect(diff(spec, olds, checked({ displayName: "Support", model: "accounts/acme/models/support-lora-v2" }))).toEqual({
      changes: true,
      replaces: ["model"],
      deleteBeforeReplace: false,
    });
    expect(diff(spec, olds, checked({ displayName: "Support", deployment: "accounts/acme/deployments/other" }))).toEqual({
      changes: true,
      replaces: ["deployment"],
      deleteBeforeReplace: false,
    });
    // A replace-forcing value from another resource, unknown at preview, is a planned replacement.
    expect(diff(spec, olds, checked({ displayName: "Support", model: UNKNOWN })).replaces).toEqual(["model"]);
  });

  it("updates metadata in place with a sparse PATCH of what differs", () => {
    const changed = checked({ displayName: "Support v2", public: true, default: false });
    expect(diff(spec, olds, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(changedApiFields(spec, olds, changed)).toEqual({ displayName: "Support v2", public: true, default: false });
    // Removing a declared description resets it to the API's zero value.
    expect(changedApiFields(spec, outputsOf({ displayName: "Support", description: "old" }), news)).toEqual({ description: "" });
  });

  it("sends replaceMergedAddon with the load only, as a query flag", () => {
    expect(spec.api.createQuery?.(checked({ replaceMergedAddon: true }))).toEqual({ replaceMergedAddon: true });
    expect(spec.api.createQuery?.(checked({}))).toEqual({ replaceMergedAddon: undefined });
    const flagged = checked({ displayName: "Support", replaceMergedAddon: true });
    expect(diff(spec, { ...olds, replaceMergedAddon: true }, flagged)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // Changing it later is recorded but neither replaces nor reaches the API.
    expect(diff(spec, olds, flagged)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(changedApiFields(spec, olds, flagged)).toEqual({});
  });

  it("reads the platform's ID from the name and outputs the inference address", () => {
    expect(spec.identity.kind === "server" && spec.identity.idOf({ name: NAME })).toBe("ab12cd34");
    expect(spec.derivedOutputs?.(olds, { accountId: "acme", apiKey: "k", baseUrl: "http://x" })).toEqual({ inferenceModel: `${MODEL}#${DEPLOYMENT}` });
  });

  it("shows where a load stands while up waits, with the platform's reason when it is stuck", () => {
    expect(spec.progress?.({ state: "DEPLOYING", deployment: DEPLOYMENT }, {})).toBe(`DEPLOYING onto ${DEPLOYMENT}`);
    expect(spec.progress?.({ state: "DEPLOYING", deployment: DEPLOYMENT, status: { code: "FAILED_PRECONDITION", message: "deployment gone" } }, {})).toBe(
      `DEPLOYING onto ${DEPLOYMENT}: FAILED_PRECONDITION: deployment gone`,
    );
  });
});
