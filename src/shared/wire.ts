/**
 * Browser mode's frames over its WebSocket: requests with an id, their replies, and pushed
 * events. The payloads inside are the contract's (contract.ts), validated on arrival.
 */
import { z } from 'zod';

export const ClientFrameSchema = z.strictObject({
  id: z.int().min(0),
  name: z.string().max(100),
  payload: z.unknown(),
});
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

export const ServerFrameSchema = z.union([
  z.strictObject({ id: z.int(), result: z.unknown() }),
  z.strictObject({ id: z.int(), error: z.strictObject({ message: z.string(), kind: z.string() }) }),
  z.strictObject({ event: z.string(), payload: z.unknown() }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;

/** The query parameter that carries browser mode's access token. */
export const TOKEN_PARAM = 'token';
/** Path of the WebSocket endpoint. */
export const SOCKET_PATH = '/api';
