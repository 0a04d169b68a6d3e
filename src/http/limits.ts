/**
 * Limits of the HTTP API that the app enforces and the OpenAPI document states, here so both
 * import them from one place (the app imports the document's routes).
 */

/** Largest JSON body accepted; media travels by URL or upload, never inline. */
export const maxJsonBodyBytes = 256 * 1024;
