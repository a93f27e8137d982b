import * as pulumi from "@pulumi/pulumi";
import type { DESTROY_ROLES, USER_ROLES, UserInputs } from "../provider/src/resources/user";
import { USER } from "./kinds";
import { FireworksResource } from "./resource";

/** A user's role: "admin", "user", "contributor", "inference-user", or "custom" (permissions from permissionPreset). */
export type UserRole = (typeof USER_ROLES)[number];
/** A role destroy can lower a user to (not "custom", which would need a preset). */
export type DestroyRole = (typeof DESTROY_ROLES)[number];

/** Arguments of a {@link User}. Names follow the Fireworks API (camelCase). */
export interface UserArgs {
  /**
   * The user ID (the last segment of `accounts/{account}/users/{id}`): 1-63 characters of a-z, 0-9 and "-", starting
   * with a letter. Omit it to have one derived from the resource name. A change replaces the user (the old one is
   * left on the platform: users cannot be deleted over the API).
   */
  userId?: pulumi.Input<string>;
  /**
   * The address a person signs in with. Required unless `serviceAccount` is true. Cannot change: a change replaces
   * the user, and the old one is left on the platform.
   */
  email?: pulumi.Input<string>;
  /**
   * True for a service account (a non-human user for automation; it holds API keys and appears in audit logs as
   * `<id>@<account>.sa.fireworks.ai`). Default false. Cannot change: a change replaces the user.
   */
  serviceAccount?: pulumi.Input<boolean>;
  /** The user's role: "admin", "user", "contributor", "inference-user" or "custom". Required; changes in place. */
  role: pulumi.Input<UserRole>;
  /** Human-readable name; fewer than 64 characters. Changes in place. */
  displayName?: pulumi.Input<string>;
  /** The permission preset that governs a user whose role is "custom"; only valid with that role. Changes in place. */
  permissionPreset?: pulumi.Input<string>;
  /**
   * The Fireworks REST API cannot delete users, so destroy leaves the user on the platform and prints a warning. Set
   * this (e.g. "inference-user") to have destroy lower the user's role to it first. Never sent at create or update.
   */
  roleOnDestroy?: pulumi.Input<DestroyRole>;
}

/** The platform's explanation of the user's state (Fireworks `Status`). */
export interface UserStatus {
  code?: string;
  message?: string;
}

/**
 * A Fireworks user of the account: a person or a service account. Role, display name and permission preset change
 * in place; email, serviceAccount and userId replace. Only admins can manage users. The public API cannot delete
 * users: `pulumi destroy` leaves the user on the platform (optionally with its role lowered by `roleOnDestroy`) and
 * prints a warning naming it.
 *
 * ```ts
 * const ci = new fireworks.User("ci", { serviceAccount: true, role: "user", roleOnDestroy: "inference-user" });
 * const key = new fireworks.ApiKey("ci-key", { user: ci.name });
 * ```
 */
export class User extends FireworksResource {
  static readonly __pulumiType = "fireworks:index:User";

  /** Full resource name, `accounts/{account}/users/{id}`: what an {@link ApiKey}'s `user` takes. */
  declare readonly name: pulumi.Output<string>;
  /** The user ID (given or derived). */
  declare readonly userId: pulumi.Output<string>;
  /** CREATING, READY, UPDATING or DELETING. */
  declare readonly state: pulumi.Output<string | undefined>;
  declare readonly status: pulumi.Output<UserStatus | undefined>;
  declare readonly createTime: pulumi.Output<string>;
  declare readonly updateTime: pulumi.Output<string | undefined>;
  declare readonly email: pulumi.Output<string | undefined>;
  declare readonly serviceAccount: pulumi.Output<boolean | undefined>;
  declare readonly role: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string | undefined>;
  declare readonly permissionPreset: pulumi.Output<string | undefined>;
  declare readonly roleOnDestroy: pulumi.Output<string | undefined>;

  constructor(name: string, args: UserArgs, opts?: pulumi.CustomResourceOptions) {
    super(USER, name, args, opts);
  }
}

// Compile-time guard: the SDK arguments and the provider's schema name exactly the same properties.
type Missing<A, B> = Exclude<keyof A, keyof B>;
type SameKeys<A, B> = [Missing<A, B>, Missing<B, A>] extends [never, never] ? true : { onlyInFirst: Missing<A, B>; onlyInSecond: Missing<B, A> };
const argsMatchSchema: SameKeys<UserArgs, UserInputs> = true;
void argsMatchSchema;
