/**
 * Stands in, in the Workers bundle only (wrangler.toml `[alias]`), for modules that libraries
 * import but Broadside never calls: prettier (react-email's `pretty` option, loaded on demand)
 * and postal-mime (the resend SDK's parser for inbound mail). Together they are a quarter of a
 * megabyte of script that every isolate would otherwise load. Calling one is a bug, said loudly.
 */
const absent = (): never => {
  throw new Error('This module is left out of the Workers build (see wrangler.toml [alias]).');
};

export const format = absent;
export const parse = absent;
export default { format: absent, parse: absent };
