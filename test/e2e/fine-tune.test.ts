/**
 * The fine-tune example through the real engine: a dataset uploaded from the repository, a supervised fine-tune on
 * it, the adapter it produced loaded onto a deployment with addons, and a batch run of the fine-tuned model. A second
 * preview is empty; editing the training file replaces the dataset, the job and what consumes the new model, and
 * nothing else; destroy removes everything the stack created (the models the jobs produced stay, as documented).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../support/admin";
import { StackHarness } from "./harness";

describe("fine-tune example end to end (real engine, emulator)", () => {
  let emulator: Emulator;
  let admin: EmulatorAdmin;
  let stack: StackHarness;
  const list = async (collection: string): Promise<Record<string, unknown>[]> =>
    ((await admin.get(`/v1/accounts/${emulator.accountId}/${collection}?pageSize=200`))?.[collection] as Record<string, unknown>[] | undefined) ?? [];

  beforeAll(async () => {
    emulator = await startEmulator();
    admin = new EmulatorAdmin(emulator);
    stack = new StackHarness("fine-tune", { FIREWORKS_BASE_URL: emulator.url, FIREWORKS_ACCOUNT_ID: emulator.accountId, FIREWORKS_API_KEY: emulator.apiKey });
  });

  afterAll(async () => {
    stack?.cleanup();
    await emulator?.close();
  });

  it("trains, loads the adapter, evaluates, and then previews no changes", async () => {
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    const model = String(up.outputs?.fineTunedModel?.value);
    expect(model).toMatch(/^accounts\/emulator\/models\//);
    expect(String(up.outputs?.adapterInferenceModel?.value)).toMatch(new RegExp(`^${model}#accounts/emulator/deployments/`));
    expect((await list("deployedModels")).map((d) => d.state)).toEqual(["DEPLOYED"]);
    expect((await list("supervisedFineTuningJobs")).map((j) => j.state)).toEqual(["JOB_STATE_COMPLETED"]);
    expect((await list("batchInferenceJobs")).map((j) => j.state)).toEqual(["JOB_STATE_COMPLETED"]);
    const again = await stack.run({ op: "preview", expectNoChanges: true });
    expect(again.ok, again.error).toBe(true);
  });

  it("shows that editing the training data replaces the dataset, the job and what uses its model, and nothing else", async () => {
    const file = path.join(stack.programDir, "data", "train.jsonl");
    fs.appendFileSync(file, `${JSON.stringify({ messages: [{ role: "user", content: "Do you have an API?" }, { role: "assistant", content: "Yes: see Settings, then API keys." }] })}\n`);
    const preview = await stack.run({ op: "preview" });
    expect(preview.ok, preview.error).toBe(true);
    const changed = [...new Set(preview.steps.filter((s) => s.op !== "same").map((s) => `${s.type.replace("fireworks:index:", "")} ${s.name}`))].sort();
    expect(changed).toEqual([
      "BatchInferenceJob support-eval",
      "Dataset support-chats",
      "DeployedModel support-adapter",
      "SupervisedFineTuningJob support-sft",
    ]);
    const up = await stack.run({ op: "up" });
    expect(up.ok, up.error).toBe(true);
    expect((await list("deployedModels")).map((d) => d.state)).toEqual(["DEPLOYED"]);
    expect(await list("deployments")).toHaveLength(1);
    expect(await list("datasets")).toHaveLength(2);
  });

  it("destroys everything the stack created", async () => {
    const destroy = await stack.run({ op: "destroy" });
    expect(destroy.ok, destroy.error).toBe(true);
    for (const collection of ["deployedModels", "deployments", "datasets", "supervisedFineTuningJobs", "batchInferenceJobs"]) {
      expect(await list(collection), collection).toEqual([]);
    }
  });
});
