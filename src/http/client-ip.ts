import type { Context } from 'hono';

/**
 * How the app learns a client's IP, which differs per runtime: Workers put it in
 * CF-Connecting-IP (set by Cloudflare, not spoofable from outside); Node reads the socket.
 */
export type ClientIp = (c: Context) => string | undefined;

export const cloudflareClientIp: ClientIp = (c) => c.req.header('cf-connecting-ip') ?? undefined;
