import packageJson from "../package.json" with { type: "json" };

/** The SDK's version, sent in the User-Agent. */
export const SDK_VERSION: string = packageJson.version;
