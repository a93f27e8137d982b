/**
 * What every Fireworks resource class shares, driven by one declaration per kind (sdk/kinds.ts): which inputs are
 * stored as secrets, which properties are outputs only, which outputs are secret. Nothing is listed twice, so a
 * kind cannot forget to mark a secret: the declaration is walked by a test against the provider's spec.
 */
import * as pulumi from "@pulumi/pulumi";
import { INPUTS } from "./inputs";
import type { KindDeclaration } from "./kinds";
import { ownerInputs, SECRET_OUTPUTS, withFireworksProvider } from "./provider";

export abstract class FireworksResource extends pulumi.CustomResource {
  protected constructor(declaration: KindDeclaration, name: string, args: object, opts?: pulumi.CustomResourceOptions) {
    const options = withFireworksProvider(opts);
    const props: pulumi.Inputs = { ...(args as pulumi.Inputs) };
    for (const key of declaration.secretInputs) if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
    // Every argument is also an output (the platform's view of it), declared or not; output-only properties too.
    for (const key of [...(INPUTS[declaration.kind] ?? []), ...declaration.outputs]) if (!(key in props)) props[key] = undefined;
    Object.assign(props, ownerInputs(declaration.kind, name, options));
    super(`fireworks:index:${declaration.kind}`, name, props, {
      ...options,
      additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS, ...declaration.secretInputs, ...declaration.secretOutputs],
    });
  }
}
