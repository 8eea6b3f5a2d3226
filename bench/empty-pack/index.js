// The cost of any Node.js policy pack: the runtime starts, loads @pulumi/policy and answers every call.
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("empty-pack", {
  policies: [{ name: "nothing", description: "Checks nothing.", enforcementLevel: "advisory", validateResource: () => {} }],
});
