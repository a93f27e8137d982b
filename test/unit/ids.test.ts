import { describe, expect, it } from "vitest";
import { MAX_ID_LENGTH, autoName, idProblem } from "../../provider/src/ids";

describe("idProblem", () => {
  it("accepts a valid ID", () => {
    expect(idProblem("web")).toBeUndefined();
    expect(idProblem("llama-8b-prod-2")).toBeUndefined();
    expect(idProblem("a")).toBeUndefined();
  });

  it("accepts exactly 63 characters", () => {
    expect(idProblem("a".repeat(63))).toBeUndefined();
  });

  it("rejects the empty string", () => {
    expect(idProblem("")).toBe("it must be at least 1 character long");
  });

  it("rejects 64 characters, naming the length and the limit", () => {
    expect(idProblem("a".repeat(64))).toBe("it is 64 characters long; the limit is 63");
  });

  it.each(["Web", "my_deployment", "web.prod", "web prod", "wéb"])("rejects %j for its characters", (id) => {
    expect(idProblem(id)).toBe("it may contain only lowercase letters, digits and hyphens");
  });

  it("rejects a leading digit", () => {
    expect(idProblem("8b-llama")).toBe("it must not start with a digit");
  });

  it.each(["-web", "web-", "-"])("rejects %j for a leading or trailing hyphen", (id) => {
    expect(idProblem(id)).toBe("it must not start or end with a hyphen");
  });

  it("allows digits and hyphens after the first character", () => {
    expect(idProblem("a1-2-3")).toBeUndefined();
  });
});

/** A small deterministic PRNG (mulberry32) so the property-style loop is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_NAMES: readonly string[] = [
  "my-res",
  "My Resource",
  "llama_8B_prod",
  "日本語のデプロイ",
  "émigré-déploiement",
  "Ünïcödé",
  "İstanbul",
  "\u212Aelvin",
  "🚀🚀🚀",
  "123",
  "9lives",
  "0-start",
  "---",
  "!!!@@@###",
  "...",
  "-",
  "",
  " ",
  "a",
  "A",
  "a".repeat(200),
  "x-".repeat(100),
  "1".repeat(100),
  `${"b".repeat(54)}-${"c".repeat(20)}`,
  `${"b".repeat(55)}-c`,
  "parent/child/grandchild",
  "name-with-trailing-",
  "-name-with-leading",
  "tabs\tand\nnewlines",
];

function randomName(rand: () => number): string {
  const alphabet = "abcXYZ019-_ ./:é日🚀\u0000";
  const length = Math.floor(rand() * 90);
  let out = "";
  for (let i = 0; i < length; i++) out += [...alphabet][Math.floor(rand() * [...alphabet].length)];
  return out;
}

describe("autoName", () => {
  const seed = ["proj/stack/my-res", "accounts/fireworks/models/llama-v3p1-8b-instruct", null];

  it("is the slug of the resource name followed by 7 hex characters", () => {
    expect(autoName("My Resource", seed)).toMatch(/^my-resource-[0-9a-f]{7}$/);
  });

  it("is deterministic for the same name and seed", () => {
    expect(autoName("my-res", seed)).toBe(autoName("my-res", [...seed]));
  });

  it("differs when the seed differs", () => {
    const other = ["proj/stack/my-res", "accounts/fireworks/models/qwen3-8b", null];
    expect(autoName("my-res", other)).not.toBe(autoName("my-res", seed));
    expect(autoName("my-res", other).slice(0, -7)).toBe(autoName("my-res", seed).slice(0, -7));
  });

  it("differs when the placement in the seed differs", () => {
    const a = autoName("my-res", ["o", "m", null]);
    const b = autoName("my-res", ["o", "m", { multiRegion: "US" }]);
    expect(a).not.toBe(b);
  });

  it("prefixes a name that starts with a digit so the ID starts with a letter", () => {
    expect(autoName("9lives", seed)).toMatch(/^r-9lives-[0-9a-f]{7}$/);
  });

  it("falls back to r-<hash> for a name with no usable characters", () => {
    expect(autoName("日本語", seed)).toMatch(/^r-[0-9a-f]{7}$/);
    expect(autoName("!!!", seed)).toMatch(/^r-[0-9a-f]{7}$/);
    expect(autoName("", seed)).toMatch(/^r-[0-9a-f]{7}$/);
  });

  it.each(ODD_NAMES.map((n) => [n]))("gives a valid ID of at most 63 characters for %j", (name) => {
    const id = autoName(name, seed);
    expect(idProblem(id)).toBeUndefined();
    expect(id.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
    expect(autoName(name, seed)).toBe(id);
  });

  it("gives a valid ID for 2000 random names and seeds", () => {
    const rand = prng(20240601);
    for (let i = 0; i < 2000; i++) {
      const name = randomName(rand);
      const id = autoName(name, [name, i, rand()]);
      expect({ name, problem: idProblem(id) }).toEqual({ name, problem: undefined });
      expect(id.length).toBeLessThanOrEqual(MAX_ID_LENGTH);
    }
  });

  it("uses the full 63 characters for a long name and never ends the slug with a hyphen", () => {
    expect(autoName("a".repeat(200), seed)).toHaveLength(63);
    const cut = autoName(`${"b".repeat(54)}-${"c".repeat(20)}`, seed);
    expect(cut).toMatch(new RegExp(`^${"b".repeat(54)}-[0-9a-f]{7}$`));
  });
});
