/**
 * Provider configuration: stack config `fireworks:apiKey` (secret), `fireworks:accountId`, `fireworks:baseUrl`,
 * falling back to FIREWORKS_API_KEY, FIREWORKS_ACCOUNT_ID, FIREWORKS_BASE_URL (the names Fireworks' own SDK reads).
 * Resolved at call time, never at module load, so destroy and refresh see the current configuration.
 */
import { ConfigError, redact } from "./errors";
import { idProblem } from "./ids";

export const DEFAULT_BASE_URL = "https://api.fireworks.ai";
export const CONFIG_KEYS = { apiKey: "fireworks:apiKey", accountId: "fireworks:accountId", baseUrl: "fireworks:baseUrl" } as const;

export interface ProviderConfig {
  baseUrl: string;
  accountId: string;
  apiKey: string;
}

export interface ConfigSource {
  get(key: string): string | undefined;
}

export function resolveConfig(source: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ProviderConfig {
  const pick = (key: string, envName: string): string | undefined => {
    const fromConfig = source?.get(key);
    if (fromConfig !== undefined && fromConfig !== "") return fromConfig;
    const fromEnv = env[envName];
    return fromEnv === undefined || fromEnv === "" ? undefined : fromEnv;
  };
  const apiKey = pick(CONFIG_KEYS.apiKey, "FIREWORKS_API_KEY");
  const accountId = pick(CONFIG_KEYS.accountId, "FIREWORKS_ACCOUNT_ID");
  const baseUrl = (pick(CONFIG_KEYS.baseUrl, "FIREWORKS_BASE_URL") ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const missing: string[] = [];
  if (!apiKey) missing.push("the API key: `pulumi config set --secret fireworks:apiKey <key>` or FIREWORKS_API_KEY");
  if (!accountId) missing.push("the account ID: `pulumi config set fireworks:accountId <account>` or FIREWORKS_ACCOUNT_ID");
  if (!apiKey || !accountId) throw new ConfigError(`Fireworks provider is not configured; set ${missing.join(", and ")}`);
  // A key pasted into the wrong setting must not come back in the message that says the setting is wrong.
  const safe = (text: string): string => redact(text, [apiKey]);
  const accountProblem = idProblem(accountId);
  if (accountProblem) throw new ConfigError(safe(`fireworks:accountId "${accountId}" is not a valid account ID: ${accountProblem}`));
  try {
    checkEndpoint(baseUrl);
  } catch (err) {
    throw err instanceof ConfigError ? new ConfigError(safe(err.message)) : err;
  }
  return { apiKey, accountId, baseUrl };
}

/** The API key is a bearer token: it may travel in clear text only to this machine (the emulator, a local proxy). */
export function checkEndpoint(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`fireworks:baseUrl "${baseUrl}" is not a URL; use e.g. ${DEFAULT_BASE_URL}`);
  }
  // Credentials in the URL would travel to wherever it points and be echoed by every message that names it.
  if (url.username !== "" || url.password !== "") {
    throw new ConfigError(`fireworks:baseUrl must not carry credentials (user:password@); give the key as fireworks:apiKey or FIREWORKS_API_KEY`);
  }
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && isLoopback(url.hostname)) return;
  throw new ConfigError(
    `fireworks:baseUrl "${baseUrl}" would send the API key unencrypted; use https:// (plain http:// is allowed only for 127.0.0.1, ::1 or localhost)`,
  );
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host);
}
