/**
 * Secrets through the real engine: every value a program marks secret, and both ways of giving the API key (stack
 * config and an explicit provider), must appear nowhere in clear: not in the state file, not in `pulumi stack
 * export`, not in the engine's output or diagnostics, after up, after refresh and in a diff preview.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator";
import { EmulatorAdmin } from "../support/admin";
import { StackHarness } from "./harness";
import { LLAMA_8B } from "./program";

const TIMINGS = { deploymentCreateMs: 200, deploymentUpdateMs: 100, deploymentDeleteMs: 100 };
const LITERALS = {
  configKey: "config-key-LITERAL-6d1f0a",
  explicitKey: "explicit-key-LITERAL-93be27",
  hotLoadBucketUrl: "s3://hotload-LITERAL-4c2d81/path",
  annotationToken: "annotation-LITERAL-7e5a90",
  routeKey: "route-key-LITERAL-1b8c3f",
  description: "description-LITERAL-2f9d64",
};

function program(explicitUrl: string, explicitAccount: string): string {
  return `import * as pulumi from "@pulumi/pulumi";
import * as fireworks from "pulumi-fireworks";

// Default provider: the key comes from stack config (fireworks:apiKey, set as a secret).
const viaConfig = new fireworks.Deployment("via-config", {
  baseModel: ${JSON.stringify(LLAMA_8B)},
  maxReplicaCount: 1,
  hotLoadBucketUrl: pulumi.secret(${JSON.stringify(LITERALS.hotLoadBucketUrl)}),
  annotations: { team: "search", token: pulumi.secret(${JSON.stringify(LITERALS.annotationToken)}) },
  directRouteApiKeys: [${JSON.stringify(LITERALS.routeKey)}],
});

// An explicit provider for a second account, its key written in the program as plain text (the SDK encrypts it).
const second = new fireworks.Provider("second-account", {
  apiKey: ${JSON.stringify(LITERALS.explicitKey)},
  accountId: ${JSON.stringify(explicitAccount)},
  baseUrl: ${JSON.stringify(explicitUrl)},
});
const viaProvider = new fireworks.Deployment("via-provider", {
  baseModel: ${JSON.stringify(LLAMA_8B)},
  maxReplicaCount: 1,
  description: pulumi.secret(${JSON.stringify(LITERALS.description)}),
}, { provider: second });

export const names = [viaConfig.name, viaProvider.name];
`;
}

describe("secrets stay encrypted (real engine, emulator)", () => {
  let first: Emulator;
  let second: Emulator;
  let stack: StackHarness;
  let config: Record<string, { value: string; secret?: boolean }>;

  /** Every place a literal could leak to, for one set of runs. */
  const leaks = (texts: string[]): string[] => {
    const all = texts.join("\n");
    return Object.entries(LITERALS).filter(([, literal]) => all.includes(literal)).map(([what]) => what);
  };

  beforeAll(async () => {
    first = await startEmulator({ apiKey: LITERALS.configKey, timings: TIMINGS });
    second = await startEmulator({ apiKey: LITERALS.explicitKey, accountId: "second-account", timings: TIMINGS });
    config = {
      "fireworks:baseUrl": { value: first.url },
      "fireworks:accountId": { value: first.accountId },
      "fireworks:apiKey": { value: LITERALS.configKey, secret: true },
    };
    stack = new StackHarness("quickstart", {});
    stack.writeProgram(program(second.url, second.accountId));
  });

  afterAll(async () => {
    stack?.cleanup();
    await first?.close();
    await second?.close();
  });

  it("keeps every secret out of state, export and output through up, refresh, a diff preview and destroy", async () => {
    const runs = await stack.runAll([
      { op: "up", config, diff: true },
      { op: "export" },
      { op: "refresh" },
      { op: "preview", diff: true, expectNoChanges: true },
    ]);
    for (const run of runs) expect(run.ok, run.error).toBe(true);
    const [up, exported, refresh, preview] = runs;
    // The secrets really reached the platform, so a leak would have had something to leak.
    const live = (await new EmulatorAdmin(first).deployments())[0];
    expect(live?.hotLoadBucketUrl).toBe(LITERALS.hotLoadBucketUrl);
    expect((await new EmulatorAdmin(second).deployments())[0]?.description).toBe(LITERALS.description);

    const state = stack.stateFileText();
    expect(state).toContain('"__declared"');
    expect(leaks([state])).toEqual([]);
    expect(leaks([JSON.stringify(exported?.deployment)])).toEqual([]);
    const output = [up, refresh, preview].flatMap((r) => [r?.stdout ?? "", ...(r?.diagnostics ?? []), r?.error ?? ""]);
    expect(leaks(output)).toEqual([]);

    const destroy = await stack.run({ op: "destroy" });
    expect(destroy.ok, destroy.error).toBe(true);
    expect(leaks([destroy.stdout, ...destroy.diagnostics])).toEqual([]);
  });
});
