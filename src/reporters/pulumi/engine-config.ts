/**
 * What the engine configured for the whole pack. @pulumi/policy gives each policy only its own
 * configuration (`getConfig`) and keeps every policy's enforcement level to itself, while the engine
 * sends the whole `--policy-pack-config` (and Pulumi Cloud's) in one Configure call — misspelt policy
 * names included, which it applies to nothing without a word. The pack's entry installs this observer
 * before it constructs the PolicyPack: it reads that call on its way to @pulumi/policy's own handler,
 * which still answers it. The pack then names what it configured wrongly, and writes the levels the
 * engine applies (not the defaults) into its reports.
 */
import { dirname } from "node:path";

export type EngineLevel = "advisory" | "mandatory" | "remediate" | "disabled";

export interface EngineConfiguration {
  /** Every top-level name of the configuration, `all` included. */
  names: readonly string[];
  /** The level the engine applies to each policy it configured. */
  levels: ReadonlyMap<string, EngineLevel>;
}

let observed: EngineConfiguration | undefined;

/** The configuration the engine sent, once it has (undefined before, or where it could not be read). */
export const engineConfiguration = (): EngineConfiguration | undefined => observed;

/** As the engine would send it: for the in-process harness and tests. */
export function setEngineConfiguration(config: EngineConfiguration | undefined): void {
  observed = config;
}

interface ConfigureRequest {
  getPolicyconfigMap(): { entries(): Iterable<[string, { getEnforcementlevel(): number }]> };
}

/**
 * Wraps the `configure` handler @pulumi/policy registers on its gRPC server. Returns false (and changes
 * nothing) where the modules are not shaped as expected: the pack then runs as it would without it.
 */
export function observeEngineConfiguration(): boolean {
  try {
    const policyDir = dirname(require.resolve("@pulumi/policy"));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    type AddService = (this: unknown, service: unknown, implementation: Record<string, unknown>, ...rest: unknown[]) => unknown;
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] })) as { Server: { prototype: { addService: AddService } } };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { convertEnforcementLevel } = require("@pulumi/policy/protoutil") as { convertEnforcementLevel(level: number): EngineLevel };
    const addService = grpc.Server.prototype.addService;
    if (typeof addService !== "function" || typeof convertEnforcementLevel !== "function") return false;
    grpc.Server.prototype.addService = function (this: unknown, service: unknown, implementation: Record<string, unknown>, ...rest: unknown[]) {
      const configure = implementation?.configure;
      if (typeof configure !== "function") return addService.call(this, service, implementation, ...rest);
      const observing = {
        ...implementation,
        configure: (call: { request: ConfigureRequest }, callback: unknown) => {
          try {
            const levels = new Map<string, EngineLevel>();
            for (const [name, value] of call.request.getPolicyconfigMap().entries()) levels.set(name, convertEnforcementLevel(value.getEnforcementlevel()));
            observed = { names: [...levels.keys()], levels };
          } catch {
            // Not readable: the pack says nothing it cannot know.
          }
          return (configure as (call: unknown, callback: unknown) => unknown)(call, callback);
        },
      };
      return addService.call(this, service, observing, ...rest);
    };
    return true;
  } catch {
    return false;
  }
}
