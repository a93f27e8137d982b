/**
 * The provider resource Fireworks resources run under. It is a `pulumi-nodejs` provider (the dynamic-provider
 * host that ships inside @pulumi/pulumi), which lets resources carry their own type tokens
 * (`fireworks:index:Deployment`) instead of `pulumi-nodejs:dynamic:Resource`, and lets one program manage several
 * Fireworks accounts with explicit providers.
 */
import * as pulumi from "@pulumi/pulumi";
import { shimSource } from "./shim";

export interface ProviderArgs {
  /** Fireworks API key. Falls back to the `FIREWORKS_API_KEY` environment variable. Stored encrypted in state. */
  apiKey?: pulumi.Input<string>;
  /** Account ID (the `{account}` in `accounts/{account}/...`). Falls back to `FIREWORKS_ACCOUNT_ID`. */
  accountId?: pulumi.Input<string>;
  /**
   * API base URL, default `https://api.fireworks.ai`. Falls back to `FIREWORKS_BASE_URL`. Plain `http://` is
   * accepted only for loopback addresses (the emulator), so the key never crosses a network unencrypted.
   */
  baseUrl?: pulumi.Input<string>;
}

/**
 * An explicit Fireworks provider, e.g. for a second account:
 * `new fireworks.Deployment("d", {...}, { provider: new fireworks.Provider("prod", { accountId: "acme-prod" }) })`.
 * Resources created without one use a default provider configured from stack config (`fireworks:apiKey`,
 * `fireworks:accountId`, `fireworks:baseUrl`) and the environment.
 */
export class Provider extends pulumi.ProviderResource {
  /** Marks instances so resources can tell a Fireworks provider from any other provider option. */
  readonly isFireworksProvider = true;

  constructor(name: string, args: ProviderArgs = {}, opts?: pulumi.ResourceOptions) {
    super(
      "pulumi-nodejs",
      name,
      {
        // Keys carry the config namespace so the runtime reads them the same way as stack config.
        "fireworks:apiKey": args.apiKey === undefined ? undefined : pulumi.secret(args.apiKey),
        "fireworks:accountId": args.accountId,
        "fireworks:baseUrl": args.baseUrl,
      },
      opts,
    );
  }
}

/**
 * One default provider per program run, keyed by the run's root stack resource: an Automation API process that
 * runs preview and then up inline must not reuse a provider registered by the earlier run (its ID is unknown to
 * the later one).
 */
const defaultProviders = new WeakMap<object, Provider>();
const NO_STACK = {};

/** The provider used when a resource names none, configured from stack config. */
export function defaultFireworksProvider(): Provider {
  const run = pulumi.runtime.getStackResource() ?? NO_STACK;
  let provider = defaultProviders.get(run);
  if (!provider) {
    const config = new pulumi.Config("fireworks");
    provider = new Provider("default-fireworks", {
      apiKey: config.getSecret("apiKey"),
      accountId: config.get("accountId"),
      baseUrl: config.get("baseUrl"),
    });
    defaultProviders.set(run, provider);
  }
  return provider;
}

/** By the marker, not instanceof: a program may load two copies of this package. */
export function isFireworksProvider(value: unknown): value is Provider {
  return typeof value === "object" && value !== null && (value as { isFireworksProvider?: unknown }).isFireworksProvider === true;
}

/** Resource options with a Fireworks provider filled in: the explicit one given, else the parent's, else the default. */
export function withFireworksProvider(opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  if (opts?.provider && isFireworksProvider(opts.provider)) return opts;
  const fromParent = opts?.parent?.getProvider("pulumi-nodejs::");
  return { ...opts, provider: isFireworksProvider(fromParent) ? fromParent : defaultFireworksProvider() };
}

/**
 * Hidden outputs every kind stores as secrets. `__declared` copies the inputs as the user wrote them, and the
 * dynamic-provider host cannot tell which of them were secret (the engine restores secrecy only on outputs under an
 * input's own key), so the whole record is encrypted.
 */
export const SECRET_OUTPUTS: readonly string[] = ["__declared"];

/**
 * The hidden inputs of a resource of `kind`: the shim the engine stores as `__provider`, the owner
 * (project/stack/name) and the stack instance, the ID the engine gave this stack's Fireworks provider when it was
 * created (a random UUID kept in state), so stacks of the same name in other backends never claim each other's
 * resources. In the first preview of a stack the ID is not known yet, and derived resource IDs show as computed.
 */
export function ownerInputs(kind: string, name: string, options: pulumi.CustomResourceOptions): pulumi.Inputs {
  const provider = options.provider;
  return {
    __provider: shimSource(kind),
    __owner: `${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
    __instance: isFireworksProvider(provider) ? provider.id : undefined,
  };
}
