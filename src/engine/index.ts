export * from "./attribution";
export * from "./certificates";
export * from "./indexes";
export * from "./ip";
export * from "./names";
export * from "./paths";
export * from "./flows";
