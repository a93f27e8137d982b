/**
 * The `__provider` text stored in every resource's state. The dynamic-provider host evaluates it as a CommonJS
 * module and calls `handler()` to get the provider object (cmd/dynamic-provider in @pulumi/pulumi).
 *
 * It is written by hand rather than produced by Pulumi's closure serializer: it forwards every hook to the
 * installed runtime, required by package name at call time, and captures nothing. So it is small (a few hundred
 * bytes per resource), it does not depend on the test runner's module loader, and delete/refresh run the installed
 * provider code instead of a copy frozen into state. Change it only deliberately: the text is part of every state.
 */
const SHIM_VERSION = 1;

export function shimSource(kind: string): string {
  if (!/^[A-Za-z]+$/.test(kind)) throw new Error(`invalid resource kind ${JSON.stringify(kind)}`);
  return `// pulumi-fireworks provider shim v${SHIM_VERSION}: forwards to the installed runtime.
exports.handler = function () {
  var kind = "${kind}";
  function runtime() {
    try {
      return require("pulumi-fireworks/runtime");
    } catch (err) {
      if (err && err.code === "MODULE_NOT_FOUND") {
        throw new Error("pulumi-fireworks is not installed where this Pulumi program runs (" + process.cwd() + "): run npm install pulumi-fireworks");
      }
      throw err;
    }
  }
  function hooks() { return runtime().provider(kind); }
  return {
    configure: function (req) { return runtime().configure(req); },
    check: function (olds, news) { return hooks().check(olds, news); },
    diff: function (id, olds, news) { return hooks().diff(id, olds, news); },
    create: function (inputs) { return hooks().create(inputs); },
    read: function (id, props) { return hooks().read(id, props); },
    update: function (id, olds, news) { return hooks().update(id, olds, news); },
    delete: function (id, props) { return hooks().delete(id, props); },
  };
};
`;
}
