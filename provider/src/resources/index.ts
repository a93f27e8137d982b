/**
 * Every resource kind the provider knows, by the name the SDK registers it under (`fireworks:index:<Kind>`). Adding a
 * kind is a spec file and one line here; nothing in the engine changes.
 */
import type { ResourceSpec } from "../spec";
import { deploymentSpec } from "./deployment";

export const SPECS: Readonly<Record<string, ResourceSpec>> = {
  Deployment: deploymentSpec,
};
