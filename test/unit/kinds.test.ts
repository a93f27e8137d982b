/**
 * The SDK's declarations against the provider's specs, for every kind: a secret input, a secret output or a kind
 * itself cannot be forgotten on one side.
 */
import { describe, expect, it } from "vitest";
import { SPECS } from "../../provider/src/resources";
import * as fireworks from "../../sdk";
import { INPUTS } from "../../sdk/inputs";
import { KINDS } from "../../sdk/kinds";

describe("SDK declarations match the provider's specs", () => {
  it("declares exactly the kinds the provider registers", () => {
    expect(KINDS.map((k) => k.kind).sort()).toEqual(Object.keys(SPECS).sort());
  });

  it.each(KINDS.map((k) => [k.kind, k] as const))("%s: exports a resource class", (kind) => {
    expect(typeof (fireworks as Record<string, unknown>)[kind]).toBe("function");
  });

  it.each(KINDS.map((k) => [k.kind, k] as const))("%s: stores every secret or write-only input as a secret", (kind, declaration) => {
    const spec = SPECS[kind]!;
    const secretFields = Object.entries(spec.fields)
      .filter(([, f]) => f.secret === true || f.writeOnly !== undefined)
      .map(([k]) => k)
      .sort();
    expect([...declaration.secretInputs].sort()).toEqual(secretFields);
  });

  it.each(KINDS.map((k) => [k.kind, k] as const))("%s: marks every create-only output secret and lists outputs that are not inputs", (kind, declaration) => {
    const spec = SPECS[kind]!;
    for (const key of spec.createOnlyOutputs ?? []) expect(declaration.secretOutputs).toContain(key);
    for (const key of declaration.outputs) expect(Object.keys(spec.fields)).not.toContain(key);
  });

  it.each(KINDS.map((k) => [k.kind, k] as const))("%s: registers every input, so each argument is an output even when undeclared (sdk/inputs.ts; regenerate with scripts/generate-inputs.mjs)", (kind) => {
    expect(INPUTS[kind]).toEqual(Object.keys(SPECS[kind]!.fields));
  });
});
