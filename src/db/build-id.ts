// Which code is running. The production build (scripts/build.mjs) defines __CLAIMS_API_BUILD__ as a hash of the
// sources and the locked dependencies it was built from; run from source (tsx, tests), there is none.
declare const __CLAIMS_API_BUILD__: string | undefined;

/** The bundle's build id, or null when running from source, where code may change without a build. */
export const BUILD_ID: string | null = typeof __CLAIMS_API_BUILD__ === 'string' ? __CLAIMS_API_BUILD__ : null;
