import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // Lifecycle and e2e tests start real servers and the real engine; keep their timeouts generous and let the
    // tests' own deadlines decide.
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
