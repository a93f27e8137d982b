import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".stacks/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["provider/src/**/*.ts", "sdk/**/*.ts", "emulator/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
    },
  },
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The layering, enforced: the emulator is an independent reading of the API and shares nothing with the provider
  // or the SDK; the provider runtime (loaded inside the provider process) never reaches into the SDK or the emulator;
  // the SDK takes only types from the runtime (a value import would load zod and the engine into every program).
  {
    files: ["emulator/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["**/provider/**", "**/sdk/**", "pulumi-fireworks", "pulumi-fireworks/*"], message: "the emulator shares no code with the provider or the SDK" }] }] },
  },
  {
    files: ["provider/src/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: ["**/sdk/**", "**/emulator/**", "@pulumi/pulumi", "@pulumi/pulumi/*"], message: "the provider runtime must not depend on the SDK, the emulator or the Pulumi program runtime" }] }] },
  },
  {
    files: ["sdk/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { patterns: [{ group: ["**/provider/src/**"], allowTypeImports: true, message: "the SDK may import only types from the provider runtime" }, { group: ["**/emulator/**"], message: "the SDK does not use the emulator" }] }],
    },
  },
  {
    files: ["bin/**/*.js", "scripts/**/*.mjs"],
    languageOptions: { globals: { require: "readonly", module: "writable", process: "readonly", console: "readonly", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
