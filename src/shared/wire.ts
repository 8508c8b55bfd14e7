/**
 * Browser mode's frames over its WebSocket: requests with an id, their replies, pushed events,
 * and the heartbeat's ping and pong. The payloads inside are the contract's (contract.ts),
 * validated on arrival.
 */
import { z } from 'zod';

export const ClientFrameSchema = z.strictObject({
  id: z.int().min(0),
  name: z.string().max(100),
  payload: z.unknown(),
});

/** The renderer's heartbeat (about one a second); the server answers each with `{ pong }`. */
export const PingFrameSchema = z.strictObject({ ping: z.int().min(0) });

export const ServerFrameSchema = z.union([
  z.strictObject({ id: z.int(), result: z.unknown() }),
  z.strictObject({ id: z.int(), error: z.strictObject({ message: z.string(), kind: z.string() }) }),
  z.strictObject({ event: z.string(), payload: z.unknown() }),
  z.strictObject({ pong: z.int() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** The query parameter that carries browser mode's access token. */
export const TOKEN_PARAM = 'token';
/** Path of the WebSocket endpoint. */
export const SOCKET_PATH = '/api';
/**
 * GET with the token: 204 if it is the server's, 401 if not. A browser cannot read why a
 * WebSocket upgrade failed, so a tab asks here to tell "token refused" from "server gone".
 */
export const TOKEN_CHECK_PATH = '/api/token';
