import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, DEFAULT_BASE_URL, checkEndpoint, isLoopback, resolveConfig, type ConfigSource } from "../../provider/src/config";
import { ConfigError } from "../../provider/src/errors";

const KEY = "fw_test_key_0123456789abcdef";

function source(values: Record<string, string>): ConfigSource {
  return { get: (key) => values[key] };
}

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}

describe("resolveConfig", () => {
  it("reads all three settings from the config source", () => {
    const cfg = resolveConfig(
      source({ [CONFIG_KEYS.apiKey]: KEY, [CONFIG_KEYS.accountId]: "acme", [CONFIG_KEYS.baseUrl]: "https://example.test" }),
      {},
    );
    expect(cfg).toEqual({ apiKey: KEY, accountId: "acme", baseUrl: "https://example.test" });
  });

  it("uses the stack config keys fireworks:apiKey, fireworks:accountId and fireworks:baseUrl", () => {
    expect(CONFIG_KEYS).toEqual({ apiKey: "fireworks:apiKey", accountId: "fireworks:accountId", baseUrl: "fireworks:baseUrl" });
  });

  it("falls back to the FIREWORKS_* environment variables", () => {
    const cfg = resolveConfig(undefined, {
      FIREWORKS_API_KEY: KEY,
      FIREWORKS_ACCOUNT_ID: "acme",
      FIREWORKS_BASE_URL: "http://127.0.0.1:8080",
    });
    expect(cfg).toEqual({ apiKey: KEY, accountId: "acme", baseUrl: "http://127.0.0.1:8080" });
  });

  it("prefers the config source over the environment for every setting", () => {
    const cfg = resolveConfig(
      source({ [CONFIG_KEYS.apiKey]: "config-key", [CONFIG_KEYS.accountId]: "from-config", [CONFIG_KEYS.baseUrl]: "https://config.test" }),
      { FIREWORKS_API_KEY: "env-key", FIREWORKS_ACCOUNT_ID: "from-env", FIREWORKS_BASE_URL: "https://env.test" },
    );
    expect(cfg).toEqual({ apiKey: "config-key", accountId: "from-config", baseUrl: "https://config.test" });
  });

  it("mixes sources per setting and treats an empty config value as unset", () => {
    const cfg = resolveConfig(source({ [CONFIG_KEYS.apiKey]: "", [CONFIG_KEYS.accountId]: "from-config" }), {
      FIREWORKS_API_KEY: "env-key",
      FIREWORKS_ACCOUNT_ID: "from-env",
    });
    expect(cfg).toEqual({ apiKey: "env-key", accountId: "from-config", baseUrl: DEFAULT_BASE_URL });
  });

  it("defaults the base URL to https://api.fireworks.ai", () => {
    expect(DEFAULT_BASE_URL).toBe("https://api.fireworks.ai");
    expect(resolveConfig(undefined, { FIREWORKS_API_KEY: KEY, FIREWORKS_ACCOUNT_ID: "acme" }).baseUrl).toBe("https://api.fireworks.ai");
  });

  it("treats an empty FIREWORKS_BASE_URL as unset", () => {
    const cfg = resolveConfig(undefined, { FIREWORKS_API_KEY: KEY, FIREWORKS_ACCOUNT_ID: "acme", FIREWORKS_BASE_URL: "" });
    expect(cfg.baseUrl).toBe(DEFAULT_BASE_URL);
  });

  it("strips trailing slashes from the base URL", () => {
    const cfg = resolveConfig(undefined, { FIREWORKS_API_KEY: KEY, FIREWORKS_ACCOUNT_ID: "acme", FIREWORKS_BASE_URL: "https://example.test//" });
    expect(cfg.baseUrl).toBe("https://example.test");
  });

  it("names both missing settings and how to set each of them", () => {
    const err = configErrorOf(() => resolveConfig(undefined, {}));
    expect(err.message).toBe(
      "Fireworks provider is not configured; set the API key: `pulumi config set --secret fireworks:apiKey <key>` or FIREWORKS_API_KEY, " +
        "and the account ID: `pulumi config set fireworks:accountId <account>` or FIREWORKS_ACCOUNT_ID",
    );
  });

  it("names only the API key when just the key is missing", () => {
    const err = configErrorOf(() => resolveConfig(undefined, { FIREWORKS_ACCOUNT_ID: "acme" }));
    expect(err.message).toBe(
      "Fireworks provider is not configured; set the API key: `pulumi config set --secret fireworks:apiKey <key>` or FIREWORKS_API_KEY",
    );
  });

  // The next three errors are raised while the key is at hand, in the stack config and in the environment alike, so
  // an implementation that described what it found ("key from FIREWORKS_API_KEY: ...") would leak it. The messages
  // are asserted whole: any echo of a configured value beyond the one at fault fails them, not only the key.
  const keyInConfig = { [CONFIG_KEYS.apiKey]: KEY };
  const keyInEnv = { FIREWORKS_API_KEY: KEY };

  it("names only the account ID when just the account is missing, without echoing the key", () => {
    const err = configErrorOf(() => resolveConfig(source(keyInConfig), { ...keyInEnv, FIREWORKS_BASE_URL: "https://example.test" }));
    expect(err.message).toBe(
      "Fireworks provider is not configured; set the account ID: `pulumi config set fireworks:accountId <account>` or FIREWORKS_ACCOUNT_ID",
    );
    expect(err.message).not.toContain(KEY);
  });

  it("rejects an invalid account ID, naming it and the rule it breaks", () => {
    const err = configErrorOf(() =>
      resolveConfig(source({ ...keyInConfig, [CONFIG_KEYS.accountId]: "My_Account" }), { ...keyInEnv, FIREWORKS_ACCOUNT_ID: "acme" }),
    );
    expect(err.message).toBe('fireworks:accountId "My_Account" is not a valid account ID: it may contain only lowercase letters, digits and hyphens');
    expect(err.message).not.toContain(KEY);
  });

  it("refuses a plain-http remote base URL without revealing the API key", () => {
    const err = configErrorOf(() =>
      resolveConfig(source({ ...keyInConfig, [CONFIG_KEYS.baseUrl]: "http://api.example.test" }), { ...keyInEnv, FIREWORKS_ACCOUNT_ID: "acme" }),
    );
    expect(err.message).toBe(
      'fireworks:baseUrl "http://api.example.test" would send the API key unencrypted; ' +
        "use https:// (plain http:// is allowed only for 127.0.0.1, ::1 or localhost)",
    );
    expect(err.message).not.toContain(KEY);
  });
});

describe("checkEndpoint", () => {
  it.each(["https://api.fireworks.ai", "https://example.test:8443/prefix", "https://10.0.0.5", "https://localhost"])(
    "allows https anywhere: %s",
    (url) => {
      expect(() => checkEndpoint(url)).not.toThrow();
    },
  );

  it.each(["http://127.0.0.1:8080", "http://127.0.0.1", "http://127.1.2.3:9000", "http://localhost:3000", "http://LOCALHOST", "http://[::1]:8080"])(
    "allows plain http to the loopback host %s",
    (url) => {
      expect(() => checkEndpoint(url)).not.toThrow();
    },
  );

  it.each([
    "http://api.fireworks.ai",
    "http://10.0.0.5:8080",
    "http://192.168.1.10",
    "http://localhost.evil.test",
    "http://127.0.0.1.nip.io",
    "http://[::2]:8080",
    "http://0.0.0.0:8080",
  ])("refuses plain http to the non-loopback host %s with a message that explains the fix", (url) => {
    const err = configErrorOf(() => checkEndpoint(url));
    expect(err.message).toBe(
      `fireworks:baseUrl "${url}" would send the API key unencrypted; use https:// (plain http:// is allowed only for 127.0.0.1, ::1 or localhost)`,
    );
  });

  it("refuses a non-http scheme even on loopback", () => {
    const err = configErrorOf(() => checkEndpoint("ftp://127.0.0.1"));
    expect(err.message).toContain("would send the API key unencrypted");
  });

  it.each(["not a url", "", "api.fireworks.ai", "://missing-scheme"])("refuses the garbage URL %j and suggests the default", (url) => {
    const err = configErrorOf(() => checkEndpoint(url));
    expect(err.message).toBe(`fireworks:baseUrl "${url}" is not a URL; use e.g. https://api.fireworks.ai`);
  });
});

describe("isLoopback", () => {
  it.each([
    ["localhost", true],
    ["127.0.0.1", true],
    ["127.255.255.254", true],
    ["::1", true],
    ["[::1]", true],
    ["127.0.0.1.example", false],
    ["128.0.0.1", false],
    ["example.test", false],
    ["", false],
  ])("isLoopback(%j) is %s", (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});

describe("resolveConfig: a key pasted into the wrong setting", () => {
  it("is redacted from the invalid account ID message", () => {
    const err = configErrorOf(() => resolveConfig(undefined, { FIREWORKS_API_KEY: KEY, FIREWORKS_ACCOUNT_ID: KEY }));
    expect(err.message).toBe('fireworks:accountId "[redacted]" is not a valid account ID: it may contain only lowercase letters, digits and hyphens');
  });

  it("is redacted from the unusable base URL message", () => {
    const err = configErrorOf(() => resolveConfig(undefined, { FIREWORKS_API_KEY: KEY, FIREWORKS_ACCOUNT_ID: "acme", FIREWORKS_BASE_URL: KEY }));
    expect(err.message).toBe('fireworks:baseUrl "[redacted]" is not a URL; use e.g. https://api.fireworks.ai');
  });

  it("refuses credentials inside the base URL without echoing them", () => {
    const err = configErrorOf(() =>
      resolveConfig(undefined, { FIREWORKS_API_KEY: KEY, FIREWORKS_ACCOUNT_ID: "acme", FIREWORKS_BASE_URL: `https://user:${KEY}@api.fireworks.ai` }),
    );
    expect(err.message).toBe("fireworks:baseUrl must not carry credentials (user:password@); give the key as fireworks:apiKey or FIREWORKS_API_KEY");
  });
});
